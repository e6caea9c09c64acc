"""Small steps along the lifecycle, through the same services the pages use."""

from pathlib import Path

from django.utils import timezone

from digibank.devices import checklist, services
from digibank.devices.lifecycle import DeviceStatus as S
from digibank.devices.models import Device, WipeMethod

FIXTURES = Path(__file__).parent / "fixtures"


def resave(pk, **values):
    """Change a device's serials through save(), which keeps their keys (a queryset update would not)."""
    device = Device.objects.get(pk=pk)
    for key, value in values.items():
        setattr(device, key, value)
    device.save(update_fields=list(values))
    return device


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
    """A wipe and a passed check: the lifecycle moves the device to ready by itself (AUTOMATIC)."""
    if device.status == S.IN_REPAIR:
        move(device, actor, S.WIPING)
    wipe(device, actor)
    check(device, actor)
    device.refresh_from_db()
    assert device.status == S.READY, device.status
    return device
