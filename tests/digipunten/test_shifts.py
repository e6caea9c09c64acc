"""Help-hour shifts: volunteers and digipunt staff sign up; coordinators see the gaps."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from digibank.digipunten import selectors, services
from digibank.digipunten.models import Closure, Shift
from digibank.networks.models import Membership

from .world import make_digipunt, make_session, next_weekday

SHIFTS = reverse("digipunten:shifts")


def membership(user):
    return Membership.objects.get(user=user)


def test_the_board_lists_the_coming_session_dates_with_their_gaps(world):
    rows = selectors.shift_board(membership=membership(world.coordinator))
    assert len(rows) in (4, 5)  # a Tuesday every week for four weeks
    assert all(row.occurrence.date.weekday() == 1 for row in rows)
    signed = next(row for row in rows if row.occurrence.date == world.shift.date)
    assert (signed.count, signed.needed, signed.missing) == (1, 2, 1)
    assert [m.user for m in signed.helpers] == [world.volunteer]
    gaps = selectors.shift_gaps(membership=membership(world.coordinator))
    assert gaps == [row for row in rows if row.is_gap] and len(gaps) == len(rows)


def test_a_filled_session_is_no_gap_and_a_closed_day_is_not_listed(world):
    services.shift_signup(membership=membership(world.digipunt), session=world.session, date=world.shift.date)
    gaps = selectors.shift_gaps(membership=membership(world.coordinator))
    assert world.shift.date not in [row.occurrence.date for row in gaps]
    later = next_weekday(1, after=world.shift.date)
    Closure.objects.create(network=world.leuven, starts_on=later, ends_on=later, reason="Feestdag")
    dates = [row.occurrence.date for row in selectors.shift_board(membership=membership(world.coordinator))]
    assert later not in dates


def test_a_volunteer_signs_up_once_and_withdraws(world, client_for):
    client = client_for(world.volunteer)
    date = next_weekday(1, after=world.shift.date)
    data = {"session": world.session.pk, "date": date.isoformat()}
    client.post(reverse("digipunten:shift_signup"), data)
    client.post(reverse("digipunten:shift_signup"), data)
    assert (
        Shift.objects.filter(session=world.session, date=date, membership__user=world.volunteer).count() == 1
    )
    client.post(reverse("digipunten:shift_withdraw"), data)
    assert not Shift.objects.filter(session=world.session, date=date).exists()


def test_a_volunteer_sees_how_many_helpers_but_only_their_own_name(world, client_for):
    services.shift_signup(membership=membership(world.digipunt), session=world.session, date=world.shift.date)
    volunteer_page = client_for(world.volunteer).get(SHIFTS).content.decode()
    assert "2 of 2" in volunteer_page
    assert "Digipunt" not in volunteer_page.split("<tbody>")[1].split("</tbody>")[0]
    coordinator_page = client_for(world.coordinator).get(SHIFTS).content.decode()
    assert "Volunteer" in coordinator_page and "Digipunt" in coordinator_page


@pytest.mark.parametrize(
    ("date", "message"),
    [
        (lambda w: next_weekday(2), "does not take place"),
        (lambda w: timezone.localdate() - datetime.timedelta(days=7), "has passed"),
    ],
)
def test_a_date_without_the_session_is_refused(world, date, message):
    with pytest.raises(ValidationError, match=message):
        services.shift_signup(membership=membership(world.volunteer), session=world.session, date=date(world))


def test_a_session_of_another_network_or_an_empty_post_signs_up_nobody(world, client_for):
    client = client_for(world.volunteer)
    before = Shift.objects.count()
    client.post(reverse("digipunten:shift_signup"), {})
    date = next_weekday(world.session_other.weekday)
    client.post(
        reverse("digipunten:shift_signup"), {"session": world.session_other.pk, "date": date.isoformat()}
    )
    assert Shift.objects.count() == before


def test_roles_without_shifts_get_403(world, client_for):
    for actor in (world.desk, world.partner_a, world.steering):
        assert client_for(actor).get(SHIFTS).status_code == 403


def test_the_board_costs_the_same_queries_for_one_or_many_sessions(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.coordinator)
    with django_assert_max_num_queries(12) as one:
        client.get(SHIFTS)
    other = make_digipunt(world.leuven, name="Tweede digipunt")
    for weekday in range(5):
        session = make_session(other, weekday=weekday)
        services.shift_signup(
            membership=membership(world.digipunt), session=session, date=next_weekday(weekday)
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(SHIFTS, {"weeks": 8})
    assert response.content.decode().count("I help") > 30
