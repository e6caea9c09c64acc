"""Demo data of the social internet tariff: applications in every outcome, dated relative to today
(so the demo always has follow-ups due). Only made when the network has none yet; every random
value is drawn before anything is looked up, so a second run consumes ``rng`` like the first.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from digibank.networks.models import Membership
from digibank.networks.roles import Role
from digibank.residents.models import EligibilityKind, EligibilityProof, Resident
from digibank.residents.services import timeline_add

from ..models import InternetTariffApplication, TariffOutcome, TariffTimelineKind
from .selectors import OPEN_TARIFF_OUTCOMES

# How many applications each demo network gets (by slug); other networks get none.
APPLICATIONS = {"leuven-demo": 20, "demostad-demo": 3}

# Offers as a Dutch-speaking desk would type them (data, not interface text).
DEMO_OFFERS = [
    "Sociaal internetaanbod – Telenet",
    "Sociaal internetaanbod – Proximus",
    "Sociaal internetaanbod – Orange",
    "Telenet Essential Internet",
    "Proximus Internet for All",
]


# Every outcome occurs; open ones more often (they are what the desk works on).
OUTCOME_WEIGHTS = {
    TariffOutcome.PREPARING: 4,
    TariffOutcome.APPLIED: 6,
    TariffOutcome.GRANTED: 5,
    TariffOutcome.REFUSED: 2,
    TariffOutcome.WITHDRAWN: 1,
}


DEMO_NOTES = {
    TariffOutcome.PREPARING: "Wacht op attest van het OCMW.",
    TariffOutcome.APPLIED: "Aanvraag samen in de winkel ingediend.",
    TariffOutcome.GRANTED: "Abonnement omgezet naar het sociaal tarief.",
    TariffOutcome.REFUSED: "Geweigerd: geen recht volgens de operator; andere mogelijkheden bekijken.",
    TariffOutcome.WITHDRAWN: "Bewoner heeft al een goedkoop abonnement gevonden.",
}


@dataclass(frozen=True)
class TariffDraw:
    pick: float  # which candidate resident (fraction of the list)
    outcome: str
    offer: str
    started_days_ago: int
    applied_after_days: int
    follow_up_in_days: int


def _draw_tariffs(rng: random.Random, count: int) -> list[TariffDraw]:
    outcomes = list(OUTCOME_WEIGHTS)
    draws = []
    for index in range(count):
        # The first five cover every outcome; the rest follow the weights.
        outcome = (
            outcomes[index]
            if index < len(outcomes)
            else rng.choices(outcomes, weights=list(OUTCOME_WEIGHTS.values()))[0]
        )
        draws.append(
            TariffDraw(
                pick=rng.random(),
                outcome=outcome,
                offer=rng.choice(DEMO_OFFERS),
                started_days_ago=rng.randint(3, 120),
                applied_after_days=rng.randint(0, 10),
                follow_up_in_days=rng.randint(-14, 10),
            )
        )
    return draws


def _helper(network, users: dict):
    """Who helped with the applications: the demo service desk user, else the network's
    service desk or coordinator (Demostad has no desk user)."""
    user = (users or {}).get("servicedesk")
    if user is not None and Membership.objects.in_network(network).filter(user=user).exists():
        return user
    for role in (Role.SERVICE_DESK, Role.COORDINATOR):
        membership = (
            Membership.objects.in_network(network)
            .filter(role=role, is_active=True)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if membership is not None:
            return membership.user
    return None


def _candidates(network) -> list[Resident]:
    """Residents with proof of increased reimbursement or living wage, in a fixed order."""
    with_proof = EligibilityProof.objects.in_network(network).filter(
        kind__in=[EligibilityKind.INCREASED_REIMBURSEMENT, EligibilityKind.LIVING_WAGE]
    )
    return list(
        Resident.objects.in_network(network)
        .not_erased()
        .filter(pk__in=with_proof.values("resident_id"))
        .order_by("last_name", "first_name", "birth_year", "pk")
    )


def _basis(resident: Resident) -> str:
    """The proofs the application was based on (valid then, perhaps expired since)."""
    proofs = (
        EligibilityProof.objects.in_network(resident.network_id).filter(resident=resident).order_by("kind")
    )
    return "; ".join(str(proof.get_kind_display()) for proof in proofs)[:200]


def _tariff_applications(network, draws: list[TariffDraw], helper) -> None:
    candidates = _candidates(network)
    if not candidates:
        return
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    used: set[int] = set()
    with translation.override(settings.LANGUAGE_CODE):
        for draw in draws:
            index = int(draw.pick * len(candidates))
            # Next free candidate: one application per resident in the demo.
            for step in range(len(candidates)):
                resident = candidates[(index + step) % len(candidates)]
                if resident.pk not in used:
                    break
            else:
                return
            used.add(resident.pk)
            started = today - datetime.timedelta(days=draw.started_days_ago)
            applied_on = None
            if draw.outcome != TariffOutcome.PREPARING:
                applied_on = min(today, started + datetime.timedelta(days=draw.applied_after_days))
            follow_up_on = None
            if draw.outcome in OPEN_TARIFF_OUTCOMES:
                follow_up_on = today + datetime.timedelta(days=draw.follow_up_in_days)
            application = InternetTariffApplication.objects.create(
                network=network,
                resident=resident,
                offer=draw.offer,
                eligibility_basis=_basis(resident),
                applied_on=applied_on,
                outcome=draw.outcome,
                follow_up_on=follow_up_on,
                notes=DEMO_NOTES[draw.outcome],
                helped_by=helper,
            )
            started_at = datetime.datetime.combine(started, datetime.time(10), tzinfo=tz)
            InternetTariffApplication.objects.filter(pk=application.pk).update(created_at=started_at)
            timeline_add(
                resident=resident,
                kind=TariffTimelineKind.STARTED,
                summary=gettext("Internet tariff: application for %(offer)s (%(outcome)s)")
                % {"offer": draw.offer, "outcome": TariffOutcome.PREPARING.label},
                actor=helper,
                occurred_at=started_at,
            )
            if draw.outcome != TariffOutcome.PREPARING:
                timeline_add(
                    resident=resident,
                    kind=TariffTimelineKind.OUTCOME,
                    summary=gettext("Internet tariff (%(offer)s): %(from)s → %(to)s")
                    % {
                        "offer": draw.offer,
                        "from": TariffOutcome.PREPARING.label,
                        "to": TariffOutcome(draw.outcome).label,
                    },
                    actor=helper,
                    occurred_at=datetime.datetime.combine(applied_on or today, datetime.time(14), tzinfo=tz),
                )


@transaction.atomic
def demo_load(*, network, rng: random.Random, users: dict) -> None:
    count = APPLICATIONS.get(network.slug)
    if not count:
        return
    draws = _draw_tariffs(rng, count)
    if not InternetTariffApplication.objects.in_network(network).exists():
        _tariff_applications(network, draws, _helper(network, users))
