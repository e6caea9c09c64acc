"""Reads of the catalogue, the intake rules and the social internet tariff. Already scoped.

Used by other capabilities too — the referrals app calls, in particular:

- ``services_for_need(network, need)``: the active services that answer a need;
- ``service_criteria_check(service=, resident=, referred_by=)``: which of a service's criteria
  a resident meets (the triage screen), with ``criteria_satisfied(checks)`` for the verdict;
- ``open_request_cap_for(network=, organisation=)`` and ``cap_refusal_message(network=,
  organisation=)``: the cap on open requests per referring organisation (request_create);
- ``intake_settings_for(network=)``: the network's intake rules (e.g. unreferred_alert_days).
"""

from __future__ import annotations

import datetime
from typing import TypedDict

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from digibank.organisations.models import Organisation
from digibank.referrals.models import (
    OPEN_REQUEST_STATUSES,
    IntakeSettings,
    InternetTariffApplication,
    Need,
    OrganisationCap,
    Referral,
    Request,
    TariffOutcome,
)
from digibank.residents.models import EligibilityProof, Resident

from .models import REFERRAL_CRITERION, Service, ServiceKind, criterion_label

TARIFF_APPLICATIONS_PER_PAGE = 25

# Which kinds of service answer which need of a request (triage suggests these first).
NEED_SERVICE_KINDS: dict[str, tuple[str, ...]] = {
    Need.DEVICE: (ServiceKind.DEVICE_LOAN, ServiceKind.DEVICE_GIFT),
    Need.INTERNET: (ServiceKind.INTERNET_TARIFF,),
    Need.SKILLS: (ServiceKind.COURSE,),
    Need.ONE_TO_ONE: (ServiceKind.DIGIBUDDY,),
    Need.TASK_HELP: (ServiceKind.HELP_HOURS, ServiceKind.TASK_HELP),
    Need.OTHER: (ServiceKind.OTHER,),
}

# Outcomes that still need someone to act; only these count as "follow-up due".
OPEN_TARIFF_OUTCOMES = (TariffOutcome.PREPARING, TariffOutcome.APPLIED)


# --- the catalogue --------------------------------------------------------------------------


def service_list(
    *,
    membership,
    kind: str = "",
    organisation: Organisation | None = None,
    active: bool | None = None,
) -> QuerySet[Service]:
    """Services of the membership's network, with their organisation (one query).

    An unknown ``kind`` is ignored: it comes from a URL anyone can edit.
    """
    qs = Service.objects.visible_to(membership).select_related("organisation")
    if kind in ServiceKind.values:
        qs = qs.filter(kind=kind)
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("name", "pk")


def service_get(*, membership, pk) -> Service:
    """The service with its organisation if the membership may see it, else 404."""
    try:
        return Service.objects.visible_to(membership).select_related("organisation").get(pk=int(pk))
    except (Service.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404 from exc


def service_name_taken(*, network_id: int, name: str, exclude_pk: int | None = None) -> bool:
    """Case-insensitive, like organisations: "Digibuddy" and "digibuddy" are one service to a person."""
    return (
        Service.objects.in_network(network_id)
        .filter(name__iexact=(name or "").strip())
        .exclude(pk=exclude_pk)
        .exists()
    )


def service_organisation_choices(*, network, current_id: int | None = None) -> QuerySet[Organisation]:
    """Organisations that can provide a service: this network's active ones (and the current one)."""
    return (
        Organisation.objects.in_network(network).filter(Q(is_active=True) | Q(pk=current_id)).order_by("name")
    )


def services_for_need(network, need: str) -> QuerySet[Service]:
    """The active services of ``network`` that answer ``need`` (a ``referrals.models.Need`` value).

    Ordered as the kinds are listed in NEED_SERVICE_KINDS (a loan before a gift), then by name.
    Positional arguments are accepted on purpose: it reads as "services for need".
    """
    kinds = NEED_SERVICE_KINDS.get(need, ())
    qs = (
        Service.objects.in_network(network)
        .filter(is_active=True, kind__in=kinds)
        .select_related("organisation")
        .order_by("name", "pk")
    )
    rank = {kind: index for index, kind in enumerate(kinds)}
    return sorted(qs, key=lambda service: (rank[service.kind], service.name.casefold(), service.pk))


# --- eligibility criteria -------------------------------------------------------------------


class CriterionCheck(TypedDict):
    criterion: str
    label: str
    met: bool


def resident_valid_proof_kinds(*, resident: Resident, today: datetime.date | None = None) -> set[str]:
    """The kinds of proof a resident has that are still valid today (no end date, or not passed)."""
    today = today or timezone.localdate()
    return set(
        EligibilityProof.objects.in_network(resident.network_id)
        .filter(resident=resident)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .values_list("kind", flat=True)
    )


def service_criteria_check(
    *,
    service: Service,
    resident: Resident,
    referred_by: Organisation | None = None,
    proof_kinds: set[str] | None = None,
    today: datetime.date | None = None,
) -> list[CriterionCheck]:
    """Each criterion of ``service`` with whether ``resident`` meets it.

    A proof criterion is met by a valid EligibilityProof of that kind (``valid_until`` empty or
    today or later); "referral" is met when ``referred_by`` (the referring organisation of the
    request) is set. An empty list means the service is open to everyone.

    Checking several services for one resident? Pass ``proof_kinds`` (from
    ``resident_valid_proof_kinds``) to read the proofs once instead of once per service.
    """
    codes = service.criteria_codes()
    if not codes:
        return []
    if proof_kinds is None:
        proof_kinds = resident_valid_proof_kinds(resident=resident, today=today)
    return [
        {
            "criterion": code,
            "label": criterion_label(code),
            "met": referred_by is not None if code == REFERRAL_CRITERION else code in proof_kinds,
        }
        for code in codes
    ]


def criteria_satisfied(checks: list[CriterionCheck]) -> bool:
    """The verdict on a ``service_criteria_check``: criteria are alternatives, one met is enough."""
    return not checks or any(check["met"] for check in checks)


# --- intake rules: the cap on open requests per referring organisation ----------------------


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


# --- the social internet tariff -------------------------------------------------------------


def _visible_residents(membership) -> QuerySet[Resident]:
    return Resident.objects.visible_to(membership).not_erased()


def tariff_application_list(
    *,
    membership,
    outcome: str = "",
    follow_up_due: bool = False,
    today: datetime.date | None = None,
) -> QuerySet[InternetTariffApplication]:
    """Applications of the residents this membership may see (never the network's default scope).

    InternetTariffApplication's own ``visible_to`` gives the whole network to every role, which
    is wrong for partner workers: the resident's visibility decides. ``follow_up_due``: a
    follow-up date today or earlier on an application that is still open.
    """
    qs = (
        InternetTariffApplication.objects.in_network(membership.network_id)
        .filter(resident__in=_visible_residents(membership))
        .select_related("resident", "helped_by")
    )
    if outcome in TariffOutcome.values:
        qs = qs.filter(outcome=outcome)
    if follow_up_due:
        qs = qs.filter(follow_up_on__lte=today or timezone.localdate(), outcome__in=OPEN_TARIFF_OUTCOMES)
    return qs.order_by("follow_up_on", "-created_at", "-pk")


def tariff_applications_of(*, membership, resident: Resident) -> QuerySet[InternetTariffApplication]:
    """One resident's applications, newest first — empty when the membership may not see them."""
    return (
        InternetTariffApplication.objects.in_network(membership.network_id)
        .filter(resident=resident, resident__in=_visible_residents(membership))
        .select_related("helped_by", "referral__service")
        .order_by("-created_at", "-pk")
    )


def tariff_application_get(*, membership, pk, resident: Resident | None = None) -> InternetTariffApplication:
    """The application if the membership may see its resident (and it is ``resident``'s), else 404."""
    qs = InternetTariffApplication.objects.in_network(membership.network_id).filter(
        resident__in=_visible_residents(membership)
    )
    if resident is not None:
        qs = qs.filter(resident=resident)
    try:
        return qs.select_related("resident", "referral").get(pk=int(pk))
    except (InternetTariffApplication.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404 from exc


def tariff_referral_choices(*, membership, resident: Resident) -> QuerySet[Referral]:
    """Referrals of this resident's requests, among those the membership may see, to link to."""
    return (
        Referral.objects.visible_to(membership)
        .filter(request__resident=resident)
        .select_related("service")
        .order_by("-created_at", "-pk")
    )


def eligibility_basis_suggestion(*, resident: Resident, today: datetime.date | None = None) -> str:
    """The resident's valid proofs as a line for "eligible because", e.g. "Living wage"."""
    today = today or timezone.localdate()
    proofs = (
        EligibilityProof.objects.in_network(resident.network_id)
        .filter(resident=resident)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .order_by("kind")
    )
    parts = [
        f"{proof.get_kind_display()}: {proof.detail}" if proof.detail else str(proof.get_kind_display())
        for proof in proofs
    ]
    return "; ".join(parts)[:200]
