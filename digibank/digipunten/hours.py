"""Opening hours in local wall time: "open now", "open until", "next open", help-hour dates and slots.

Pure functions over rows already loaded (selectors.py loads them in a fixed number of
queries). Everything is computed in Europe/Brussels *wall time*: a digipunt that opens at
09:00 opens at 09:00 on the Sunday the clocks change too. Only when a wall time becomes an
instant do we ask zoneinfo, with two rules for the changes of clock:

* a wall time that does not exist (02:00–03:00 on the last Sunday of March) becomes the
  first minute that does exist (03:00 CEST);
* a wall time that exists twice (02:00–03:00 on the last Sunday of October) is its first
  occurrence (CEST).

A period closing at 00:00 closes at midnight at the end of its day. Periods never cross
midnight: the forms and the database refuse it (two rows instead, see docs/digipunten.md).
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings

from .models import MIDNIGHT, Closure, HelpSession, OpeningPeriod

TZ = zoneinfo.ZoneInfo(settings.TIME_ZONE)
# How far "next open" looks ahead before it gives up (a digipunt closed for a year).
HORIZON_DAYS = 400


def local(at: datetime.datetime) -> datetime.datetime:
    """``at`` in the network's wall time (Europe/Brussels)."""
    return at.astimezone(TZ)


def to_instant(day: datetime.date, wall: datetime.time) -> datetime.datetime:
    """The instant (in UTC) of a wall time on a day; see the module docstring for the clock changes.

    UTC on purpose: Python never finds an ambiguous local time equal to a time in another
    zone (PEP 495), which would break comparisons and dictionary look-ups of slot times.
    """
    naive = datetime.datetime.combine(day, wall)
    for minute in range(0, 121):
        candidate = (naive + datetime.timedelta(minutes=minute)).replace(tzinfo=TZ, fold=0)
        instant = candidate.astimezone(datetime.UTC)
        # A wall time exists when it survives the round trip through UTC.
        if instant.astimezone(TZ).replace(tzinfo=None) == candidate.replace(tzinfo=None):
            return instant
    raise ValueError(f"No instant for {day} {wall}")  # pragma: no cover - no zone skips two hours


@dataclass(frozen=True)
class Period:
    """Open from ``opens`` to ``closes`` on a day, in wall time; ``closes`` 00:00 is midnight (24:00)."""

    opens: datetime.time
    closes: datetime.time

    def contains(self, wall: datetime.time) -> bool:
        return self.opens <= wall and (self.closes == MIDNIGHT or wall < self.closes)

    def covers(self, start: datetime.time, end: datetime.time) -> bool:
        """True when [start, end] lies inside this period (for a help session on a special-hours day)."""
        return self.opens <= start and (self.closes == MIDNIGHT or end <= self.closes)

    def start(self, day: datetime.date) -> datetime.datetime:
        return to_instant(day, self.opens)

    def end(self, day: datetime.date) -> datetime.datetime:
        if self.closes == MIDNIGHT:
            return to_instant(day + datetime.timedelta(days=1), MIDNIGHT)
        return to_instant(day, self.closes)


@dataclass
class DayHours:
    """What one day looks like: its periods and, when an exception applies, that exception."""

    day: datetime.date
    periods: list[Period]
    closure: Closure | None = None

    @property
    def is_closed(self) -> bool:
        return not self.periods


class Schedule:
    """The regular hours and the exceptions of one digipunt, loaded once, asked many times."""

    def __init__(self, periods: Iterable[OpeningPeriod], closures: Iterable[Closure]):
        self.periods = sorted(periods, key=lambda p: (p.weekday, p.opens_at))
        self.closures = sorted(closures, key=lambda c: (c.starts_on, c.pk or 0))

    def closures_on(self, day: datetime.date) -> list[Closure]:
        return [c for c in self.closures if c.covers(day)]

    def day(self, day: datetime.date) -> DayHours:
        """The periods of ``day``: a full closure wins, then special hours, then the regular hours."""
        closures = self.closures_on(day)
        full = next((c for c in closures if not c.has_special_hours), None)
        if full is not None:
            return DayHours(day, [], full)
        if closures:
            special = sorted(Period(c.opens_at, c.closes_at) for c in closures)
            return DayHours(day, special, closures[0])
        regular = [Period(p.opens_at, p.closes_at) for p in self.periods if p.applies_on(day)]
        return DayHours(day, regular)

    def current_period(self, at: datetime.datetime) -> tuple[datetime.date, Period] | None:
        wall = local(at)
        day = wall.date()
        for period in self.day(day).periods:
            if period.contains(wall.time().replace(tzinfo=None)):
                return day, period
        return None

    def is_open(self, at: datetime.datetime) -> bool:
        return self.current_period(at) is not None

    def open_until(self, at: datetime.datetime) -> datetime.datetime | None:
        """When the current period ends, or None when closed at ``at``."""
        found = self.current_period(at)
        return found[1].end(found[0]) if found else None

    def next_open(self, after: datetime.datetime) -> datetime.datetime | None:
        """The start of the first period that begins at or after ``after``, skipping exceptions."""
        first = local(after).date()
        for offset in range(HORIZON_DAYS):
            day = first + datetime.timedelta(days=offset)
            for period in self.day(day).periods:
                start = period.start(day)
                if start >= after:
                    return start
        return None

    def week(self, start: datetime.date) -> list[DayHours]:
        return [self.day(start + datetime.timedelta(days=n)) for n in range(7)]

    def session_happens(self, session: HelpSession, day: datetime.date) -> bool:
        """A help session takes place on ``day`` when its pattern falls there and no exception stops it.

        Regular opening hours do not matter (help hours may be outside them); a full closure
        cancels the session; on a special-hours day it happens only if it fits in them.
        """
        if not session.recurs_on(day):
            return False
        closures = self.closures_on(day)
        if not closures:
            return True
        hours = self.day(day)
        return any(p.covers(session.starts_at, session.ends_at) for p in hours.periods)


@dataclass(frozen=True)
class Occurrence:
    """One date of a help session."""

    session: HelpSession
    date: datetime.date

    @property
    def starts_at(self) -> datetime.datetime:
        return to_instant(self.date, self.session.starts_at)

    @property
    def ends_at(self) -> datetime.datetime:
        return to_instant(self.date, self.session.ends_at)


def occurrences(
    sessions: Iterable[HelpSession], schedules: dict[int, Schedule], start: datetime.date, days: int
) -> Iterator[Occurrence]:
    """Every date in [start, start + days) on which one of ``sessions`` takes place, in time order."""
    found = []
    for session in sessions:
        schedule = schedules[session.digipunt_id]
        for offset in range(days):
            day = start + datetime.timedelta(days=offset)
            if schedule.session_happens(session, day):
                found.append(Occurrence(session, day))
    found.sort(key=lambda o: (o.date, o.session.starts_at, o.session.pk))
    yield from found


def slot_times(session: HelpSession, day: datetime.date) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The appointment slots of one date of a session: (start, end) instants, ``slot_minutes`` apart."""
    step = datetime.timedelta(minutes=session.slot_minutes)
    wall = datetime.datetime.combine(day, session.starts_at)
    end = datetime.datetime.combine(day, session.ends_at)
    slots = []
    while wall + step <= end:
        slots.append((to_instant(day, wall.time()), to_instant(day, (wall + step).time())))
        wall += step
    return slots
