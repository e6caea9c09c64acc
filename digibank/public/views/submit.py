"""The three forms residents send — "I need help", "I want to volunteer", "I want to donate" —
and the thank-you page with the reference number."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET, require_http_methods

from digibank.networks.access import public_view

from .. import selectors, services
from ..forms import DonationForm, HelpRequestForm, VolunteerForm
from ..models import FormKind, FormSubmission
from .booking import booking_context
from .common import guard_and_submit, language, network_or_404, site_render


def _form_page(request, network, form, *, kind: str, submit):
    if request.method == "POST":
        response = guard_and_submit(request, network, form, submit)
        if response is not None:
            return response
    return site_render(request, network, f"public/form_{kind}.html", {"form": form, "kind": kind})


@require_http_methods(["GET", "POST"])
@public_view
def help_request(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = network_or_404(network_slug)
    form = HelpRequestForm(
        request.POST if request.method == "POST" else None, network=network, initial={"language": language()}
    )

    def submit(form):
        return services.help_request_submit(
            network=network,
            token=form.token(),
            data={**form.cleaned_data, "language": form.spoken_language()},
            language=language(),
        )

    return _form_page(request, network, form, kind="help", submit=submit)


@require_http_methods(["GET", "POST"])
@public_view
def volunteer(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = network_or_404(network_slug)
    form = VolunteerForm(request.POST if request.method == "POST" else None, network=network)

    def submit(form):
        return services.volunteer_apply(
            network=network, token=form.token(), data=form.cleaned_data, language=language()
        )

    return _form_page(request, network, form, kind="volunteer", submit=submit)


@require_http_methods(["GET", "POST"])
@public_view
def donate(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = network_or_404(network_slug)
    form = DonationForm(request.POST if request.method == "POST" else None, network=network)

    def submit(form):
        return services.donation_offer_submit(
            network=network, token=form.token(), data=form.cleaned_data, language=language()
        )

    return _form_page(request, network, form, kind="donate", submit=submit)


@require_GET
@public_view(model=FormSubmission, lookup="token", source="url:token")
def thanks(request: HttpRequest, network_slug: str, token) -> HttpResponse:
    network = network_or_404(network_slug)
    submission = selectors.submission_for_token(network=network, token=token)
    if submission is None:
        raise Http404
    context = {"submission": submission}
    if submission.kind == FormKind.BOOKING:
        context.update(booking_context(network, submission))
    return site_render(request, network, "public/thanks.html", context)
