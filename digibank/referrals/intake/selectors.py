"""Reads of the intake rules. ``cap_refusal_message`` is what ``request_create`` asks."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from digibank.organisations.models import Organisation

from ..models import OPEN_REQUEST_STATUSES, IntakeSettings, OrganisationCap, Request


def intake_settings_for(*, network) -> IntakeSettings:
    """The network's intake rules; the defaults (no cap, alert after 5 days) when none are saved.

    Never writes: a missing row is returned unsaved (services.intake_settings_update saves it).
    """
    network_id = network if isinstance(network, int) else network.pk
    found = IntakeSettings.objects.in_network(network_id).first()
    return found or IntakeSettings(network_id=network_id)


def organisation_caps(*, membership) -> QuerySet[OrganisationCap]:
    """The exceptions to the network's cap, by organisation name."""
    return (
        OrganisationCap.objects.visible_to(membership)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )


def open_request_counts(*, network, organisation_ids) -> dict[int, int]:
    """Open requests per referring organisation, for the given organisations (one query)."""
    rows = (
        Request.objects.in_network(network)
        .filter(referred_by_id__in=list(organisation_ids), status__in=OPEN_REQUEST_STATUSES)
        .values("referred_by_id")
        .annotate(n=Count("pk"))
    )
    return {row["referred_by_id"]: row["n"] for row in rows}


def open_request_count(*, network, organisation: Organisation) -> int:
    """How many open requests (new, in triage, referred, follow-up) ``organisation`` referred."""
    return (
        Request.objects.in_network(network)
        .filter(referred_by=organisation, status__in=OPEN_REQUEST_STATUSES)
        .count()
    )


def open_request_cap_for(*, network, organisation: Organisation | None) -> int | None:
    """The most open requests ``organisation`` may have referred at once; ``None``: no cap.

    The organisation's exception (OrganisationCap) comes first — an exception with an empty cap
    exempts the organisation — else the network's cap (IntakeSettings, empty = off). A request
    without a referring organisation (desk, digipunt, web) is never capped.
    """
    if organisation is None:
        return None
    exception = OrganisationCap.objects.in_network(network).filter(organisation=organisation).first()
    if exception is not None:
        return exception.cap
    return intake_settings_for(network=network).open_request_cap


def cap_refusal_message(
    *, network, organisation: Organisation | None, open_count: int | None = None
) -> str | None:
    """Why a new request referred by ``organisation`` is refused, or ``None`` when it is allowed.

    For ``referrals.services.request_create``: call it inside the creating transaction and,
    when it returns a message, raise ``ValidationError(message)`` so the partner reads it on
    the form. ``open_count`` may be passed when the caller already counted.
    """
    cap = open_request_cap_for(network=network, organisation=organisation)
    if cap is None:
        return None
    if open_count is None:
        open_count = open_request_count(network=network, organisation=organisation)
    if open_count < cap:
        return None
    return _(
        "%(organisation)s already has %(open)s open requests, and this network accepts at most "
        "%(cap)s open requests per referring organisation, so that every partner gets a turn. "
        "A new request can be registered as soon as one of them is closed; for an urgent case, "
        "call the service desk."
    ) % {"organisation": organisation.name, "open": open_count, "cap": cap}
