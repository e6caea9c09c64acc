"""Demo data of the catalogue: services, intake rules and internet tariff applications.

Called by ``manage.py demo`` (digibank.demo) once per demo network, after the organisations,
users and residents exist. Deterministic: every random value comes from ``rng`` and is drawn
before anything is looked up, so a second run consumes ``rng`` exactly like the first.
Idempotent: services by name, intake rules and exceptions by organisation; the tariff
applications are only made when the network has none yet. Their dates are relative to today,
so the demo always has follow-ups due.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from digibank.demo import data
from digibank.networks.models import Membership
from digibank.networks.roles import Role
from digibank.organisations.models import Organisation
from digibank.referrals.models import (
    IntakeSettings,
    InternetTariffApplication,
    OrganisationCap,
    TariffOutcome,
)
from digibank.residents.models import EligibilityKind, EligibilityProof, Resident
from digibank.residents.services import timeline_add

from . import selectors
from .models import REFERRAL_CRITERION, Service, ServiceKind, TariffTimelineKind

K = ServiceKind
FINANCIAL = [
    EligibilityKind.INCREASED_REIMBURSEMENT,
    EligibilityKind.LIVING_WAGE,
    EligibilityKind.DEBT_MEDIATION,
]


@dataclass(frozen=True)
class DemoService:
    name: str
    kind: str
    organisation: str
    description: str
    criteria: tuple[str, ...] = ()
    criteria_text: str = ""
    capacity: int | None = None
    has_waiting_list: bool = False
    requires_consent: bool = True


LEUVEN_SERVICES = [
    DemoService(
        "Uitleendienst laptops",
        K.DEVICE_LOAN,
        "Stad Leuven",
        "Een herstelde laptop in bruikleen voor zes maanden, met lader en een korte uitleg bij de start.",
        (*FINANCIAL, REFERRAL_CRITERION),
        "Leuvenaars in een financieel kwetsbare situatie, of doorverwezen door een partner",
        capacity=120,
        has_waiting_list=True,
    ),
    DemoService(
        "Schenking laptops",
        K.DEVICE_GIFT,
        "OCMW Leuven",
        "Een herstelde laptop om te houden, voor wie er langdurig een nodig heeft (school, werk zoeken).",
        tuple(FINANCIAL),
        "Leuvenaars met een verhoogde tegemoetkoming, leefloon of in schuldbemiddeling",
        has_waiting_list=True,
    ),
    DemoService(
        "Sociaal internettarief hulp",
        K.INTERNET_TARIFF,
        "CAW Oost-Brabant",
        "Samen nagaan of je recht hebt op het sociaal internetaanbod of een goedkoop abonnement, "
        "en de aanvraag bij de operator voorbereiden en opvolgen.",
        (EligibilityKind.INCREASED_REIMBURSEMENT, EligibilityKind.LIVING_WAGE, REFERRAL_CRITERION),
        "Wie een leefloon, een inkomensgarantie voor ouderen of een tegemoetkoming "
        "voor personen met een handicap krijgt",
    ),
    DemoService(
        "Digitale basisvaardigheden cursus",
        K.COURSE,
        "Ligo Oost-Brabant",
        "Tien lessen in kleine groep: de computer aanzetten, mails lezen en sturen, veilig surfen, itsme.",
        criteria_text="Iedereen die wil beginnen met de computer",
        capacity=12,
        has_waiting_list=True,
        requires_consent=False,
    ),
    DemoService(
        "Digibuddy",
        K.DIGIBUDDY,
        "Link in de Kabel",
        "Een vrijwilliger komt een paar maanden lang wekelijks langs en oefent mee op je eigen toestel.",
        (REFERRAL_CRITERION,),
        "Wie thuis hulp nodig heeft en door een partner wordt doorverwezen",
        capacity=30,
        has_waiting_list=True,
    ),
    DemoService(
        "Digitaal spreekuur",
        K.HELP_HOURS,
        "Bibliotheek Leuven",
        "Elke week vrij binnenlopen met je vraag over je smartphone, laptop of een website.",
        criteria_text="Iedereen, zonder afspraak",
        requires_consent=False,
    ),
    DemoService(
        "Hulp bij Tax-on-web",
        K.TASK_HELP,
        "ACV Leuven",
        "Tijdens de aangifteperiode helpen we je belastingaangifte in te vullen via Tax-on-web.",
        criteria_text="Iedereen die hulp nodig heeft bij de belastingaangifte; breng je itsme of eID mee",
    ),
    DemoService(
        "PC-dokter herstelling",
        K.REPAIR,
        "De Ruimtevaart",
        "Vrijwillige PC-dokters kijken je trage of kapotte computer na en herstellen hem als het kan.",
        criteria_text="Inwoners die zelf geen herstelling kunnen betalen",
        has_waiting_list=True,
        requires_consent=False,
    ),
]

DEMOSTAD_SERVICES = [
    DemoService(
        "Laptop lenen",
        K.DEVICE_LOAN,
        "Stad Demostad",
        "Een laptop in bruikleen voor zes maanden.",
        (*FINANCIAL, REFERRAL_CRITERION),
        "Inwoners met een laag inkomen",
        capacity=20,
        has_waiting_list=True,
    ),
    DemoService(
        "Sociaal internettarief hulp",
        K.INTERNET_TARIFF,
        "OCMW Demostad",
        "Hulp bij de aanvraag van het sociaal internetaanbod.",
        (EligibilityKind.INCREASED_REIMBURSEMENT, EligibilityKind.LIVING_WAGE),
    ),
    DemoService(
        "Digitaal spreekuur",
        K.HELP_HOURS,
        "Bibliotheek Demostad",
        "Elke woensdagnamiddag vrij binnenlopen met je vraag.",
        criteria_text="Iedereen",
        requires_consent=False,
    ),
]


@dataclass(frozen=True)
class NetworkPlan:
    services: list[DemoService]
    open_request_cap: int | None
    unreferred_alert_days: int
    # organisation name -> its own cap (None: exempt)
    exceptions: dict[str, int | None]
    tariff_applications: int


PLANS = {
    data.LEUVEN["slug"]: NetworkPlan(
        services=LEUVEN_SERVICES,
        open_request_cap=15,
        unreferred_alert_days=5,
        # The OCMW refers the most residents by far: no cap; a small partner gets a lower one.
        exceptions={"OCMW Leuven": None, "Buurtwerk 't Lampeke": 25, "Link in de Kabel": 5},
        tariff_applications=20,
    ),
    data.DEMOSTAD["slug"]: NetworkPlan(
        services=DEMOSTAD_SERVICES,
        open_request_cap=None,
        unreferred_alert_days=7,
        exceptions={},
        tariff_applications=3,
    ),
}

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


@transaction.atomic
def demo_load(*, network, rng: random.Random, users: dict) -> None:
    """Load the catalogue of a demo network (Leuven or Demostad); other networks are left alone."""
    plan = PLANS.get(network.slug)
    if plan is None:
        return
    draws = _draw_tariffs(rng, plan.tariff_applications)
    organisations = {o.name: o for o in Organisation.objects.in_network(network)}
    _services(network, plan, organisations)
    _intake(network, plan, organisations)
    if not InternetTariffApplication.objects.in_network(network).exists():
        _tariff_applications(network, draws, _helper(network, users))


def _services(network, plan: NetworkPlan, organisations: dict[str, Organisation]) -> list[Service]:
    created = []
    for spec in plan.services:
        organisation = organisations.get(spec.organisation)
        if organisation is None:  # the organisation list changed: skip rather than invent one
            continue
        service, _created = Service.objects.update_or_create(
            network=network,
            name=spec.name,
            defaults={
                "kind": spec.kind,
                "organisation": organisation,
                "description": spec.description,
                "criteria": [str(code) for code in spec.criteria],
                "criteria_text": spec.criteria_text,
                "capacity": spec.capacity,
                "has_waiting_list": spec.has_waiting_list,
                "requires_consent": spec.requires_consent,
                "is_active": True,
                "is_public": True,
            },
        )
        created.append(service)
    return created


def _intake(network, plan: NetworkPlan, organisations: dict[str, Organisation]) -> None:
    IntakeSettings.objects.update_or_create(
        network=network,
        defaults={
            "open_request_cap": plan.open_request_cap,
            "unreferred_alert_days": plan.unreferred_alert_days,
        },
    )
    for name, cap in plan.exceptions.items():
        if name in organisations:
            OrganisationCap.objects.update_or_create(
                network=network, organisation=organisations[name], defaults={"cap": cap}
            )


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
            if draw.outcome in selectors.OPEN_TARIFF_OUTCOMES:
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
