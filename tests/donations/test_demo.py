import random

from digibank.devices.donations.demo import demo_load
from digibank.devices.models import DonationBatch, Donor, DonorKind


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
