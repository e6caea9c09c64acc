"""Open now / next open on fixed clocks: holidays, closure weeks, both DST weekends of 2026, midnight."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from digibank.digipunten import hours, selectors, services
from digibank.digipunten.forms import OpeningPeriodForm
from digibank.digipunten.hours import Schedule
from digibank.digipunten.models import Closure, OpeningPeriod

from .world import make_digipunt, make_session

TZ = zoneinfo.ZoneInfo("Europe/Brussels")
UTC = datetime.UTC


def local(y, m, d, h, mi=0):
    return datetime.datetime(y, m, d, h, mi, tzinfo=TZ)


def utc(y, m, d, h, mi=0):
    return datetime.datetime(y, m, d, h, mi, tzinfo=UTC)


def period(weekday, opens, closes, **extra):
    return OpeningPeriod(
        weekday=weekday, opens_at=datetime.time(*opens), closes_at=datetime.time(*closes), **extra
    )


def closure(starts_on, ends_on=None, reason="closed", opens=None, closes=None):
    return Closure(
        starts_on=starts_on,
        ends_on=ends_on or starts_on,
        reason=reason,
        opens_at=datetime.time(*opens) if opens else None,
        closes_at=datetime.time(*closes) if closes else None,
    )


OFFICE_HOURS = [period(day, (9,), (17,)) for day in range(5)]


def test_it_is_open_inside_its_hours_and_closed_outside():
    schedule = Schedule(OFFICE_HOURS, [])
    assert schedule.is_open(local(2026, 6, 3, 9))  # opening minute counts
    assert schedule.is_open(local(2026, 6, 3, 16, 59))
    assert not schedule.is_open(local(2026, 6, 3, 17))  # closing minute does not
    assert not schedule.is_open(local(2026, 6, 6, 11))  # Saturday
    assert schedule.open_until(local(2026, 6, 3, 10)) == local(2026, 6, 3, 17)


def test_a_holiday_closes_a_normal_working_day():
    christmas = datetime.date(2026, 12, 25)  # a Friday
    schedule = Schedule(OFFICE_HOURS, [closure(christmas, reason="Christmas")])
    assert not schedule.is_open(local(2026, 12, 25, 11))
    assert schedule.day(christmas).closure.reason == "Christmas"
    assert schedule.next_open(local(2026, 12, 24, 18)) == local(2026, 12, 28, 9)


def test_special_hours_replace_the_regular_hours_on_those_days():
    schedule = Schedule(OFFICE_HOURS, [closure(datetime.date(2026, 12, 24), opens=(9,), closes=(12,))])
    assert schedule.is_open(local(2026, 12, 24, 11))
    assert not schedule.is_open(local(2026, 12, 24, 13))
    assert schedule.open_until(local(2026, 12, 24, 10)) == local(2026, 12, 24, 12)


def test_next_open_skips_a_closure_week():
    summer_break = closure(datetime.date(2026, 8, 3), datetime.date(2026, 8, 9), reason="Summer break")
    schedule = Schedule(OFFICE_HOURS, [summer_break])
    assert schedule.next_open(local(2026, 7, 31, 18)) == local(2026, 8, 10, 9)
    assert schedule.next_open(local(2026, 8, 5, 10)) == local(2026, 8, 10, 9)


def test_next_open_is_the_start_of_the_next_period_and_none_when_it_never_opens():
    schedule = Schedule([period(2, (9,), (12,)), period(2, (13,), (16,))], [])
    assert schedule.next_open(local(2026, 6, 3, 12, 30)) == local(2026, 6, 3, 13)
    assert schedule.next_open(local(2026, 6, 3, 9)) == local(2026, 6, 3, 9)
    assert Schedule([], []).next_open(local(2026, 6, 3, 9)) is None


def test_seasonal_hours_apply_only_in_their_validity():
    summer = period(
        0, (10,), (14,), valid_from=datetime.date(2026, 7, 1), valid_to=datetime.date(2026, 8, 31)
    )
    rest = [
        period(0, (9,), (17,), valid_to=datetime.date(2026, 6, 30)),
        period(0, (9,), (17,), valid_from=datetime.date(2026, 9, 1)),
    ]
    schedule = Schedule([summer, *rest], [])
    assert schedule.is_open(local(2026, 6, 29, 16))
    assert not schedule.is_open(local(2026, 7, 6, 16))
    assert schedule.is_open(local(2026, 7, 6, 11))
    assert schedule.is_open(local(2026, 9, 7, 16))


# --- daylight-saving time: last Sunday of March (29 March 2026) and of October (25 October 2026) ---


def test_on_the_spring_dst_sunday_opening_hours_are_local_wall_time():
    schedule = Schedule([period(6, (10,), (12,))], [])
    # 10:30 CEST is 08:30 UTC; with a fixed +01:00 offset it would wrongly be "09:30, closed".
    assert schedule.is_open(utc(2026, 3, 29, 8, 30))
    assert schedule.is_open(utc(2026, 3, 29, 9, 59))
    assert not schedule.is_open(utc(2026, 3, 29, 10, 0))
    assert schedule.next_open(local(2026, 3, 28, 20)) == utc(2026, 3, 29, 8, 0)


def test_a_period_across_the_skipped_hour_is_an_hour_shorter():
    schedule = Schedule([period(6, (1,), (4,))], [])
    assert schedule.is_open(utc(2026, 3, 29, 0, 59))  # 01:59 CET
    assert schedule.is_open(utc(2026, 3, 29, 1, 0))  # 03:00 CEST, a second later on the wall
    assert not schedule.is_open(utc(2026, 3, 29, 2, 0))  # 04:00 CEST
    until = schedule.open_until(utc(2026, 3, 29, 0, 30))
    assert until == utc(2026, 3, 29, 2, 0)
    assert until - utc(2026, 3, 29, 0, 0) == datetime.timedelta(hours=2)


def test_a_period_that_starts_in_the_skipped_hour_opens_when_the_clocks_jump():
    schedule = Schedule([period(6, (2, 30), (5,))], [])
    opens = schedule.next_open(local(2026, 3, 28, 12))
    assert opens == utc(2026, 3, 29, 1, 0)
    assert hours.local(opens).strftime("%H:%M %Z") == "03:00 CEST"


def test_on_the_autumn_dst_sunday_opening_hours_are_local_wall_time():
    schedule = Schedule([period(6, (10,), (12,))], [])
    assert schedule.is_open(utc(2026, 10, 25, 9, 30))  # 10:30 CET
    assert not schedule.is_open(utc(2026, 10, 25, 8, 30))  # 09:30 CET
    assert schedule.next_open(local(2026, 10, 24, 20)) == utc(2026, 10, 25, 9, 0)


def test_the_repeated_autumn_hour_is_open_twice_and_opens_at_its_first_occurrence():
    schedule = Schedule([period(6, (2,), (3,))], [])
    assert schedule.is_open(utc(2026, 10, 25, 0, 30))  # 02:30 CEST
    assert schedule.is_open(utc(2026, 10, 25, 1, 30))  # 02:30 CET, an hour later
    assert not schedule.is_open(utc(2026, 10, 25, 2, 0))  # 03:00 CET
    assert schedule.next_open(local(2026, 10, 24, 12)) == utc(2026, 10, 25, 0, 0)


# --- midnight ------------------------------------------------------------------------------------


def test_a_period_ending_at_midnight_is_open_until_the_end_of_its_day():
    schedule = Schedule([period(4, (20,), (0,))], [])  # Friday 20:00-24:00
    assert schedule.is_open(local(2026, 6, 5, 23, 59))
    assert not schedule.is_open(local(2026, 6, 6, 0, 0))
    assert not schedule.is_open(local(2026, 6, 5, 19, 59))
    assert schedule.open_until(local(2026, 6, 5, 21)) == local(2026, 6, 6, 0, 0)
    assert schedule.next_open(local(2026, 6, 5, 19)) == local(2026, 6, 5, 20)


def test_a_period_across_midnight_is_refused_with_a_clear_message():
    with pytest.raises(ValidationError) as error:
        services.check_period(datetime.time(22), datetime.time(2))
    assert "two periods" in str(error.value)
    form = OpeningPeriodForm({"hours-weekday": 4, "hours-opens_at": "22:00", "hours-closes_at": "02:00"})
    assert not form.is_valid()
    assert "closes_at" in form.errors


def test_the_database_refuses_a_period_across_midnight(world):
    with pytest.raises(IntegrityError):
        OpeningPeriod.objects.create(
            network=world.leuven,
            digipunt=world.dp,
            weekday=4,
            opens_at=datetime.time(22),
            closes_at=datetime.time(2),
        )


def test_two_periods_are_how_a_night_opening_is_entered(world):
    digipunt = make_digipunt(world.leuven, name="Nachtpunt")
    services.opening_period_add(
        digipunt=digipunt, data={"weekday": 5, "opens_at": datetime.time(20), "closes_at": datetime.time(0)}
    )
    services.opening_period_add(
        digipunt=digipunt, data={"weekday": 6, "opens_at": datetime.time(0), "closes_at": datetime.time(2)}
    )
    assert selectors.is_open(digipunt, local(2026, 6, 6, 23, 30))
    assert selectors.is_open(digipunt, local(2026, 6, 7, 1, 30))
    assert not selectors.is_open(digipunt, local(2026, 6, 7, 2, 30))


def test_overlapping_periods_on_one_day_are_refused(world):
    with pytest.raises(ValidationError) as error:
        services.opening_period_add(
            digipunt=world.dp,
            data={"weekday": 0, "opens_at": datetime.time(16), "closes_at": datetime.time(19)},
        )
    assert "overlaps with 09:00–17:00" in str(error.value)


# --- the selectors, with a holiday of the whole network ------------------------------------------


def test_a_network_wide_holiday_closes_every_digipunt(world):
    # The world has a network-wide closure on 25 December 2026 (a Friday).
    assert not selectors.is_open(world.dp, local(2026, 12, 25, 10))
    assert selectors.is_open(world.dp, local(2026, 12, 24, 10))
    assert selectors.next_open(world.dp, local(2026, 12, 24, 18)) == local(2026, 12, 28, 9)


def test_another_networks_holiday_does_not_close_ours(world):
    Closure.objects.create(
        network=world.other,
        starts_on=datetime.date(2026, 12, 28),
        ends_on=datetime.date(2026, 12, 28),
        reason="x",
    )
    assert selectors.is_open(world.dp, local(2026, 12, 28, 10))


def test_a_full_closure_cancels_a_help_session_and_special_hours_keep_it_only_if_it_fits(world):
    wednesday = datetime.date(2026, 12, 30)
    session = make_session(
        world.dp,
        weekday=2,
        starts_at=datetime.time(10),
        ends_at=datetime.time(11),
        valid_from=wednesday - datetime.timedelta(days=60),  # not relative to the day the test runs
    )
    schedule = selectors.schedule_for(world.dp, since=wednesday)
    assert schedule.session_happens(session, wednesday)
    Closure.objects.create(
        network=world.leuven,
        digipunt=world.dp,
        starts_on=wednesday,
        ends_on=wednesday,
        reason="short day",
        opens_at=datetime.time(9),
        closes_at=datetime.time(10, 30),
    )
    assert not selectors.schedule_for(world.dp, since=wednesday).session_happens(session, wednesday)
    assert not selectors.schedule_for(world.dp, since=wednesday).session_happens(
        session, datetime.date(2026, 12, 31)
    )
