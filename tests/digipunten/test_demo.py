"""The demo digipunten: twenty of them, a year of help, deterministic and idempotent."""

import random

import pytest

from digibank.demo.services import demo_load as base_demo_load
from digibank.digipunten.demo import HELP_CONTACTS, demo_load
from digibank.digipunten.holidays import easter
from digibank.digipunten.models import (
    Appointment,
    AppointmentStatus,
    Closure,
    Digipunt,
    HelpContact,
    HelpSession,
    OpeningPeriod,
    Shift,
    Slot,
    VisitorTally,
)
from digibank.networks.models import Network
from tests.sharing import module_data

MODELS = [Digipunt, OpeningPeriod, Closure, HelpSession, Shift, HelpContact, VisitorTally, Slot, Appointment]


def load_demo() -> Network:
    base_demo_load()
    return Network.objects.get(slug="leuven-demo")


demo_data = module_data(load_demo, name="demo_data")


@pytest.fixture
def leuven(demo_data, db):
    """The demo networks, loaded once for the module: Leuven's."""
    return demo_data.get()


def counts(network):
    return {model.__name__: model.objects.in_network(network).count() for model in MODELS}


def test_it_builds_twenty_demo_digipunten_with_a_year_of_help(leuven):
    demo_load(network=leuven, rng=random.Random(2022), users={})
    digipunten = list(Digipunt.objects.in_network(leuven).select_related("district"))
    assert len(digipunten) == 20
    assert all(d.name.endswith("(demo)") and d.is_demo for d in digipunten)
    assert {d.district.name for d in digipunten} == {"Leuven", "Heverlee", "Kessel-Lo", "Wilsele", "Wijgmaal"}
    assert all(OpeningPeriod.objects.in_network(leuven).filter(digipunt=d).exists() for d in digipunten)
    assert HelpContact.objects.in_network(leuven).count() == HELP_CONTACTS
    holidays = Closure.objects.in_network(leuven).filter(digipunt__isnull=True)
    assert holidays.filter(reason="Paasmaandag").count() == 3
    assert holidays.filter(reason="Kerstmis").exists()
    assert HelpSession.objects.in_network(leuven).count() >= 12
    assert Shift.objects.in_network(leuven).exists()
    statuses = set(Appointment.objects.in_network(leuven).values_list("status", flat=True))
    assert {AppointmentStatus.BOOKED, AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW} <= statuses
    for slot in Slot.objects.in_network(leuven):
        taken = Appointment.objects.in_network(leuven).filter(slot=slot).exclude(status="cancelled").count()
        assert slot.booked == taken <= slot.capacity


def test_running_it_twice_adds_nothing(leuven):
    demo_load(network=leuven, rng=random.Random(2022), users={})
    first = counts(leuven)
    demo_load(network=leuven, rng=random.Random(99), users={})
    assert counts(leuven) == first


def test_the_same_seed_gives_the_same_help_contacts(leuven):
    def contacts():
        return list(
            HelpContact.objects.in_network(leuven)
            .order_by("occurred_at", "digipunt__name", "theme__code", "language", "minutes")
            .values_list("occurred_at", "digipunt__name", "theme__code", "language", "minutes", "outcome")
        )

    HelpContact.objects.in_network(leuven).delete()  # the full demo may have loaded them already
    demo_load(network=leuven, rng=random.Random(7), users={})
    first = contacts()
    HelpContact.objects.in_network(leuven).delete()
    demo_load(network=leuven, rng=random.Random(7), users={})
    assert contacts() == first


def test_another_demo_network_gets_two_digipunten_in_its_own_districts(leuven):
    demostad = Network.objects.get(slug="demostad-demo")
    demo_load(network=demostad, rng=random.Random(1), users={})
    digipunten = Digipunt.objects.in_network(demostad).select_related("district")
    assert digipunten.count() == 2
    assert all(d.name.endswith("(demo)") and d.district is not None for d in digipunten)
    assert HelpContact.objects.in_network(demostad).exists()


def test_easter_is_right():
    import datetime

    assert easter(2026) == datetime.date(2026, 4, 5)
    assert easter(2027) == datetime.date(2027, 3, 28)
