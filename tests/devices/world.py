"""Devices in the test world: a workshop and a storage room, one laptop with a repair task for
the volunteer, a stock-take; and in network ``other`` the same, named "Zegers" so the
authorization walk proves nobody in leuven sees it."""

from digibank.devices.lifecycle import DeviceStatus
from digibank.devices.models import Device, DeviceEvent, DeviceKind, Location, RepairTask, StockTake


def add_device(network, *, asset_tag, location=None, actor=None, **fields) -> Device:
    """A device as registration leaves it: status received, with its first event."""
    fields.setdefault("kind", DeviceKind.LAPTOP)
    device = Device.objects.create(network=network, asset_tag=asset_tag, location=location, **fields)
    DeviceEvent.objects.create(
        network=network, device=device, from_status="", to_status=DeviceStatus.RECEIVED, actor=actor
    )
    return device


def extend_world(w):
    w.workshop = Location.objects.create(network=w.leuven, name="Werkplaats Vaartkom")
    w.storage = Location.objects.create(network=w.leuven, name="Stockruimte Stadskantoor")
    w.laptop = add_device(
        w.leuven,
        asset_tag="LEU-000001",
        brand="Lenovo",
        model="ThinkPad T480",
        serial="PF1ABCDE",
        location=w.workshop,
        actor=w.desk,
    )
    w.repair_task = RepairTask.objects.create(
        network=w.leuven, device=w.laptop, title="Replace the keyboard", assigned_to=w.volunteer
    )
    w.stock_take = StockTake.objects.create(network=w.leuven, location=w.workshop, started_by=w.desk)

    w.other_location = Location.objects.create(network=w.other, name="Zegers magazijn")
    w.other_device = add_device(
        w.other,
        asset_tag="AND-000001",
        brand="Zegers",
        model="Zegers Book",
        serial="ZEG-123",
        location=w.other_location,
    )
    w.other_task = RepairTask.objects.create(network=w.other, device=w.other_device, title="Zegers repair")
    w.other_stock_take = StockTake.objects.create(network=w.other, location=w.other_location)
