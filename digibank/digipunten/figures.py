"""Figures of the digipunten (figures.view): aggregates only, never a person.

Help contacts by theme, digipunt, ISO week and language; the busiest hours (weekday × hour,
Europe/Brussels); the share solved on the spot; visitors of the public computers; the
no-show rate of appointments. Grouping and counting happen in the database.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, ExtractIsoYear, ExtractWeek
from django.utils import timezone

from . import hours
from .models import (
    HELP_LANGUAGES,
    Appointment,
    AppointmentStatus,
    Digipunt,
    HelpContact,
    HelpTheme,
    Outcome,
    VisitorTally,
    Weekday,
)

# The busiest-hours grid shows these hours (wider when contacts fall outside them).
GRID_HOURS = range(8, 21)


@dataclass
class CountRow:
    label: str
    count: int
    solved: int = 0

    @property
    def solved_share(self) -> float | None:
        return self.solved / self.count if self.count else None


@dataclass
class HourGrid:
    hours: list[int]
    rows: list[tuple[str, list[int]]]
    maximum: int


@dataclass
class Figures:
    start: datetime.date
    end: datetime.date
    total: int
    solved: int
    minutes: int
    by_theme: list[CountRow]
    by_digipunt: list[CountRow]
    by_week: list[CountRow]
    by_language: list[CountRow]
    grid: HourGrid
    visitors: int
    appointments_due: int
    no_shows: int
    by_outcome: list[CountRow] = field(default_factory=list)

    @property
    def solved_share(self) -> float | None:
        return self.solved / self.total if self.total else None

    @property
    def no_show_rate(self) -> float | None:
        return self.no_shows / self.appointments_due if self.appointments_due else None


def _bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[start 00:00, the day after end 00:00) as instants in Europe/Brussels."""
    return hours.to_instant(start, datetime.time(0)), hours.to_instant(
        end + datetime.timedelta(days=1), datetime.time(0)
    )


def _rows(qs, key: str, labels: dict) -> list[CountRow]:
    rows = [
        CountRow(str(labels.get(row[key], row[key])), row["n"], row["solved"])
        for row in qs.values(key).annotate(
            n=Count("pk"), solved=Count("pk", filter=Q(outcome=Outcome.SOLVED))
        )
    ]
    rows.sort(key=lambda r: (-r.count, r.label))
    return rows


def help_figures(*, network_id: int, start: datetime.date, end: datetime.date, now=None) -> Figures:
    """The figures of [start, end] (local dates, inclusive) of one network. About ten queries."""
    since, until = _bounds(start, end)
    contacts = HelpContact.objects.in_network(network_id).filter(
        occurred_at__gte=since, occurred_at__lt=until
    )
    totals = contacts.aggregate(
        total=Count("pk"), solved=Count("pk", filter=Q(outcome=Outcome.SOLVED)), minutes=Sum("minutes")
    )
    themes = {t.pk: t.label for t in HelpTheme.objects.in_network(network_id)}
    digipunten = dict(Digipunt.objects.in_network(network_id).values_list("pk", "name"))
    languages = dict(HELP_LANGUAGES)
    by_week = []
    tz = hours.TZ
    weeks = (
        contacts.annotate(
            year=ExtractIsoYear("occurred_at", tzinfo=tz), week=ExtractWeek("occurred_at", tzinfo=tz)
        )
        .values("year", "week")
        .annotate(n=Count("pk"), solved=Count("pk", filter=Q(outcome=Outcome.SOLVED)))
        .order_by("year", "week")
    )
    for row in weeks:
        by_week.append(CountRow(f"{row['year']}-W{row['week']:02d}", row["n"], row["solved"]))
    cells = (
        contacts.annotate(
            weekday=ExtractIsoWeekDay("occurred_at", tzinfo=tz), hour=ExtractHour("occurred_at", tzinfo=tz)
        )
        .values("weekday", "hour")
        .annotate(n=Count("pk"))
    )
    counts = {(row["weekday"] - 1, row["hour"]): row["n"] for row in cells}
    grid_hours = sorted(set(GRID_HOURS) | {h for _d, h in counts})
    grid_rows = [(str(day.label), [counts.get((day.value, h), 0) for h in grid_hours]) for day in Weekday]
    visitors = (
        VisitorTally.objects.in_network(network_id)
        .filter(date__gte=start, date__lte=end)
        .aggregate(n=Sum("count"))["n"]
        or 0
    )
    now = now or timezone.now()
    # Appointments that should have happened: in the period, already started, not cancelled.
    due = (
        Appointment.objects.in_network(network_id)
        .filter(slot__starts_at__gte=since, slot__starts_at__lt=min(until, now))
        .exclude(status=AppointmentStatus.CANCELLED)
    )
    appointment_counts = due.aggregate(
        due=Count("pk"), no_shows=Count("pk", filter=Q(status=AppointmentStatus.NO_SHOW))
    )
    return Figures(
        start=start,
        end=end,
        total=totals["total"],
        solved=totals["solved"],
        minutes=totals["minutes"] or 0,
        by_theme=_rows(contacts, "theme_id", themes),
        by_digipunt=_rows(contacts, "digipunt_id", digipunten),
        by_week=by_week,
        by_language=_rows(contacts, "language", languages),
        by_outcome=_rows(contacts, "outcome", dict(Outcome.choices)),
        grid=HourGrid(hours=grid_hours, rows=grid_rows, maximum=max(counts.values(), default=0)),
        visitors=visitors,
        appointments_due=appointment_counts["due"],
        no_shows=appointment_counts["no_shows"],
    )
