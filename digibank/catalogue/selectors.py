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

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from digibank.organisations.models import Organisation
from digibank.residents.models import EligibilityProof, Resident

from .models import REFERRAL_CRITERION, Need, Service, ServiceKind, criterion_label

# Which kinds of service answer which need of a request (triage suggests these first).
NEED_SERVICE_KINDS: dict[str, tuple[str, ...]] = {
    Need.DEVICE: (ServiceKind.DEVICE_LOAN, ServiceKind.DEVICE_GIFT),
    Need.INTERNET: (ServiceKind.INTERNET_TARIFF,),
    Need.SKILLS: (ServiceKind.COURSE,),
    Need.ONE_TO_ONE: (ServiceKind.DIGIBUDDY,),
    Need.TASK_HELP: (ServiceKind.HELP_HOURS, ServiceKind.TASK_HELP),
    Need.OTHER: (ServiceKind.OTHER,),
}


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


# --- the social internet tariff -------------------------------------------------------------
