"""Demo data of the public site: the network's texts in Dutch, French and English, a few
volunteer applications and offers of devices in the inbox (fictional people, example domains).

Deterministic for a given ``rng`` and idempotent: run twice, nothing is added the second time.
"""

from __future__ import annotations

import random
import uuid

from django.utils import timezone

from digibank.networks.models import District

from . import services
from .models import DonationOffer, PublicText, VolunteerApplication

TEXTS = {
    "nl": {
        "welcome": (
            "{name} helpt je met computers, internet en digitale diensten. Onze hulp is gratis. "
            "Kom langs in een digipunt in je buurt, of vraag ons om hulp."
        ),
        "contact": "Heb je een vraag? Bel ons of stuur een e-mail. Wij helpen je graag verder.",
        "privacy": (
            "Wij vragen alleen wat we nodig hebben om je te helpen. We verkopen je gegevens niet en "
            "gebruiken ze niet voor reclame. Je mag altijd vragen welke gegevens we over je bewaren, "
            "en vragen om ze te wissen."
        ),
    },
    "fr": {
        "welcome": (
            "{name} vous aide avec les ordinateurs, internet et les services numériques. Notre aide est "
            "gratuite. Venez dans un digipunt près de chez vous, ou demandez-nous de l'aide."
        ),
        "contact": "Vous avez une question ? Appelez-nous ou envoyez un e-mail.",
        "privacy": (
            "Nous demandons seulement ce qu'il faut pour vous aider. Nous ne vendons pas vos données et "
            "ne les utilisons pas pour de la publicité. Vous pouvez demander quelles données nous gardons, "
            "et demander de les effacer."
        ),
    },
    "en": {
        "welcome": (
            "{name} helps you with computers, the internet and digital services. Our help is free. "
            "Come to a digipunt near you, or ask us for help."
        ),
        "contact": "Do you have a question? Call us or send an e-mail.",
        "privacy": (
            "We only ask what we need to help you. We do not sell your details or use them for "
            "advertising. You can ask which details we keep about you, and ask us to remove them."
        ),
    },
}

APPLICANTS = [
    ("Lotte Vermeulen", ["digibuddy"], ["nl", "en"], ["weekday_evening"], "new"),
    ("Youssef Amrani", ["digihelper"], ["nl", "ar", "fr"], ["weekday_afternoon"], "contacted"),
    ("Marc Claes", ["pc_doctor"], ["nl"], ["weekday_morning", "weekend"], "accepted"),
    ("Elif Yilmaz", ["digihelper", "digibuddy"], ["nl", "tr"], ["weekend"], "new"),
]
MOTIVATIONS = [
    "Ik ben gepensioneerd en wil graag iets doen voor mijn buurt.",
    "Ik studeer informatica en help graag mensen met hun smartphone.",
    "Ik herstel al jaren computers voor familie en vrienden.",
    "",
]
OFFERS = [
    (
        "organisation",
        "Softwarebedrijf Arenberg (demo)",
        "Katrien Maes",
        18,
        ["laptop", "screen"],
        "pickup",
        "new",
    ),
    (
        "organisation",
        "Advocatenkantoor De Bruyn (demo)",
        "Stijn De Bruyn",
        6,
        ["laptop"],
        "drop_off",
        "planned",
    ),
    ("person", "", "Anna Janssens", 1, ["tablet"], "drop_off", "new"),
]


def _texts(network) -> None:
    for language, texts in TEXTS.items():
        for key, text in texts.items():
            if not PublicText.objects.in_network(network).filter(key=key, language=language).exists():
                services.public_text_save(
                    network=network,
                    key=key,
                    language=language,
                    text=text.format(name=network.name),
                    actor=None,
                )


def _phone(rng: random.Random) -> str:
    return f"04{rng.randint(70, 99)} " + " ".join(str(rng.randint(10, 99)) for _ in range(3))


def _email(name: str) -> str:
    return name.lower().replace(" ", ".") + "@example.org"


def demo_load(*, network, rng: random.Random, users: dict) -> None:
    _texts(network)
    coordinator = users.get("coordinator")
    desk = users.get("service_desk") or coordinator
    districts = list(District.objects.in_network(network).order_by("name").values_list("pk", flat=True))
    if not VolunteerApplication.objects.in_network(network).exists():
        for (name, roles, languages, availability, status), motivation in zip(
            APPLICANTS, MOTIVATIONS, strict=True
        ):
            submission, _created = services.volunteer_apply(
                network=network,
                token=uuid.UUID(int=rng.getrandbits(128)),
                data={
                    "name": name,
                    "email": _email(name),
                    "phone": _phone(rng),
                    "roles": roles,
                    "languages": languages,
                    "availability": availability,
                    "districts": rng.sample(districts, k=min(2, len(districts))),
                    "motivation": motivation,
                    "consent": True,
                },
                language=rng.choice(["nl", "nl", "fr", "en"]),
                send_messages=False,
            )
            if status != "new" and coordinator is not None:
                application = VolunteerApplication.objects.get(pk=submission.object_id)
                if status == "accepted":
                    services.application_set_status(
                        application=application, status="contacted", actor=coordinator
                    )
                services.application_set_status(
                    application=application,
                    status=status,
                    actor=coordinator,
                    note="Kennismakingsgesprek gepland.",
                )
    if not DonationOffer.objects.in_network(network).exists():
        for kind, company, name, count, kinds, handover, status in OFFERS:
            submission, _created = services.donation_offer_submit(
                network=network,
                token=uuid.UUID(int=rng.getrandbits(128)),
                data={
                    "donor_kind": kind,
                    "organisation_name": company,
                    "name": name,
                    "email": _email(name),
                    "phone": "",
                    "device_count": count,
                    "device_kinds": kinds,
                    "handover": handover,
                    "postcode": "3000" if handover == "pickup" else "",
                    "message": "",
                    "consent": True,
                },
                language="nl",
                send_messages=False,
            )
            if status != "new" and desk is not None:
                offer = DonationOffer.objects.get(pk=submission.object_id)
                note = f"Afgesproken voor {timezone.localdate():%d/%m}."
                services.offer_set_status(offer=offer, status=status, actor=desk, note=note)
