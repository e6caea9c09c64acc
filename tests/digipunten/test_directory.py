"""The directory: list with "open now", detail, editing, opening hours, closures, sessions, themes."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from digibank.digipunten.models import Closure, Digipunt, HelpSession, HelpTheme, OpeningPeriod

from .world import make_digipunt, make_session

LIST = reverse("digipunten:list")


def detail(digipunt):
    return reverse("digipunten:detail", kwargs={"pk": digipunt.pk})


def hours_url(digipunt):
    return reverse("digipunten:hours", kwargs={"pk": digipunt.pk})


def test_everyone_on_staff_sees_the_directory_with_open_now(world, client_for):
    for actor in (world.steering, world.volunteer, world.partner_b):
        html = client_for(actor).get(LIST).content.decode()
        assert "Bibliotheek Tweebronnen (test)" in html
        assert "Open" in html or "Closed" in html
    assert "Bibliotheek Tweebronnen" not in client_for(world.outsider).get(LIST).content.decode()


def test_the_list_costs_the_same_queries_for_one_or_many(world, client_for, django_assert_max_num_queries):
    client = client_for(world.desk)
    with django_assert_max_num_queries(12) as one:
        client.get(LIST)
    for n in range(6):
        digipunt = make_digipunt(world.leuven, name=f"Digipunt {n}", district=world.district)
        Closure.objects.create(
            network=world.leuven,
            digipunt=digipunt,
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate(),
            reason="Vandaag dicht",
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(LIST)
    assert "7 digipunten" in response.content.decode()


def test_the_list_filters_by_district(world, client_for):
    make_digipunt(world.leuven, name="Heverlee digipunt", district=world.district)
    html = client_for(world.desk).get(LIST, {"district": world.district.pk}).content.decode()
    assert "Heverlee digipunt" in html and "Bibliotheek Tweebronnen" not in html


def test_the_detail_shows_hours_equipment_accessibility_and_help_hours(world, client_for):
    html = client_for(world.volunteer).get(detail(world.dp)).content.decode()
    for text in (
        "Rijschoolstraat 1, 3000 Leuven",
        "printer",
        "step-free access",
        "09:00–17:00",
        "Digitaal spreekuur",
    ):
        assert text in html
    assert "Kerstmis" in html or timezone.localdate() > datetime.date(2026, 12, 25)
    assert client_for(world.coordinator).get(detail(world.dp_other)).status_code == 404


def test_a_coordinator_adds_a_digipunt_and_is_sent_to_its_hours(world, client_for):
    data = {
        "name": "Buurthuis Noord",
        "kind": "neighbourhood_centre",
        "street": "Noordstraat 2",
        "postcode": "3001",
        "city": "Leuven",
        "district": world.district.pk,
        "computers": 3,
        "languages": "NL, ar",
        "is_active": "on",
    }
    response = client_for(world.coordinator).post(reverse("digipunten:create"), data)
    digipunt = Digipunt.objects.in_network(world.leuven).get(name="Buurthuis Noord")
    assert response["Location"] == hours_url(digipunt)
    assert digipunt.languages == "nl, ar"


@pytest.mark.parametrize(
    ("change", "field_message"),
    [
        ({"name": "bibliotheek tweebronnen (test)"}, "already exists"),
        ({"postcode": "30"}, "four digits"),
        ({"languages": "Nederlands"}, "short language codes"),
    ],
)
def test_bad_digipunt_data_re_renders_with_an_error_and_saves_nothing(
    world, client_for, change, field_message
):
    data = {
        "name": "Nieuw",
        "kind": "library",
        "street": "X 1",
        "postcode": "3000",
        "city": "Leuven",
        "computers": 1,
    }
    data.update(change)
    response = client_for(world.digipunt).post(reverse("digipunten:create"), data)
    assert response.status_code == 200
    assert field_message in response.content.decode()
    assert Digipunt.objects.in_network(world.leuven).count() == 1


def test_an_organisation_of_another_network_cannot_manage_our_digipunt(world, client_for):
    url = reverse("digipunten:edit", kwargs={"pk": world.dp.pk})
    data = {"name": world.dp.name, "kind": "library", "street": "X 1", "postcode": "3000", "city": "Leuven"}
    response = client_for(world.coordinator).post(
        url, {**data, "computers": 2, "organisation": world.org_other.pk}
    )
    assert response.status_code == 200
    world.dp.refresh_from_db()
    assert world.dp.organisation is None


def test_only_coordinators_and_digipunt_staff_manage_digipunten(world, client_for):
    url = reverse("digipunten:edit", kwargs={"pk": world.dp.pk})
    for actor in (world.desk, world.partner_a, world.volunteer, world.steering):
        assert client_for(actor).get(url).status_code == 403
    assert client_for(world.digipunt).get(url).status_code == 200
    assert client_for(world.outsider).get(url).status_code == 404


def test_opening_hours_are_added_and_removed(world, client_for):
    client = client_for(world.digipunt)
    url = hours_url(world.dp)
    client.post(
        url,
        {"action": "add_period", "hours-weekday": 5, "hours-opens_at": "10:00", "hours-closes_at": "00:00"},
    )
    saturday = OpeningPeriod.objects.get(digipunt=world.dp, weekday=5)
    assert saturday.closes_at == datetime.time(0)
    assert "10:00–24:00" in client.get(url).content.decode()
    client.post(url, {"action": "remove_period", "period": saturday.pk})
    assert not OpeningPeriod.objects.filter(pk=saturday.pk).exists()


def test_a_period_across_midnight_shows_how_to_enter_it(world, client_for):
    response = client_for(world.digipunt).post(
        hours_url(world.dp),
        {"action": "add_period", "hours-weekday": 5, "hours-opens_at": "20:00", "hours-closes_at": "02:00"},
    )
    assert response.status_code == 200
    assert "A period past midnight is two periods" in response.content.decode()
    assert not OpeningPeriod.objects.filter(digipunt=world.dp, weekday=5).exists()


def test_a_sub_object_of_another_digipunt_cannot_be_removed_through_this_one(world, client_for):
    other = make_digipunt(world.leuven, name="Ander digipunt")
    period = OpeningPeriod.objects.filter(digipunt=other).first()
    client_for(world.digipunt).post(hours_url(world.dp), {"action": "remove_period", "period": period.pk})
    other_network = OpeningPeriod.objects.filter(digipunt=world.dp_other).first()
    client_for(world.digipunt).post(
        hours_url(world.dp), {"action": "remove_period", "period": other_network.pk}
    )
    assert OpeningPeriod.objects.filter(pk__in=[period.pk, other_network.pk]).count() == 2


def test_closures_and_special_hours_are_added_to_one_digipunt(world, client_for):
    client = client_for(world.digipunt)
    response = client.post(
        hours_url(world.dp),
        {
            "action": "add_closure",
            "closure-starts_on": "2027-03-29",
            "closure-reason": "Paasmaandag",
        },
    )
    assert response.status_code == 302
    closure = Closure.objects.get(digipunt=world.dp, reason="Paasmaandag")
    assert closure.ends_on == closure.starts_on
    response = client.post(
        hours_url(world.dp),
        {
            "action": "add_closure",
            "closure-starts_on": "2027-04-02",
            "closure-ends_on": "2027-04-01",
            "closure-reason": "Verkeerd",
            "closure-opens_at": "10:00",
        },
    )
    html = response.content.decode()
    assert "cannot be before the first day" in html and "both an opening and a closing time" in html
    assert not Closure.objects.filter(reason="Verkeerd").exists()


def test_network_wide_holidays_are_managed_in_one_place(world, client_for, time_machine):
    # The page lists the closures from today on: "today" is a month before the new holiday.
    time_machine.move_to(datetime.datetime(2026, 12, 1, 10, tzinfo=zoneinfo.ZoneInfo("Europe/Brussels")))
    client = client_for(world.coordinator)
    url = reverse("digipunten:closures")
    client.post(
        url, {"action": "add_closure", "closure-starts_on": "2027-01-01", "closure-reason": "Nieuwjaar"}
    )
    holiday = Closure.objects.get(reason="Nieuwjaar")
    assert holiday.digipunt is None and holiday.network == world.leuven
    assert "Nieuwjaar" in client.get(url).content.decode()
    own = Closure.objects.create(
        network=world.leuven,
        digipunt=world.dp,
        starts_on=holiday.starts_on,
        ends_on=holiday.ends_on,
        reason="eigen",
    )
    client.post(url, {"action": "remove_closure", "closure": own.pk})  # not a network-wide one: untouched
    client.post(url, {"action": "remove_closure", "closure": holiday.pk})
    assert list(Closure.objects.filter(pk__in=[holiday.pk, own.pk])) == [own]
    assert client_for(world.desk).get(url).status_code == 403


def test_a_help_session_is_added_with_friendly_checks(world, client_for):
    url = reverse("digipunten:session_create", kwargs={"pk": world.dp.pk})
    client = client_for(world.digipunt)
    base = {
        "session-title": "Spreekuur itsme",
        "session-weekday": 3,
        "session-starts_at": "10:00",
        "session-ends_at": "12:00",
        "session-mode": "appointment",
        "session-slot_minutes": 20,
        "session-capacity_per_slot": 1,
        "session-helpers_needed": 1,
    }
    bad = client.post(url, {**base, "session-ends_at": "09:00"})
    assert "cannot run past midnight" in bad.content.decode()
    too_long = client.post(url, {**base, "session-slot_minutes": 180})
    assert "must fit in the session" in too_long.content.decode()
    assert client.post(url, base).status_code == 302
    session = HelpSession.objects.get(title="Spreekuur itsme")
    assert session.valid_from == timezone.localdate()
    edit = reverse("digipunten:session_edit", kwargs={"pk": session.pk})
    assert client.post(edit, {**base, "session-helpers_needed": 3}).status_code == 302
    session.refresh_from_db()
    assert session.helpers_needed == 3
    assert (
        client_for(world.coordinator)
        .get(reverse("digipunten:session_edit", kwargs={"pk": world.session_other.pk}))
        .status_code
        == 404
    )


def test_themes_are_renamed_added_and_switched_off(world, client_for):
    client = client_for(world.coordinator)
    client.post(reverse("digipunten:themes"), {"name": "Reistickets NMBS", "position": 5})
    new = HelpTheme.objects.in_network(world.leuven).get(name="Reistickets NMBS")
    assert new.code == "reistickets-nmbs"
    client.post(reverse("digipunten:themes"), {"name": "Reistickets NMBS", "position": 6})
    assert (
        HelpTheme.objects.in_network(world.leuven).filter(name="Reistickets NMBS").count() == 2
    )  # a new code
    edit = reverse("digipunten:theme_edit", kwargs={"pk": world.theme.pk})
    client.post(edit, {"name": "", "position": 1})  # a standard theme keeps its translated name
    world.theme.refresh_from_db()
    assert world.theme.name == "" and world.theme.is_active is False
    help_page = client_for(world.digipunt).get(reverse("digipunten:help")).content.decode()
    assert "Reistickets NMBS" in help_page and f'name="theme" value="{world.theme.pk}"' not in help_page
    assert (
        client_for(world.coordinator)
        .get(reverse("digipunten:theme_edit", kwargs={"pk": world.theme_other.pk}))
        .status_code
        == 404
    )


def test_a_session_of_an_inactive_digipunt_is_left_out(world):
    from digibank.digipunten import selectors
    from digibank.networks.models import Membership

    closed = make_digipunt(world.leuven, name="Gesloten", is_active=False)
    make_session(closed)
    membership = Membership.objects.get(user=world.coordinator)
    assert {s.digipunt for s in selectors.session_list(membership=membership)} == {world.dp}
