"""Demo data of the catalogue: the services each partner offers.

Called by ``manage.py demo`` (digibank.demo) once per demo network, after the organisations,
users and residents exist. Deterministic: every random value comes from ``rng`` and is drawn
before anything is looked up, so a second run consumes ``rng`` exactly like the first.
Idempotent: services by name.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import transaction

from digibank.organisations.models import Organisation
from digibank.residents.models import EligibilityKind

from .models import REFERRAL_CRITERION, Service, ServiceKind

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


PLANS = {
    "leuven-demo": LEUVEN_SERVICES,
    "demostad-demo": DEMOSTAD_SERVICES,
}


@transaction.atomic
def demo_load(*, network, rng: random.Random, users: dict) -> None:
    """Load the catalogue of a demo network (Leuven or Demostad); other networks are left alone."""
    plan = PLANS.get(network.slug)
    if plan is None:
        return
    organisations = {o.name: o for o in Organisation.objects.in_network(network)}
    _services(network, plan, organisations)


def _services(network, plan: list[DemoService], organisations: dict[str, Organisation]) -> list[Service]:
    created = []
    for spec in plan:
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
