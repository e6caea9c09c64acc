"""Which wipe counts for "ready": one done after the device came in, entered to the minute."""

import datetime

from django.utils import timezone

from digibank.devices.lifecycle import DeviceStatus
from digibank.devices.models import Device, DeviceEvent, QualityCheck, WipeRecord
from digibank.devices.services import readiness_problems


def _device_that_came_in(world, at):
    device = Device.objects.in_network(world.leuven).order_by("pk").first()
    WipeRecord.objects.filter(device=device).delete()
    DeviceEvent.objects.filter(device=device).update(at=at - datetime.timedelta(days=1))
    event = DeviceEvent.objects.create(
        network=world.leuven, device=device, to_status=DeviceStatus.RETURNED, actor=None
    )
    DeviceEvent.objects.filter(pk=event.pk).update(at=at)
    return device


def _wipe(world, device, performed_at):
    WipeRecord.objects.create(
        network=world.leuven,
        device=device,
        method="purge",
        tool="nwipe",
        operator=world.desk,
        performed_at=performed_at,
        succeeded=True,
    )
    QualityCheck.objects.create(
        network=world.leuven, device=device, checked_by=world.desk, items={}, passed=True
    )


def test_a_wipe_entered_afterwards_for_the_same_minute_counts(world):
    came_in = timezone.now().replace(second=40) - datetime.timedelta(minutes=5)
    device = _device_that_came_in(world, came_in)
    _wipe(world, device, came_in.replace(second=0, microsecond=0))
    assert readiness_problems(device) == []


def test_a_wipe_entered_afterwards_for_an_earlier_minute_does_not_count(world):
    came_in = timezone.now().replace(second=40) - datetime.timedelta(minutes=5)
    device = _device_that_came_in(world, came_in)
    _wipe(world, device, came_in - datetime.timedelta(minutes=1))
    assert readiness_problems(device)


def test_a_wipe_recorded_before_the_device_came_back_does_not_count(world):
    device = Device.objects.in_network(world.leuven).order_by("pk").first()
    WipeRecord.objects.filter(device=device).delete()
    _wipe(world, device, timezone.now())
    DeviceEvent.objects.create(
        network=world.leuven, device=device, to_status=DeviceStatus.RETURNED, actor=None
    )
    assert readiness_problems(device)
