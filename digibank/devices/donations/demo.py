"""Demo data for donations: a few fictional donors and their batches over the last months.

Deterministic (``rng``) and idempotent: donors by name; batches only when the demo donors
have none yet, so running the demo twice (even on another day) adds nothing.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from ..models import DonationBatch, Donor, DonorKind, Location
from . import services

DONORS = [
    {
        "kind": DonorKind.ORGANISATION,
        "name": "Softwarehuis Dijlezicht (demo)",
        "contact_name": "Sofie Verhaegen",
        "email": "it@dijlezicht.example",
        "phone": "016 20 30 40",
        "address": "Vaartkom 12, 3000 Leuven",
    },
    {
        "kind": DonorKind.ORGANISATION,
        "name": "Verzekeringen Arenberg (demo)",
        "contact_name": "Koen De Smet",
        "email": "facility@arenberg-verzekeringen.example",
        "address": "Kapeldreef 5, 3001 Heverlee",
    },
    {
        "kind": DonorKind.ORGANISATION,
        "name": "Brouwerij De Tiende Tap (demo)",
        "contact_name": "Lotte Janssens",
        "phone": "016 55 66 77",
        "address": "Brouwersstraat 3, 3010 Kessel-Lo",
    },
    {
        "kind": DonorKind.ORGANISATION,
        "name": "Advocatenkantoor Ladeuze & Partners (demo)",
        "contact_name": "Mr. Pieter Claes",
        "email": "kantoor@ladeuze.example",
        "address": "Ladeuzeplein 21, 3000 Leuven",
    },
    {"kind": DonorKind.PERSON, "name": "Marleen Verstraeten (demo)", "phone": "0470 11 22 33"},
]
# (donor index, days ago, expected number of devices)
BATCHES = [
    (0, 230, 14),
    (1, 190, 9),
    (2, 150, 6),
    (0, 120, 12),
    (3, 85, 8),
    (4, 60, 2),
    (1, 40, 10),
    (2, 12, 5),
]
COLLECTION_POINT = {"name": "Werkplaats Digibank", "address": "Diestsesteenweg 180, 3010 Kessel-Lo"}


def _collection_points(network) -> list[Location]:
    points = list(Location.objects.in_network(network).filter(is_active=True).order_by("name")[:3])
    if not points:
        points = [
            Location.objects.get_or_create(
                network=network, name=COLLECTION_POINT["name"], defaults=COLLECTION_POINT
            )[0]
        ]
    return points


@transaction.atomic
def demo_load(*, network, rng: random.Random, users: dict) -> None:
    actor = users.get("service_desk") or users.get("coordinator")
    donors = []
    for spec in DONORS:
        donor = Donor.objects.in_network(network).filter(name=spec["name"]).first()
        if donor is None:
            donor = services.donor_create(network=network, actor=actor, data=spec)
        donors.append(donor)
    if DonationBatch.objects.in_network(network).filter(donor__in=donors).exists():
        return
    points = _collection_points(network)
    today = timezone.localdate()
    for donor_index, days_ago, expected in BATCHES:
        services.batch_create(
            network=network,
            actor=actor,
            data={
                "donor": donors[donor_index],
                "received_on": today - datetime.timedelta(days=days_ago + rng.randint(0, 3)),
                "collection_point": rng.choice(points),
                "expected_count": expected,
                "notes": "",
            },
        )
