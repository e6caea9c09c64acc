"""Public holidays: added for a year in one go, named in the reader's language, never twice."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from digibank.digipunten import services
from digibank.digipunten.holidays import Holiday, belgian_public_holidays
from digibank.digipunten.models import Closure


def test_belgium_has_ten_public_holidays_with_easter_in_between():
    days = {holiday: day for day, holiday in belgian_public_holidays(2027)}
    assert len(days) == 10
    assert days[Holiday.EASTER_MONDAY] == datetime.date(2027, 3, 29)
    assert days[Holiday.ASCENSION] == datetime.date(2027, 5, 6)
    assert days[Holiday.WHIT_MONDAY] == datetime.date(2027, 5, 17)


@pytest.mark.dutch
def test_adding_a_years_holidays_twice_adds_them_once(world):
    assert services.public_holidays_add(network=world.leuven, year=2027) == 10
    assert services.public_holidays_add(network=world.leuven, year=2027) == 0
    christmas = Closure.objects.in_network(world.leuven).get(holiday=Holiday.CHRISTMAS, starts_on__year=2027)
    assert christmas.reason == "Kerstmis"  # stored in the network's language
    assert (
        not Closure.objects.in_network(world.other).filter(starts_on__year=2027, holiday="christmas").exists()
    )


@time_machine.travel(datetime.datetime(2027, 12, 10, 10, tzinfo=datetime.UTC), tick=False)
def test_the_public_page_names_a_holiday_in_the_readers_language(world, client_for):
    response = client_for(world.coordinator).post(
        reverse("digipunten:closures"), {"action": "add_holidays", "year": "2027"}
    )
    assert response.status_code == 302
    url = reverse("public:digipunt", kwargs={"network_slug": world.leuven.slug, "pk": world.dp.pk})
    names = {"nl": "Kerstmis", "fr": "Noël", "en": "Christmas Day"}
    for language, name in names.items():
        html = Client(HTTP_ACCEPT_LANGUAGE=language).get(url).content.decode()
        assert name in html, language
    assert "Kerstmis" not in Client(HTTP_ACCEPT_LANGUAGE="fr").get(url).content.decode()


def test_a_bad_year_adds_nothing_and_says_so(world, client_for):
    response = client_for(world.coordinator).post(
        reverse("digipunten:closures"), {"action": "add_holidays", "year": "next"}, follow=True
    )
    assert "Choose a year." in response.content.decode()
    assert not Closure.objects.in_network(world.leuven).exclude(holiday="").exists()
    # Only who manages the digipunten may add them.
    assert (
        client_for(world.desk)
        .post(reverse("digipunten:closures"), {"action": "add_holidays", "year": "2027"})
        .status_code
        == 403
    )
