"""Devices made ready the real way (wipe + passed check + device_transition), and small shortcuts."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from digibank.devices.lifecycle import DeviceStatus
from digibank.devices.models import Device, DeviceEvent, QualityCheck, WipeRecord
from digibank.devices.services import device_transition
from digibank.residents.models import EligibilityProof

_numbers = itertools.count(1)


def wipe_and_check(device: Device, *, actor=None, when: datetime.datetime | None = None) -> None:
    """A successful wipe and a passed quality check after it (what READY needs)."""
    when = when or timezone.now()
    WipeRecord.objects.create(
        network_id=device.network_id,
        device=device,
        method="purge",
        tool="nwipe 0.36",
        operator=actor,
        performed_at=when,
        succeeded=True,
    )
    QualityCheck.objects.create(
        network_id=device.network_id, device=device, checked_by=actor, items={}, passed=True
    )


def ready_device(
    network,
    *,
    tag: str | None = None,
    kind: str = "laptop",
    brand: str = "Lenovo",
    model: str = "ThinkPad T480",
    serial: str | None = None,
    actor=None,
) -> Device:
    """A device registered, wiped, checked and made ready through device_transition."""
    number = next(_numbers)
    device = Device.objects.create(
        network=network,
        asset_tag=tag or f"LT-{number:05d}",
        kind=kind,
        brand=brand,
        model=model,
        serial=serial if serial is not None else f"SN-{number:05d}",
        condition="b",
    )
    DeviceEvent.objects.create(
        network=network, device=device, from_status="", to_status=DeviceStatus.RECEIVED
    )
    device_transition(device=device, to_status=DeviceStatus.WIPING, actor=actor, reason="test")
    wipe_and_check(device, actor=actor)
    device_transition(device=device, to_status=DeviceStatus.QUALITY_CHECK, actor=actor, reason="test")
    device_transition(device=device, to_status=DeviceStatus.READY, actor=actor, reason="test")
    return device


def make_eligible(resident, kind: str = "living_wage", *, valid_until=None) -> EligibilityProof:
    proof, _created = EligibilityProof.objects.update_or_create(
        network_id=resident.network_id,
        resident=resident,
        kind=kind,
        defaults={"seen_on": timezone.localdate(), "valid_until": valid_until},
    )
    return proof
