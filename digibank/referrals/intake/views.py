"""The intake rules page: the network's cap on open requests and the exceptions per organisation."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from digibank.networks.access import staff_view

from ..models import OrganisationCap
from . import selectors, services
from .forms import IntakeSettingsForm, OrganisationCapForm


def _render_intake(
    request: HttpRequest,
    *,
    form: IntakeSettingsForm | None = None,
    cap_form: OrganisationCapForm | None = None,
) -> HttpResponse:
    network = request.network
    if form is None:
        form = IntakeSettingsForm(instance=selectors.intake_settings_for(network=network))
    exceptions = list(selectors.organisation_caps(membership=request.membership))
    counts = selectors.open_request_counts(
        network=network, organisation_ids=[exception.organisation_id for exception in exceptions]
    )
    for exception in exceptions:
        exception.open_count = counts.get(exception.organisation_id, 0)
    context = {
        "form": form,
        "exceptions": exceptions,
        "cap_form": cap_form or OrganisationCapForm(network=network),
    }
    return render(request, "referrals/intake.html", context)


@require_http_methods(["GET", "POST"])
@staff_view("service.manage")
def intake_settings(request: HttpRequest) -> HttpResponse:
    network = request.network
    if request.method == "POST":
        form = IntakeSettingsForm(request.POST, instance=selectors.intake_settings_for(network=network))
        if form.is_valid():
            services.intake_settings_update(network=network, actor=request.user, data=form.cleaned_data)
            messages.success(request, _("The intake rules are saved."))
            return redirect("referrals:intake")
        return _render_intake(request, form=form)
    return _render_intake(request)


@require_POST
@staff_view("service.manage")
def organisation_cap_set(request: HttpRequest) -> HttpResponse:
    """Add or change one organisation's exception (organisation and cap in POST data)."""
    cap_form = OrganisationCapForm(request.POST, network=request.network)
    if not cap_form.is_valid():
        messages.error(request, _("The exception was not saved: please correct the form below."))
        return _render_intake(request, cap_form=cap_form)
    organisation, cap = cap_form.cleaned_data["organisation"], cap_form.cleaned_data["cap"]
    services.organisation_cap_set(
        network=request.network, actor=request.user, organisation=organisation, cap=cap
    )
    if cap is None:
        message = _("%(organisation)s has no cap on open requests.") % {"organisation": organisation.name}
    else:
        message = _("%(organisation)s may have at most %(cap)s open requests.") % {
            "organisation": organisation.name,
            "cap": cap,
        }
    messages.success(request, message)
    return redirect("referrals:intake")


@require_POST
@staff_view("service.manage")
def organisation_cap_remove(request: HttpRequest) -> HttpResponse:
    exception_id = request.POST.get("exception", "")
    exception = None
    if exception_id.isdigit():
        exception = (
            OrganisationCap.objects.visible_to(request.membership)
            .select_related("organisation")
            .filter(pk=int(exception_id))
            .first()
        )
    if exception is None:
        # An empty or stale POST removes nothing.
        messages.error(request, _("That exception was not found. Nothing was removed."))
    else:
        name = exception.organisation.name
        services.organisation_cap_remove(exception=exception, actor=request.user)
        messages.success(
            request, _("%(organisation)s follows the network's cap again.") % {"organisation": name}
        )
    return redirect("referrals:intake")
