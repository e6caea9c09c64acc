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

from digibank.figures import Figure, FiguresPolicy

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


# --- as shown: under the figures policy -----------------------------------------------------


@dataclass
class ShownRow:
    label: str
    count: Figure
    solved_share: Figure


@dataclass
class ShownFigures:
    """The figures as a viewer may see them (digibank.figures policy): every number a Figure."""

    period: Figures
    suppressing: bool
    total: Figure
    solved_share: Figure
    minutes: Figure
    visitors: Figure
    appointments_due: Figure
    no_shows: Figure
    no_show_rate: Figure
    by_theme: list[ShownRow]
    by_digipunt: list[ShownRow]
    by_week: list[ShownRow]
    by_language: list[ShownRow]
    by_outcome: list[ShownRow]
    grid_hours: list[int]
    grid: list[tuple[str, list[tuple[Figure, int]]]]


HEAT_LEVELS = 4


def _heat(cell: Figure, maximum: int) -> int:
    """0..4 for the shading of a cell (the number is always shown too: colour is not the only cue).
    A hidden cell gets the lightest shade, whatever it holds, so the colour tells nothing either."""
    if cell.suppressed:
        return 1
    if not cell.value or not maximum:
        return 0
    return max(1, round(HEAT_LEVELS * cell.value / maximum))


def _shown_rows(rows: list[CountRow], policy: FiguresPolicy) -> list[ShownRow]:
    counts = policy.counts([row.count for row in rows])
    solved = policy.counts([row.solved for row in rows])
    return [
        ShownRow(
            label=row.label,
            count=count,
            solved_share=(
                Figure(None, suppressed=True, kind="share")
                if solved_cell.suppressed
                else policy.share(row.solved, row.count, whole_figure=count)
            ),
        )
        for row, count, solved_cell in zip(rows, counts, solved, strict=True)
    ]


def figures_as_shown(figures: Figures, policy: FiguresPolicy) -> ShownFigures:
    """Apply the figures policy: each table's cells against its total, the hour grid against the
    total number of contacts, shares and derived amounts only where their counts are shown."""
    total = policy.count(figures.total)
    due = policy.count(figures.appointments_due)
    flat = [count for _label, counts in figures.grid.rows for count in counts]
    cells = policy.counts(flat)
    width = len(figures.grid.hours)
    visible_max = max((cell.value for cell in cells if cell.shown), default=0)
    grid = [
        (label, [(cell, _heat(cell, visible_max)) for cell in cells[i * width : (i + 1) * width]])
        for i, (label, _counts) in enumerate(figures.grid.rows)
    ]
    return ShownFigures(
        period=figures,
        suppressing=policy.suppress,
        total=total,
        solved_share=policy.share(figures.solved, figures.total, whole_figure=total),
        minutes=policy.amount(figures.minutes, resting_on=total),
        visitors=policy.count(figures.visitors),
        appointments_due=due,
        no_shows=policy.count(figures.no_shows),
        no_show_rate=policy.share(figures.no_shows, figures.appointments_due, whole_figure=due),
        by_theme=_shown_rows(figures.by_theme, policy),
        by_digipunt=_shown_rows(figures.by_digipunt, policy),
        by_week=_shown_rows(figures.by_week, policy),
        by_language=_shown_rows(figures.by_language, policy),
        by_outcome=_shown_rows(figures.by_outcome, policy),
        grid_hours=figures.grid.hours,
        grid=grid,
    )
