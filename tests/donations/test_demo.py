import random

from digibank.donations.demo import demo_load
from digibank.donations.models import DonationBatch, Donor, DonorKind


def test_the_demo_adds_fictional_donors_and_batches_once(world):
    users = {"coordinator": world.coordinator, "service_desk": world.desk}
    demo_load(network=world.leuven, rng=random.Random(7), users=users)
    donors = Donor.objects.filter(network=world.leuven, name__endswith="(demo)")
    batches = DonationBatch.objects.filter(network=world.leuven, donor__in=donors)
    assert donors.filter(kind=DonorKind.PERSON).count() == 1
    assert donors.filter(kind=DonorKind.ORGANISATION).count() >= 3
    assert batches.count() >= 6
    assert all(b.reference.startswith("D") and b.collection_point_id for b in batches)
    counts = (Donor.objects.count(), DonationBatch.objects.count())
    demo_load(network=world.leuven, rng=random.Random(7), users=users)
    assert (Donor.objects.count(), DonationBatch.objects.count()) == counts
    assert not Donor.objects.filter(network=world.other, name__endswith="(demo)").exists()


def test_the_demo_devices_cover_the_lifecycle_and_their_history_replays(world, monkeypatch):
    from digibank.devices.models import Device
    from digibank.donations import demo

    monkeypatch.setattr(demo, "_devices_demo_exists", lambda: False)
    users = {"coordinator": world.coordinator, "service_desk": world.desk, "volunteer": world.volunteer}
    demo_load(network=world.leuven, rng=random.Random(2022), users=users)
    devices = Device.objects.filter(network=world.leuven, batch__donor__name__endswith="(demo)")
    assert 40 <= devices.count() <= 80
    statuses = set(devices.values_list("status", flat=True))
    assert {"received", "ready", "quality_check"} <= statuses
    for device in devices:
        events = list(device.events.order_by("at", "pk"))
        assert events[0].from_status == ""
        assert events[-1].to_status == device.status
        assert all(a.to_status == b.from_status for a, b in zip(events, events[1:], strict=False))
