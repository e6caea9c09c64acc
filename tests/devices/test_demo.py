"""The device demo: histories that follow the lifecycle table, deterministic and idempotent."""

import random

from digibank.devices import demo, services
from digibank.devices.lifecycle import TRANSITIONS, DeviceStatus
from digibank.devices.models import Device, DeviceEvent, Location
from digibank.lib.serials import serial_key

from ..factories import NetworkFactory


def test_the_demo_loads_valid_histories_once(world):
    network = NetworkFactory(slug="leuven-demo-test", name="Demo")
    users = {"service_desk": world.desk, "volunteer": world.volunteer}
    demo.demo_load(network=network, rng=random.Random(3), users=users)
    devices = list(Device.objects.in_network(network))
    assert len(devices) == 320
    statuses = {d.status for d in devices}
    assert statuses >= {"received", "wiping", "in_repair", "quality_check", "ready", "recycled"}
    for device in devices[:80]:
        events = list(DeviceEvent.objects.filter(device=device).order_by("at", "pk"))
        status = DeviceStatus(events[0].to_status)
        for event in events[1:]:
            assert event.from_status == status and DeviceStatus(event.to_status) in TRANSITIONS[status]
            status = DeviceStatus(event.to_status)
        assert status == device.status
        if device.status == DeviceStatus.READY:
            assert services.readiness_problems(device) == []
    # Bulk-created, yet every device carries the key its serial is matched on.
    assert all(d.serial_key == serial_key(d.serial) != "" for d in devices)
    demo.demo_load(network=network, rng=random.Random(3), users=users)
    assert Device.objects.in_network(network).count() == 320
    assert Location.objects.in_network(network).count() == 3
