"""Demo data for lending: rules, priority categories, a waiting list, loans in every state
(active, due this week, overdue, returned, lost), a few gifts and open offers.

Runs after the devices/donations demos and lends their ready devices; when there are too
few, it registers, wipes and checks more through the devices services (marked as demo).
Deterministic (``rng``) and idempotent: nothing is added when the network has loans already.
Run it before the referrals demo, which puts residents on these waiting-list categories.
Everything goes through the lending services, so the devices' histories, the waiting list and
the residents' timelines agree.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from digibank.devices import checklist
from digibank.devices.lifecycle import DeviceStatus
from digibank.devices.models import Device
from digibank.devices.services import device_register, quality_check_record, wipe_record
from digibank.residents.models import EligibilityProof, Resident
from digibank.residents.services import eligibility_add

from . import selectors, services
from .models import Loan, LoanKind, LoanStatus, PriorityCategory

CATEGORIES = [
    ("Leerlingen en studenten", 1),
    ("Werkzoekenden", 2),
    ("Senioren", 3),
    ("Andere", 9),
]
CATEGORY_WEIGHTS = [4, 3, 2, 2]
DEMO_MODELS = [
    ("Lenovo", "ThinkPad T480"),
    ("Dell", "Latitude 5490"),
    ("HP", "EliteBook 840 G5"),
    ("Fujitsu", "Lifebook U748"),
]
# How many of each at full size (a network with ~100 residents or more); smaller networks get fewer.
PLAN = {
    "waiting": 40,
    "active": 12,
    "due_week": 5,
    "overdue": 6,
    "returned": 6,
    "lost": 1,
    "gifts": 3,
    "offers": 3,
}
DEMO_NOTE = "Demo"


def _scaled(count: int, residents: int) -> int:
    return max(1, round(count * min(1.0, residents / 100)))


def _ready_devices(network, actor, needed: int, rng: random.Random) -> list[Device]:
    """The network's ready laptops, topped up with demo laptops wiped and checked the real way."""
    devices = list(
        Device.objects.in_network(network).filter(status=DeviceStatus.READY, kind="laptop").order_by("pk")
    )
    while len(devices) < needed:
        brand, model = rng.choice(DEMO_MODELS)
        device = device_register(
            network=network,
            actor=actor,
            data={
                "kind": "laptop",
                "brand": brand,
                "model": model,
                "serial": f"DEMO-L{rng.randrange(10**7, 10**8)}",
                "condition": rng.choice(["a", "b", "b", "c"]),
                "keyboard_layout": "AZERTY (BE)",
                "notes": DEMO_NOTE,
            },
        )
        # The wipe and the passed check move it to "ready" by itself (devices.lifecycle.AUTOMATIC).
        wipe_record(
            device=device,
            actor=actor,
            method="purge",
            tool="nwipe 0.36",
            performed_at=timezone.now(),
            succeeded=True,
            verification="Verified: all sectors zero",
        )
        items = {item.key: True for item in checklist.items_for("laptop")}
        quality_check_record(device=device, actor=actor, items=items, notes=DEMO_NOTE)
        device.refresh_from_db()
        devices.append(device)
    rng.shuffle(devices)
    return devices


def _make_eligible(resident: Resident, *, actor, rng: random.Random, seen_before: datetime.date) -> str:
    """The desk sees proof of a status (as it would at the counter); "" when it could record one.

    Returns the coordinator's exception instead for about one in ten residents, so the demo shows both.
    """
    if rng.random() < 0.1:
        return "Bewijs volgt (demo)"
    have = set(
        EligibilityProof.objects.in_network(resident.network_id)
        .filter(resident=resident)
        .values_list("kind", flat=True)
    )
    free = [k for k in services.DEFAULT_ELIGIBLE_STATUSES if k not in have]
    if not free:
        return "Bewijs verlopen, hernieuwing gevraagd (demo)"
    eligibility_add(
        resident=resident,
        actor=actor,
        data={
            "kind": rng.choice(free),
            "seen_on": seen_before - datetime.timedelta(days=rng.randint(0, 20)),
        },
        source="demo",
    )
    return ""


@transaction.atomic
def demo_load(*, network, rng: random.Random, users: dict) -> None:
    # Only this demo hands devices over; other demos (referrals) may add waiting-list entries.
    if Loan.objects.in_network(network).exists():
        return
    coordinator = users.get("coordinator")
    desk = users.get("service_desk") or coordinator
    settings = services.lending_settings_update(
        network=network,
        actor=coordinator,
        data={"eligible_statuses": list(services.DEFAULT_ELIGIBLE_STATUSES), "deposit_cents": 2000},
    )
    categories = []
    for name, rank in CATEGORIES:
        category = PriorityCategory.objects.in_network(network).filter(name=name).first()
        categories.append(category or services.category_add(network=network, name=name, rank=rank))

    residents = list(
        Resident.objects.in_network(network).not_erased().filter(do_not_contact=False).order_by("pk")
    )
    if not residents:
        return
    rng.shuffle(residents)
    n = len(residents)
    plan = {key: _scaled(count, n) for key, count in PLAN.items()}
    loans_needed = sum(plan[k] for k in ("active", "due_week", "overdue", "returned", "lost", "gifts"))
    devices = _ready_devices(network, desk, loans_needed + plan["offers"], rng)

    # People who get a device or wait for one: eligible under the rules, or a recorded exception.
    borrowers = list(residents)

    def next_borrower(seen_before: datetime.date) -> tuple[Resident, str]:
        resident = borrowers.pop(0)
        if selectors.resident_eligibility(resident, settings).eligible:
            return resident, ""
        return resident, _make_eligible(resident, actor=desk, rng=rng, seen_before=seen_before)

    today = timezone.localdate()
    tz = timezone.get_current_timezone()

    def lend(*, started_on, due_on=None, kind=LoanKind.LOAN, from_list=True) -> Loan:
        requested = datetime.datetime.combine(
            started_on - datetime.timedelta(days=rng.randint(4, 75)),
            datetime.time(rng.randint(9, 16)),
            tzinfo=tz,
        )
        resident, exception = next_borrower(requested.date() if from_list else started_on)
        if from_list:
            services.waiting_add(
                resident=resident,
                category=rng.choices(categories, CATEGORY_WEIGHTS)[0],
                device_kind="laptop",
                actor=desk,
                override_reason=exception,
                may_override=True,
                requested_at=requested,
            )
        return services.loan_create(
            resident=resident,
            device=devices.pop(),
            actor=desk,
            kind=kind,
            started_on=started_on,
            due_on=due_on,
            condition_out=rng.choice(["A – as new", "B – signs of use", "B – signs of use: with bag"]),
            override_reason=exception,
            may_override=True,
        )

    for _ in range(plan["active"]):
        lend(started_on=today - datetime.timedelta(days=rng.randint(5, 150)))
    for _ in range(plan["due_week"]):
        due_on = today + datetime.timedelta(days=rng.randint(0, 6))
        lend(started_on=due_on - datetime.timedelta(days=settings.loan_days), due_on=due_on)
    for _ in range(plan["overdue"]):
        due_on = today - datetime.timedelta(days=rng.randint(1, 45))
        lend(started_on=due_on - datetime.timedelta(days=settings.loan_days), due_on=due_on)
    for _ in range(plan["returned"]):
        loan = lend(started_on=today - datetime.timedelta(days=rng.randint(200, 330)))
        returned_on = min(today, loan.due_on + datetime.timedelta(days=rng.randint(-20, 10)))
        services.loan_return(
            loan=loan,
            actor=desk,
            returned_on=returned_on,
            condition_in=rng.choice(["B – signs of use", "C – works, visible damage: charger missing"]),
            deposit_refunded=rng.random() < 0.8,
        )
    for _ in range(plan["lost"]):
        loan = lend(started_on=today - datetime.timedelta(days=rng.randint(30, 120)), from_list=False)
        services.loan_mark_lost(
            loan=loan, actor=desk, status=LoanStatus.LOST, note="Verloren op de bus (demo)"
        )
    for _ in range(plan["gifts"]):
        lend(
            started_on=today - datetime.timedelta(days=rng.randint(10, 200)),
            kind=LoanKind.GIFT,
            from_list=False,
        )

    # The waiting list: eligible residents still without a device, over the last three months.
    for _ in range(min(plan["waiting"], len(borrowers))):
        requested = timezone.now() - datetime.timedelta(days=rng.randint(1, 90), hours=rng.randint(0, 8))
        resident, exception = next_borrower(timezone.localtime(requested).date())
        services.waiting_add(
            override_reason=exception,
            may_override=True,
            resident=resident,
            category=rng.choices(categories, CATEGORY_WEIGHTS)[0],
            device_kind="laptop" if rng.random() < 0.85 else "tablet",
            actor=desk,
            note=rng.choice(["", "", "", "AZERTY-toetsenbord", "Voor schoolwerk", "Heeft een muis nodig"]),
            requested_at=requested,
        )
    # Open offers: the first in line gets a ready device.
    for device in devices[: plan["offers"]]:
        services.offer_make(device=device, actor=desk)
