"""Small steps along the lifecycle, through the same services the pages use."""

from pathlib import Path

from django.utils import timezone

from digibank.devices import checklist, services
from digibank.devices.lifecycle import DeviceStatus as S
from digibank.devices.models import WipeMethod

FIXTURES = Path(__file__).parent / "fixtures"


def register(world, **fields):
    fields.setdefault("kind", "laptop")
    return services.device_register(network=world.leuven, actor=world.desk, data=fields)


def wipe(device, actor, *, succeeded=True, disk_serial=""):
    return services.wipe_record(
        device=device,
        actor=actor,
        method=WipeMethod.CLEAR,
        tool="nwipe 0.35",
        performed_at=timezone.now(),
        succeeded=succeeded,
        disk_serial=disk_serial,
    )


def check(device, actor, *, passed=True):
    items = {item.key: True for item in checklist.items_for(device.kind)}
    if not passed:
        items["boots"] = False
    return services.quality_check_record(device=device, actor=actor, items=items)


def move(device, actor, *statuses):
    for status in statuses:
        services.device_transition(device=device, to_status=status, actor=actor, reason="test")
    return device


def make_ready(device, actor):
    """received (or returned) -> wiping -> wipe -> quality check -> check -> ready."""
    move(device, actor, S.WIPING)
    wipe(device, actor)
    move(device, actor, S.QUALITY_CHECK)
    check(device, actor)
    return move(device, actor, S.READY)
