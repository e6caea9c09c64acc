"""Demo data for donations: a few fictional donors and their batches over the last months.

Deterministic (``rng``) and idempotent: donors by name; batches only when the demo donors
have none yet, so running the demo twice (even on another day) adds nothing.
"""

from __future__ import annotations

import datetime
import importlib.util
import random
import string

from django.db import transaction
from django.utils import timezone

from digibank.devices import checklist
from digibank.devices.lifecycle import DeviceStatus
from digibank.devices.models import Device, DeviceEvent, Location, QualityCheck
from digibank.devices.services import (
    device_change_status,
    device_transition,
    quality_check_record,
    wipe_record,
)

from . import services
from .models import DonationBatch, Donor, DonorKind

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


# (kind, brand, model, serial pattern, weight kg); "#" a digit or capital, "9" a digit.
MODELS = [
    ("laptop", "Lenovo", "ThinkPad T480", "PF1#####", "1.58"),
    ("laptop", "Lenovo", "ThinkPad X270", "PC0#####", "1.36"),
    ("laptop", "Lenovo", "ThinkPad L390", "PF1#####", "1.46"),
    ("laptop", "Dell", "Latitude 5490", "#######", "1.60"),
    ("laptop", "Dell", "Latitude 7490", "#######", "1.40"),
    ("laptop", "HP", "EliteBook 840 G5", "5CG9######", "1.48"),
    ("laptop", "HP", "ProBook 450 G6", "5CD9######", "2.00"),
    ("laptop", "Fujitsu", "Lifebook E548", "DSDA######", "1.72"),
    ("desktop", "Dell", "OptiPlex 7060 Micro", "#######", "1.18"),
    ("desktop", "HP", "ProDesk 600 G3 SFF", "CZC9######", "4.80"),
    ("screen", "Dell", "P2419H", "CN0#########", "3.30"),
    ("screen", "Philips", "243V7Q", "UK0#########", "2.90"),
    ("tablet", "Samsung", "Galaxy Tab A 10.1", "R52M######", "0.47"),
]
MODEL_WEIGHTS = [10, 5, 5, 8, 5, 8, 4, 3, 4, 3, 4, 2, 3]
WIPE_TOOLS = {"clear": "nwipe 0.36 (PRNG stream, 1 pass)", "purge": "hdparm ATA Secure Erase"}


def _devices_demo_exists() -> bool:
    """The devices app may bring its own demo devices; then we add none, to not count twice."""
    return importlib.util.find_spec("digibank.devices.demo") is not None


def _serial(rng: random.Random, pattern: str) -> str:
    alphabet = string.ascii_uppercase.replace("O", "").replace("I", "") + string.digits
    return "".join(
        rng.choice(alphabet) if c == "#" else rng.choice(string.digits) if c == "9" else c for c in pattern
    )


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _backdate(device: Device, start: datetime.datetime) -> None:
    """Spread the device's history (made just now) over the days after the batch came in.

    The checklist is dated just after the device entered "quality check", so it stays after
    the wipe and before "ready", as the readiness rule wants.
    """
    for step, event in enumerate(device.events.order_by("at", "pk")):
        at = start + datetime.timedelta(days=step * 2, hours=step)
        DeviceEvent.objects.filter(pk=event.pk).update(at=at)
        if event.to_status == DeviceStatus.QUALITY_CHECK:
            QualityCheck.objects.filter(device=device).update(checked_at=at + datetime.timedelta(hours=2))
    Device.objects.filter(pk=device.pk).update(created_at=start)


def _demo_devices(*, batch: DonationBatch, rng: random.Random, actor, volunteer, age_days: int) -> None:
    """Devices of one batch, further along the lifecycle the longer ago the batch came in."""
    count = max(1, batch.expected_count - rng.randint(0, 2))
    received = _at(batch.received_on, 10)
    for _n in range(count):
        kind, brand, model, pattern, weight = rng.choices(MODELS, weights=MODEL_WEIGHTS)[0]
        device = services.batch_device_register(
            batch=batch,
            actor=actor,
            data={
                "kind": kind,
                "brand": brand,
                "model": model,
                "serial": _serial(rng, pattern),
                "weight_kg": weight,
                "condition": rng.choice(["a", "b", "b", "c"]),
            },
        )
        # It came in with its batch (the readiness rule looks for wipes after that moment).
        DeviceEvent.objects.filter(device=device).update(at=received)
        # Older batches are further along: most of them wiped, checked and ready.
        progress = min(1.0, age_days / 120) * rng.uniform(0.6, 1.3)
        if progress < 0.2:
            _backdate(device, received)
            continue
        if progress > 1.15 and kind == "laptop" and rng.random() < 0.25:
            device_change_status(
                device=device,
                to_status=DeviceStatus.RECYCLED,
                actor=actor,
                reason="Moederbord defect",
                recycler="Recupel (demo)",
                certificate=f"REC-{batch.received_on:%Y}-{rng.randint(1000, 9999)}",
            )
            _backdate(device, received)
            continue
        device_transition(device=device, to_status=DeviceStatus.WIPING, actor=actor, reason="")
        method = "purge" if rng.random() < 0.3 else "clear"
        wiped_at = received + datetime.timedelta(days=2, hours=rng.randint(2, 8))
        succeeded = rng.random() > 0.05
        wipe_record(
            device=device,
            actor=volunteer or actor,
            method=method,
            tool=WIPE_TOOLS[method],
            performed_at=wiped_at,
            succeeded=succeeded,
            verification="Verificatie: laatste pass teruggelezen" if succeeded else "Schijf gaf leesfouten",
        )
        if not succeeded or progress < 0.45:
            _backdate(device, received)
            continue
        if rng.random() < 0.3:
            device_transition(
                device=device, to_status=DeviceStatus.IN_REPAIR, actor=actor, reason="Toetsenbord"
            )
            if progress < 0.7:
                _backdate(device, received)
                continue
        device_transition(device=device, to_status=DeviceStatus.QUALITY_CHECK, actor=actor, reason="")
        items = {item.key: True for item in checklist.items_for(kind)}
        quality_check_record(device=device, actor=actor, items=items)
        if progress < 0.8:
            _backdate(device, received)
            continue
        device_transition(device=device, to_status=DeviceStatus.READY, actor=actor, reason="")
        _backdate(device, received)


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
    with_devices = not _devices_demo_exists()
    for donor_index, days_ago, expected in BATCHES:
        batch = services.batch_create(
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
        if with_devices:
            age = (today - batch.received_on).days
            _demo_devices(batch=batch, rng=rng, actor=actor, volunteer=users.get("volunteer"), age_days=age)
