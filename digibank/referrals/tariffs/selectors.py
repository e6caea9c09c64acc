"""Reads of the social internet tariff applications, always through the resident's visibility.

InternetTariffApplication's own scope is the network; a partner worker may only see the
applications of residents they may see, so every read here filters on that first.
"""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from digibank.residents.models import EligibilityProof, Resident

from ..models import InternetTariffApplication, Referral, TariffOutcome

TARIFF_APPLICATIONS_PER_PAGE = 25


# Outcomes that still need someone to act; only these count as "follow-up due".
OPEN_TARIFF_OUTCOMES = (TariffOutcome.PREPARING, TariffOutcome.APPLIED)


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
