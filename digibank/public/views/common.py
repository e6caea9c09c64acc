"""What every public page shares: the network from the URL, rendering, the form guard."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language

from digibank.lib.forms import add_errors

from .. import ratelimit, selectors
from ..forms import PublicForm


def site_render(
    request: HttpRequest, network, template: str, context: dict | None = None, *, status: int = 200
):
    context = {"site_network": network, **(context or {})}
    return render(request, template, context, status=status)


def language() -> str:
    return (get_language() or "nl").split("-")[0]


def too_many(request: HttpRequest, network) -> HttpResponse:
    response = site_render(request, network, "public/too_many.html", status=429)
    response["Retry-After"] = "60"
    return response


def guard_and_submit(
    request: HttpRequest, network, form: PublicForm, submit: Callable[[PublicForm], tuple]
) -> HttpResponse | None:
    """The common path of every public form POST.

    1. the rate limit per address (the 21st POST in a minute gets a polite 429 page);
    2. the honeypot (a robot gets a thank-you page, nothing is stored);
    3. validation, then ``submit(form)`` -> (FormSubmission, created); a second POST of the
       same form (same token) lands on the same thank-you page.
    Returns the response to send, or None to show the form again with its errors.
    """
    if not ratelimit.rate_hit(network=network, address=ratelimit.client_address(request)):
        return too_many(request, network)
    if form.is_spam:
        return site_render(request, network, "public/thanks.html", {"submission": None})
    # The same form sent again (double click, reload) after the first was stored: its thank-you
    # page, before validation (which may now fail, e.g. a slot that the first POST filled).
    done = selectors.submission_for_token(network=network, token=form.data.get("form_token"))
    if done is not None:
        return redirect("public:thanks", network_slug=network.slug, token=done.token)
    if not form.is_valid():
        return None
    try:
        submission, _created = submit(form)
    except ValidationError as exc:
        add_errors(form, exc)
        return None
    return redirect("public:thanks", network_slug=network.slug, token=submission.token)


def network_or_404(network_slug: str):
    return selectors.network_for_slug(network_slug)
