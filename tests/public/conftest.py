import datetime

import pytest
from django.test import Client
from django.utils import timezone

from digibank.digipunten.models import Closure, Digipunt, HelpSession, OpeningPeriod, SessionMode
from digibank.networks.models import District

MIDNIGHT = datetime.time(0, 0)


@pytest.fixture
def english():
    """A client that reads the site in English (the msgids), whatever the default language."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def always_open(network, *, name: str, district=None, **extra) -> Digipunt:
    """A digipunt open every day, all day (00:00–24:00): "open now" whenever the test runs."""
    values = {
        "street": "Diestsestraat 1",
        "postcode": "3000",
        "city": "Leuven",
        "computers": 4,
        "has_wifi": True,
        "languages": "nl, ar",
        "latitude": "50.880000",
        "longitude": "4.700000",
        "phone": "016 22 33 44",
    }
    values.update(extra)
    digipunt = Digipunt.objects.create(network=network, name=name, district=district, **values)
    for weekday in range(7):
        OpeningPeriod.objects.create(
            network=network, digipunt=digipunt, weekday=weekday, opens_at=MIDNIGHT, closes_at=MIDNIGHT
        )
    return digipunt


def daily_sessions(digipunt, **extra) -> list[HelpSession]:
    """A bookable help session every day of the week, late in the evening (23:00–23:30 is
    left out so that a slot in the future always exists in the coming days)."""
    sessions = []
    for weekday in range(7):
        values = {
            "title": "Avondspreekuur",
            "weekday": weekday,
            "starts_at": datetime.time(18),
            "ends_at": datetime.time(20),
            "mode": SessionMode.BOTH,
            "slot_minutes": 30,
            "capacity_per_slot": 1,
            "languages": "nl, fr",
            "valid_from": timezone.localdate() - datetime.timedelta(days=30),
        }
        values.update(extra)
        sessions.append(HelpSession.objects.create(network=digipunt.network, digipunt=digipunt, **values))
    return sessions


def free_day(network, after: datetime.date, *, weekdays=range(7)) -> datetime.date:
    """The first day from ``after`` on (on one of ``weekdays``) without any closure in the
    network: the world has a fixed holiday (25 December 2026) that must not fall on a day a
    test gives a meaning."""
    closures = list(Closure.objects.in_network(network))
    day = after
    while day.weekday() not in weekdays or any(c.starts_on <= day <= c.ends_on for c in closures):
        day += datetime.timedelta(days=1)
    return day


@pytest.fixture
def site(world):
    """The world plus, in leuven, a district "Kessel-Lo" with an always-open digipunt that has
    help hours every evening, and the world's own digipunt (Heverlee, weekdays 9–17)."""
    w = world
    w.kessel_lo = District.objects.create(network=w.leuven, name="Kessel-Lo", postcodes="3010")
    w.dp.district = w.district
    w.dp.save(update_fields=["district"])
    w.open_dp = always_open(w.leuven, name="Open Huis Kessel-Lo", district=w.kessel_lo, postcode="3010")
    w.open_sessions = daily_sessions(w.open_dp)
    w.leuven.contact_phone = "016 00 00 00"
    w.leuven.contact_email = "digibank@leuven.example"
    w.leuven.save(update_fields=["contact_phone", "contact_email"])
    return w
