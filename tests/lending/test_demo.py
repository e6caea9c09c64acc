import random

from django.utils import timezone

from digibank.devices.lifecycle import DeviceStatus
from digibank.devices.models import Device
from digibank.lending import demo, selectors
from digibank.lending.models import Loan, Offer, PriorityCategory, WaitingListEntry

from ..factories import NetworkFactory, ResidentFactory
from .helpers import make_eligible


def test_the_demo_fills_a_network_with_every_state_and_runs_only_once(world):
    network = NetworkFactory(slug="demo-lending")
    for i in range(60):
        resident = ResidentFactory(network=network, street=f"Demostraat {i}", city="Leuven")
        if i % 4:
            make_eligible(resident)
    users = {"coordinator": world.coordinator, "service_desk": world.desk}
    demo.demo_load(network=network, rng=random.Random(7), users=users)

    loans = Loan.objects.in_network(network)
    statuses = set(loans.values_list("status", flat=True))
    assert statuses == {"active", "returned", "lost", "given"}
    today = timezone.localdate()
    assert selectors.loans_overdue(network=network, today=today).exists()
    assert selectors.loans_due_this_week(network=network, today=today).exists()
    assert WaitingListEntry.objects.in_network(network).filter(status="waiting").count() >= 10
    assert Offer.objects.in_network(network).filter(status="open").exists()
    assert [c.name for c in PriorityCategory.objects.in_network(network)] == [
        "Leerlingen en studenten",
        "Werkzoekenden",
        "Senioren",
        "Andere",
    ]
    # Devices were made ready the real way, and every lent one is on loan now.
    assert Device.objects.in_network(network).filter(notes="Demo").exists()
    for loan in loans.filter(status="active").select_related("device"):
        assert loan.device.status == DeviceStatus.ON_LOAN
    assert selectors.lending_overview(network).median_waiting_days is not None

    counts = (loans.count(), WaitingListEntry.objects.in_network(network).count())
    demo.demo_load(network=network, rng=random.Random(7), users=users)
    assert (loans.count(), WaitingListEntry.objects.in_network(network).count()) == counts
