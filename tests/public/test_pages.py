"""The pages residents read: one network's public data only, filters that work without
JavaScript, texts per language, right-to-left, and a constant number of queries."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from digibank.digipunten import hours
from digibank.digipunten.models import Closure, Digipunt
from digibank.public import services

from .conftest import always_open, daily_sessions, free_day


def site_url(name, world, **kwargs):
    return reverse(f"public:{name}", kwargs={"network_slug": world.leuven.slug, **kwargs})


def test_the_network_list_links_to_each_network(site, english):
    html = english.get(reverse("public:networks")).content.decode()
    assert site_url("home", site) in html
    assert reverse("public:home", kwargs={"network_slug": site.other.slug}) in html


@pytest.mark.parametrize(
    "name", ["home", "find", "book_start", "help", "volunteer", "donate", "privacy", "flyers"]
)
def test_an_unknown_network_is_a_clean_404(site, english, name):
    assert english.get(reverse(f"public:{name}", kwargs={"network_slug": "x"})).status_code == 404


@pytest.mark.dutch
def test_the_home_page_shows_the_network_text_in_the_visitors_language(site):
    services.public_text_save(
        network=site.leuven, key="welcome", language="fr", text="Bienvenue à Louvain.", actor=None
    )
    french = Client(HTTP_ACCEPT_LANGUAGE="fr").get(site_url("home", site)).content.decode()
    dutch = Client(HTTP_ACCEPT_LANGUAGE="nl").get(site_url("home", site)).content.decode()
    assert "Bienvenue à Louvain." in french
    assert "Welkom in Leuven." in dutch and "Bienvenue" not in dutch


@pytest.mark.dutch
def test_without_a_text_in_the_language_the_default_language_text_is_shown(site, english):
    assert "Welkom in Leuven." in english.get(site_url("home", site)).content.decode()


def test_without_any_text_the_standard_text_is_shown(site, english):
    services.public_text_save(network=site.leuven, key="welcome", language="nl", text="", actor=None)
    assert "Our help is free." in english.get(site_url("home", site)).content.decode()


def test_the_pages_never_show_another_networks_data(site, english):
    always_open(site.other, name="Zegers huis")
    for name in ["home", "find", "book_start", "privacy", "flyers"]:
        html = english.get(site_url(name, site)).content.decode()
        assert "Zegers" not in html, name


def test_find_lists_the_open_digipunten_first_and_says_until_when(site, english):
    # 20:00 on a Monday to Thursday without closures: the open house is open (until midnight),
    # the library (weekdays 9–17) closed until the next morning. Its name comes first in the
    # alphabet, so only "open first" puts it second.
    day = free_day(site.leuven, timezone.localdate() + datetime.timedelta(days=1), weekdays=range(4))
    with time_machine.travel(hours.to_instant(day, datetime.time(20)), tick=False):
        html = english.get(site_url("find", site)).content.decode()
    assert html.index("Open Huis Kessel-Lo") < html.index("Bibliotheek Tweebronnen (test)")
    assert "Open now, until midnight" in html
    assert "Closed now. Opens" in html and "at 09:00" in html


def test_find_open_now_leaves_out_closed_places(site, english):
    closed = always_open(site.leuven, name="Dicht Punt")
    today = timezone.localdate()
    Closure.objects.create(
        network=site.leuven, digipunt=closed, starts_on=today, ends_on=today, reason="Werken"
    )
    every = english.get(site_url("find", site)).content.decode()
    only_open = english.get(site_url("find", site), {"open_now": "on"}).content.decode()
    assert "Dicht Punt" in every and "Dicht Punt" not in only_open
    assert "Open Huis Kessel-Lo" in only_open


def test_find_by_postcode_narrows_to_its_district(site, english):
    html = english.get(site_url("find", site), {"postcode": "3010"}).content.decode()
    assert "Open Huis Kessel-Lo" in html and "Bibliotheek Tweebronnen (test)" not in html
    html = english.get(site_url("find", site), {"postcode": "3001"}).content.decode()
    assert "Open Huis Kessel-Lo" not in html and "Bibliotheek Tweebronnen (test)" in html


def test_find_by_district_language_and_need(site, english):
    by_district = english.get(site_url("find", site), {"district": str(site.kessel_lo.pk)}).content.decode()
    assert "Open Huis Kessel-Lo" in by_district and "Bibliotheek Tweebronnen" not in by_district
    arabic = english.get(site_url("find", site), {"language": "ar"}).content.decode()
    assert "Open Huis Kessel-Lo" in arabic and "Bibliotheek Tweebronnen" not in arabic
    printer = english.get(site_url("find", site), {"need": "printer"}).content.decode()
    assert "Bibliotheek Tweebronnen" in printer and "Open Huis Kessel-Lo" not in printer


def test_a_wrong_postcode_is_explained_next_to_the_field(site, english):
    html = english.get(site_url("find", site), {"postcode": "30"}).content.decode()
    assert 'id="id_postcode_error"' in html


def test_the_digipunt_page_shows_hours_exceptions_help_hours_equipment_and_access(site, english):
    today = timezone.localdate()
    Closure.objects.create(
        network=site.leuven,
        digipunt=site.open_dp,
        starts_on=today + datetime.timedelta(days=3),
        ends_on=today + datetime.timedelta(days=3),
        reason="Personeelsfeest",
    )
    site.open_dp.step_free = True
    site.open_dp.accessibility_notes = "Ingang via de zijdeur."
    site.open_dp.save()
    html = english.get(site_url("digipunt", site, pk=site.open_dp.pk)).content.decode()
    for text in [
        "Diestsestraat 1",
        "00:00–24:00",
        "Personeelsfeest",
        "Avondspreekuur" if False else "18:00–20:00",
        "4 computers",
        "Free wifi",
        "Step-free access",
        "Ingang via de zijdeur.",
        "Arabic",
        reverse("open:ical_digipunt", kwargs={"network_slug": site.leuven.slug, "pk": site.open_dp.pk}),
        site_url("book", site, pk=site.open_dp.pk),
    ]:
        assert text in html, text


def test_an_inactive_digipunt_or_one_of_another_network_is_not_found(site, english):
    Digipunt.objects.filter(pk=site.dp.pk).update(is_active=False)
    assert english.get(site_url("digipunt", site, pk=site.dp.pk)).status_code == 404
    assert english.get(site_url("digipunt", site, pk=site.dp_other.pk)).status_code == 404


def test_the_language_switch_is_on_every_page(site, english):
    for name in ["home", "find", "help", "volunteer", "donate", "book_start", "privacy"]:
        html = english.get(site_url(name, site)).content.decode()
        assert 'name="language" value="fr"' in html and 'name="language" value="nl"' in html, name


def test_the_language_switch_changes_the_language(site):
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": site_url("home", site)})
    html = client.get(site_url("home", site)).content.decode()
    assert '<html lang="en" dir="ltr">' in html


@pytest.mark.dutch
def test_dutch_is_the_default(site):
    assert '<html lang="nl"' in Client().get(site_url("home", site)).content.decode()


def test_a_right_to_left_language_turns_the_page(site, settings):
    settings.LANGUAGES = [*settings.LANGUAGES, ("ar", "العربية")]
    html = Client(HTTP_ACCEPT_LANGUAGE="ar").get(site_url("home", site)).content.decode()
    assert '<html lang="ar" dir="rtl">' in html


def test_public_pages_have_no_inline_script_or_style_and_load_no_javascript(site, english):
    for name in ["home", "find", "help", "volunteer", "donate", "book_start", "privacy", "flyers"]:
        html = english.get(site_url(name, site)).content.decode()
        assert "<script" not in html and "<style" not in html and " style=" not in html, name


# --- queries ---------------------------------------------------------------------------------------


def _more_digipunten(world, n):
    for i in range(n):
        place = always_open(world.leuven, name=f"Extra digipunt {i}", district=world.district)
        daily_sessions(place)


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("find", {}),
        ("find", {"postcode": "3001", "open_now": "on", "language": "nl", "need": "help"}),
        ("book_start", {}),
        ("home", {}),
        ("flyers", {}),
    ],
)
def test_list_pages_cost_the_same_number_of_queries_for_one_or_many_digipunten(
    site, english, django_assert_num_queries, name, params
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        english.get(site_url(name, site), params)
    _more_digipunten(site, 6)
    with django_assert_num_queries(len(few.captured_queries)):
        english.get(site_url(name, site), params)


def test_the_booking_page_costs_the_same_for_few_or_many_booked_slots(
    site, english, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .test_booking import booking_data, first_slot

    url = site_url("book", site, pk=site.open_dp.pk)
    with CaptureQueriesContext(connection) as few:
        english.get(url)
    count = len(few.captured_queries)  # now: the next request clears the log
    for _ in range(3):
        english.post(url, booking_data(first_slot(site)))
    with django_assert_num_queries(count):
        english.get(url)
