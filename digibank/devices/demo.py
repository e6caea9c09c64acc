"""Demo devices: a few hundred refurbished laptops, desktops, screens and phones in every stage.

``demo_load(network=..., rng=..., users=...)`` is called by the demo loader. Deterministic for a
given ``rng`` and idempotent (a network whose demo workshop already holds devices is skipped).
Every history follows the lifecycle table (``lifecycle.TRANSITIONS``); devices that reached
"ready" have a successful wipe and a passed check after it, as ``device_transition`` demands.
Loans and gifts are the lending demo's: run it after this one, it lends "ready" devices.

Rows are written in bulk (a demo of 300 devices through the services one by one takes long);
the timestamps are then set in the past, in the order of each device's history.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from digibank.networks.roles import Role

from . import checklist
from .donations import demo as donations_demo
from .lifecycle import TRANSITIONS, DeviceStatus
from .models import (
    Condition,
    Device,
    DeviceEvent,
    DeviceKind,
    DonationBatch,
    Location,
    QualityCheck,
    RepairStatus,
    RepairTask,
    StockTake,
    StockTakeScan,
    VerifyMode,
    WipeMethod,
    WipeRecord,
)
from .services import ASSET_TAG_DIGITS, asset_tag_prefix

S = DeviceStatus
K = DeviceKind

LOCATIONS = [
    ("Werkplaats Vaartkom (demo)", "Vaartkom 1, 3000 Leuven (fictional)"),
    ("Stockruimte Stadskantoor (demo)", "Professor Van Overstraetenplein 1, 3000 Leuven (fictional)"),
    ("Digipunt Bibliotheek (demo)", "Rijschoolstraat 4, 3000 Leuven (fictional)"),
]

MODELS = {
    K.LAPTOP: [
        ("Lenovo", "ThinkPad T480", "Intel Core i5-8250U", 8, 256, "NVMe", "1.58"),
        ("Lenovo", "ThinkPad T470", "Intel Core i5-7300U", 8, 256, "SSD", "1.60"),
        ("Lenovo", "ThinkPad L480", "Intel Core i5-8250U", 8, 256, "SSD", "1.88"),
        ("Dell", "Latitude 5490", "Intel Core i5-8350U", 8, 256, "SSD", "1.63"),
        ("Dell", "Latitude 7490", "Intel Core i7-8650U", 16, 512, "NVMe", "1.40"),
        ("HP", "EliteBook 840 G5", "Intel Core i5-8350U", 8, 256, "NVMe", "1.48"),
        ("HP", "ProBook 450 G5", "Intel Core i5-8250U", 8, 500, "HDD", "2.10"),
        ("Fujitsu", "Lifebook E548", "Intel Core i5-7200U", 8, 256, "SSD", "1.80"),
    ],
    K.DESKTOP: [
        ("Dell", "OptiPlex 7060 SFF", "Intel Core i5-8500", 8, 256, "SSD", "5.20"),
        ("HP", "ProDesk 600 G4 SFF", "Intel Core i5-8500", 8, 256, "SSD", "5.00"),
        ("Lenovo", "ThinkCentre M720s", "Intel Core i3-8100", 8, 256, "SSD", "5.30"),
    ],
    K.SCREEN: [
        ("Dell", "P2419H", "", None, None, "", "4.60"),
        ("HP", "E24 G4", "", None, None, "", "4.90"),
        ("iiyama", "ProLite XU2493HS", "", None, None, "", "3.40"),
    ],
    K.TABLET: [
        ("Samsung", "Galaxy Tab A 10.1 (2019)", "Exynos 7904", 2, 32, "eMMC", "0.47"),
        ("Apple", "iPad (6th generation)", "A10 Fusion", 2, 32, "eMMC", "0.47"),
    ],
    K.SMARTPHONE: [
        ("Samsung", "Galaxy A52", "Snapdragon 720G", 6, 128, "UFS", "0.19"),
        ("Apple", "iPhone 8", "A11 Bionic", 2, 64, "NVMe", "0.15"),
    ],
    K.ACCESSORY: [("Logitech", "MK270 keyboard and mouse", "", None, None, "", "0.50")],
}
KIND_WEIGHTS = {K.LAPTOP: 70, K.DESKTOP: 10, K.SCREEN: 8, K.TABLET: 6, K.SMARTPHONE: 4, K.ACCESSORY: 2}
# Where the demo devices end up; loans and gifts are made by the lending demo from "ready".
# As in a real digibank there are more people waiting than laptops ready: the lending demo
# lends about all the ready laptops, and the rest of the stock is still being wiped, repaired
# and checked, or went to recycling and parts.
FINAL_WEIGHTS = {
    S.RECEIVED: 18,
    S.WIPING: 12,
    S.IN_REPAIR: 14,
    S.QUALITY_CHECK: 8,
    S.READY: 14,
    S.RECYCLED: 22,
    S.PARTS: 9,
    S.LOST: 1,
}
DIAGNOSES = [
    ("Replace the keyboard", "Three keys dead after a spill", "Keyboard (BE AZERTY)"),
    ("Battery swap", "Battery at 41 % of design capacity", "Battery 45 Wh"),
    ("Fan makes noise", "Fan full of dust, cleaned; new thermal paste", "Thermal paste"),
    ("Does not boot", "Failing hard disk, replaced by an SSD", "SSD 256 GB"),
    ("Hinge broken", "Left hinge cracked, replaced", "Hinge set"),
    ("Screen flickers", "Loose display cable, reseated", ""),
]


GENERIC_REPAIRS = {"Fan makes noise", "Does not boot", "Screen flickers"}


def _path_to(final: DeviceStatus, rng: random.Random) -> list[DeviceStatus]:
    """A realistic route from "received" to ``final``, every step in the lifecycle table."""
    to_ready = (
        [S.WIPING, S.IN_REPAIR, S.QUALITY_CHECK, S.READY]
        if rng.random() < 0.35
        else [
            S.WIPING,
            S.QUALITY_CHECK,
            S.READY,
        ]
    )
    routes = {
        S.RECEIVED: [],
        S.WIPING: [S.WIPING],
        S.IN_REPAIR: [S.WIPING, S.IN_REPAIR],
        S.QUALITY_CHECK: [S.WIPING, S.QUALITY_CHECK],
        S.READY: to_ready,
        S.RECYCLED: [S.RECYCLED] if rng.random() < 0.5 else [S.WIPING, S.IN_REPAIR, S.RECYCLED],
        S.PARTS: [S.WIPING, S.IN_REPAIR, S.PARTS],
        S.LOST: [*to_ready, S.LOST],  # lost from the shelf; loans (and returns) are the lending demo's
    }
    path = [S.RECEIVED, *routes[final]]
    for here, there in zip(path, path[1:], strict=False):
        assert there in TRANSITIONS[here], f"demo route {here} -> {there} is not in the table"
    return path


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _serial(rng: random.Random, brand: str) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
    prefix = {"Lenovo": "PF", "Dell": "", "HP": "5CG", "Apple": "C02", "Fujitsu": "DSAA"}.get(brand, "")
    return prefix + "".join(rng.choice(alphabet) for _ in range(10 - len(prefix)))


@transaction.atomic
def demo_load(*, network, rng: random.Random, users: dict) -> None:
    locations = []
    for name, address in LOCATIONS:
        location, _created = Location.objects.get_or_create(
            network=network, name=name, defaults={"address": address}
        )
        locations.append(location)
    # Donors and batches (collected at those locations; their own seeded generator), then devices.
    donations_demo.demo_load(network=network, rng=random.Random(f"{network.slug}:donations"), users=users)
    if Device.objects.in_network(network).filter(location__in=locations).exists():
        return  # already loaded

    desk = users.get(Role.SERVICE_DESK) or users.get(Role.COORDINATOR)
    volunteer = users.get(Role.VOLUNTEER)
    count = 320 if "leuven" in network.slug else 40  # the big demo network and the small one
    batches = _batches(network)
    prefix = f"{asset_tag_prefix(network)}-"
    existing = Device.objects.in_network(network).filter(asset_tag__startswith=prefix).count()
    now = timezone.now()
    serials: set[str] = set(Device.objects.in_network(network).values_list("serial", flat=True))

    plans = []
    for number in range(existing + 1, existing + count + 1):
        kind = _pick(rng, KIND_WEIGHTS)
        brand, model, cpu, ram, storage, storage_type, weight = rng.choice(MODELS[kind])
        serial = _serial(rng, brand)
        while serial in serials:
            serial = _serial(rng, brand)
        serials.add(serial)
        final = _pick(rng, FINAL_WEIGHTS)
        path = _path_to(final, rng)
        batch = rng.choice(batches) if batches else None
        times = _times(path, rng, now=now, batch=batch)
        device = Device(
            network=network,
            asset_tag=f"{prefix}{number:0{ASSET_TAG_DIGITS}d}",
            kind=kind,
            brand=brand,
            model=model,
            serial=serial,
            cpu=cpu,
            ram_gb=Decimal(ram) if ram else None,
            storage_gb=storage,
            storage_type=storage_type,
            battery_health=rng.randint(62, 98) if kind in (K.LAPTOP, K.TABLET, K.SMARTPHONE) else None,
            os={K.LAPTOP: "Linux Mint 22", K.DESKTOP: "Linux Mint 22", K.TABLET: "Android 11"}.get(kind, ""),
            keyboard_layout="AZERTY (BE)" if kind in (K.LAPTOP, K.DESKTOP) else "",
            condition=rng.choice([Condition.A, Condition.B, Condition.B, Condition.C]),
            weight_kg=Decimal(weight) if rng.random() < 0.6 else None,
            status=path[-1],
            location=locations[0] if path[-1] != S.READY else rng.choice(locations),
            batch=batch,
        )
        if path[-1] == S.RECYCLED:
            device.recycler = "Recupel – Out of Use Leuven (demo)"
            device.recycler_certificate = f"RC-{times[-1]:%Y}-{rng.randint(1000, 9999)}"
        if path[-1] == S.PARTS:
            device.location = locations[0]
        device.fill_serial_keys()  # bulk_create skips save()
        plans.append((device, path, times))

    Device.objects.bulk_create([device for device, _path, _times in plans])
    saved = {
        d.asset_tag: d
        for d in Device.objects.in_network(network).filter(asset_tag__in=[p[0].asset_tag for p in plans])
    }
    events, wipes, checks, tasks = [], [], [], []
    event_times, check_times, device_times = [], [], []
    for device, path, times in plans:
        device = saved[device.asset_tag]
        device_times.append((device, times[0], times[-1]))
        for index, status in enumerate(path):
            events.append(
                DeviceEvent(
                    network=network,
                    device=device,
                    from_status=path[index - 1] if index else "",
                    to_status=status,
                    actor=desk,
                    reason="",
                )
            )
            event_times.append(times[index])
            at = times[index]
            if status == S.WIPING:
                ok = device.kind in (K.SCREEN, K.ACCESSORY) or rng.random() > 0.04
                wipes.append(_wipe(network, device, desk, at + datetime.timedelta(hours=2), succeeded=True))
                if not ok:  # a failed first attempt, redone the same day
                    wipes.append(
                        _wipe(network, device, desk, at + datetime.timedelta(hours=1), succeeded=False)
                    )
            if status == S.QUALITY_CHECK and index + 1 < len(path) and path[index + 1] == S.READY:
                items = {item.key: True for item in checklist.items_for(device.kind)}
                checks.append(
                    QualityCheck(network=network, device=device, checked_by=desk, items=items, passed=True)
                )
                check_times.append(at + datetime.timedelta(hours=3))
            if status == S.IN_REPAIR:
                fitting = [d for d in DIAGNOSES if device.kind == K.LAPTOP or d[0] in GENERIC_REPAIRS]
                title, diagnosis, parts = rng.choice(fitting)
                open_now = index == len(path) - 1
                tasks.append(
                    RepairTask(
                        network=network,
                        device=device,
                        title=title,
                        assigned_to=volunteer
                        if (volunteer and (not open_now or rng.random() < 0.7))
                        else None,
                        status=RepairStatus.IN_PROGRESS
                        if open_now and rng.random() < 0.4
                        else (RepairStatus.OPEN if open_now else RepairStatus.DONE),
                        diagnosis="" if open_now else diagnosis,
                        parts_used="" if open_now else parts,
                        minutes_spent=0 if open_now else rng.choice([20, 35, 45, 60, 90]),
                        done_at=None if open_now else at + datetime.timedelta(days=1),
                    )
                )

    created_events = DeviceEvent.objects.bulk_create(events)
    for event, at in zip(created_events, event_times, strict=True):
        event.at = at
    DeviceEvent.objects.bulk_update(created_events, ["at"], batch_size=500)
    WipeRecord.objects.bulk_create(wipes)
    created_checks = QualityCheck.objects.bulk_create(checks)
    for check, at in zip(created_checks, check_times, strict=True):
        check.checked_at = at
    QualityCheck.objects.bulk_update(created_checks, ["checked_at"], batch_size=500)
    created_tasks = RepairTask.objects.bulk_create(tasks)
    for task in created_tasks:
        task.created_at = (task.done_at or now) - datetime.timedelta(days=1)
    RepairTask.objects.bulk_update(created_tasks, ["created_at"], batch_size=500)
    for device, first, last in device_times:
        device.created_at, device.status_changed_at = first, last
    Device.objects.bulk_update(
        [d for d, _f, _l in device_times], ["created_at", "status_changed_at"], batch_size=500
    )
    _stock_take(network, locations[0], desk, now)


def _times(path: list[DeviceStatus], rng: random.Random, *, now, batch) -> list[datetime.datetime]:
    """When the device took each step: registered on or after its batch came in (never before),
    a few days per step, every moment in the past (recent devices are still on the shelf)."""
    latest = now - datetime.timedelta(hours=1)
    if batch is not None:
        arrived = datetime.datetime.combine(batch.received_on, datetime.time(9), tzinfo=datetime.UTC)
        start = arrived + datetime.timedelta(days=rng.randint(0, 10), hours=rng.randint(0, 8))
    else:
        start = now - datetime.timedelta(days=rng.randint(20, 700), hours=rng.randint(0, 8))
    start = min(start, latest - datetime.timedelta(hours=len(path)))
    times = [start]
    for _step in path[1:]:
        times.append(times[-1] + datetime.timedelta(days=rng.randint(1, 6), minutes=rng.randint(5, 300)))
    if times[-1] > latest:
        # Squeeze the steps between the start and now, keeping their order.
        span, room = times[-1] - start, latest - start
        times = [start + (t - start) * (room / span) for t in times]
    return times


def _wipe(network, device, desk, at, *, succeeded: bool) -> WipeRecord:
    return WipeRecord(
        network=network,
        device=device,
        method=WipeMethod.CLEAR,
        tool="nwipe 0.35",
        operator=desk,
        operator_name=(desk.get_full_name() or desk.get_username()) if desk else "",
        performed_at=at,
        succeeded=succeeded,
        verification="PRNG Stream, 1 pass(es), 1 round(s), blanking pass, last pass verified"
        if succeeded
        else "nwipe status FAILED",
        source="nwipe",
        tool_version="0.35",
        tool_method="PRNG Stream",
        passes=1,
        rounds=1,
        verify_mode=VerifyMode.LAST,
        blanking=True,
        started_at=at - datetime.timedelta(minutes=47),
        result="Erased" if succeeded else "FAILED",
    )


def _batches(network) -> list:
    return list(DonationBatch.objects.in_network(network).order_by("received_on", "pk"))


def _stock_take(network, location, desk, now) -> None:
    """Last month's count at the workshop: one device was not found."""
    in_stock = list(
        Device.objects.in_network(network)
        .filter(location=location, status__in=[S.RECEIVED, S.WIPING, S.IN_REPAIR, S.QUALITY_CHECK, S.READY])
        .order_by("asset_tag")
    )
    if len(in_stock) < 2:
        return
    stock_take = StockTake.objects.create(network=network, location=location, started_by=desk)
    seen, missing = in_stock[:-1], in_stock[-1]
    StockTakeScan.objects.bulk_create(
        [StockTakeScan(network=network, stock_take=stock_take, device=d, scanned_by=desk) for d in seen]
    )
    when = now - datetime.timedelta(days=30)
    StockTake.objects.filter(pk=stock_take.pk).update(
        started_at=when,
        closed_at=when + datetime.timedelta(hours=2),
        closed_by=desk,
        missing_device_ids=[missing.pk],
    )
