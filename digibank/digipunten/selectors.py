"""Reads of the digipunten capability. Every function starts from a scoped queryset.

Opening hours are loaded in two queries for any number of digipunten (``schedules_for``)
and evaluated in Python by hours.py, so the directory costs the same for 1 or 20 rows.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from digibank.messaging.models import MessageChannel, MessageStatus, OutboundMessage
from digibank.networks.models import Membership
from digibank.networks.roles import Role

from . import hours, messages
from .hours import Occurrence, Schedule
from .models import (
    Appointment,
    AppointmentStatus,
    Closure,
    Digipunt,
    HelpContact,
    HelpSession,
    HelpTheme,
    MessageKind,
    OpeningPeriod,
    SessionMode,
    Shift,
    Slot,
    VisitorTally,
    Weekday,
)

# The roles that see who signed up for a shift (volunteers see only the count and their own).
SHIFT_ORGANISERS = frozenset({Role.COORDINATOR, Role.DIGIPUNT_STAFF})
DEFAULT_WEEKS = 4
APPOINTMENTS_PER_PAGE = 50


def _now(at: datetime.datetime | None) -> datetime.datetime:
    return at or timezone.now()


# --- digipunten and their hours -------------------------------------------------------------


def digipunt_list(*, membership, district=None, include_inactive: bool = False) -> QuerySet[Digipunt]:
    qs = Digipunt.objects.visible_to(membership).select_related("district", "organisation")
    if not include_inactive:
        qs = qs.filter(is_active=True)
    if district is not None:
        qs = qs.filter(district=district)
    return qs.order_by("name", "pk")


def schedules_for(digipunten, *, since: datetime.date) -> dict[int, Schedule]:
    """The schedule of each digipunt (by id), with exceptions ending on or after ``since``. Two queries."""
    digipunten = list(digipunten)
    if not digipunten:
        return {}
    network_id = digipunten[0].network_id
    ids = [d.pk for d in digipunten]
    periods: dict[int, list[OpeningPeriod]] = defaultdict(list)
    for period in OpeningPeriod.objects.in_network(network_id).filter(digipunt_id__in=ids):
        periods[period.digipunt_id].append(period)
    own: dict[int, list[Closure]] = defaultdict(list)
    shared: list[Closure] = []
    closures = Closure.objects.in_network(network_id).filter(
        Q(digipunt_id__in=ids) | Q(digipunt__isnull=True), ends_on__gte=since
    )
    for closure in closures:
        if closure.digipunt_id is None:
            shared.append(closure)
        else:
            own[closure.digipunt_id].append(closure)
    return {pk: Schedule(periods[pk], own[pk] + shared) for pk in ids}


def schedule_for(digipunt: Digipunt, *, since: datetime.date | None = None) -> Schedule:
    since = since or timezone.localdate()
    return schedules_for([digipunt], since=since)[digipunt.pk]


def _since(at: datetime.datetime) -> datetime.date:
    return hours.local(at).date() - datetime.timedelta(days=1)


def is_open(digipunt: Digipunt, at: datetime.datetime | None = None) -> bool:
    """Is the digipunt open at ``at`` (default now)? Europe/Brussels wall time, exceptions included."""
    at = _now(at)
    return schedule_for(digipunt, since=_since(at)).is_open(at)


def next_open(digipunt: Digipunt, after: datetime.datetime | None = None) -> datetime.datetime | None:
    """When the digipunt next opens: the start of the first period at or after ``after`` (default now).

    Skips closures; None when it does not open within hours.HORIZON_DAYS.
    """
    after = _now(after)
    return schedule_for(digipunt, since=_since(after)).next_open(after)


def open_until(digipunt: Digipunt, at: datetime.datetime | None = None) -> datetime.datetime | None:
    at = _now(at)
    return schedule_for(digipunt, since=_since(at)).open_until(at)


@dataclass
class DirectoryRow:
    digipunt: Digipunt
    is_open: bool
    open_until: datetime.datetime | None
    next_open: datetime.datetime | None
    today: hours.DayHours


def directory(*, membership, at: datetime.datetime | None = None, district=None) -> list[DirectoryRow]:
    """The digipunten with "open now / until / next open" and today's hours: three queries."""
    at = _now(at)
    digipunten = list(digipunt_list(membership=membership, district=district))
    schedules = schedules_for(digipunten, since=_since(at))
    today = hours.local(at).date()
    rows = []
    for digipunt in digipunten:
        schedule = schedules[digipunt.pk]
        until = schedule.open_until(at)
        rows.append(
            DirectoryRow(
                digipunt=digipunt,
                is_open=until is not None,
                open_until=until,
                next_open=None if until is not None else schedule.next_open(at),
                today=schedule.day(today),
            )
        )
    return rows


@dataclass
class WeekdayHours:
    weekday: int
    label: str
    periods: list[OpeningPeriod]


def regular_hours(digipunt: Digipunt, *, on: datetime.date | None = None) -> list[WeekdayHours]:
    """The regular hours per weekday valid on ``on`` (default today), Monday first."""
    on = on or timezone.localdate()
    periods = list(
        OpeningPeriod.objects.in_network(digipunt.network_id).filter(digipunt=digipunt).order_by("opens_at")
    )
    return [
        WeekdayHours(
            weekday=day.value,
            label=str(day.label),
            periods=[
                p
                for p in periods
                if p.weekday == day.value
                and (p.valid_to is None or p.valid_to >= on)
                and (p.valid_from is None or p.valid_from <= on + datetime.timedelta(days=7))
            ],
        )
        for day in Weekday
    ]


def opening_periods(digipunt: Digipunt) -> QuerySet[OpeningPeriod]:
    return OpeningPeriod.objects.in_network(digipunt.network_id).filter(digipunt=digipunt)


def closures_for(digipunt: Digipunt, *, since: datetime.date | None = None) -> QuerySet[Closure]:
    """This digipunt's exceptions and the network-wide ones, from ``since`` (default today)."""
    since = since or timezone.localdate()
    return (
        Closure.objects.in_network(digipunt.network_id)
        .filter(Q(digipunt=digipunt) | Q(digipunt__isnull=True), ends_on__gte=since)
        .select_related("digipunt")
        .order_by("starts_on", "pk")
    )


def network_closures(*, membership, since: datetime.date | None = None) -> QuerySet[Closure]:
    since = since or timezone.localdate()
    return (
        Closure.objects.visible_to(membership)
        .filter(digipunt__isnull=True, ends_on__gte=since)
        .order_by("starts_on", "pk")
    )


# --- help sessions and shifts ----------------------------------------------------------------


def sessions_of(digipunt: Digipunt, *, on: datetime.date | None = None) -> QuerySet[HelpSession]:
    """The digipunt's help sessions still running on ``on`` (default today)."""
    on = on or timezone.localdate()
    return (
        HelpSession.objects.in_network(digipunt.network_id)
        .filter(digipunt=digipunt)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("weekday", "starts_at", "pk")
    )


def session_list(*, membership, digipunt=None, on: datetime.date | None = None) -> QuerySet[HelpSession]:
    on = on or timezone.localdate()
    qs = (
        HelpSession.objects.visible_to(membership)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on), digipunt__is_active=True)
        .select_related("digipunt")
    )
    if digipunt is not None:
        qs = qs.filter(digipunt=digipunt)
    return qs.order_by("digipunt__name", "weekday", "starts_at", "pk")


def session_occurrences(
    *, membership, start: datetime.date, days: int, digipunt=None, bookable_only: bool = False
) -> list[Occurrence]:
    """The dates on which help sessions take place in [start, start + days), exceptions applied."""
    sessions = session_list(membership=membership, digipunt=digipunt, on=start)
    sessions = sessions.filter(valid_from__lte=start + datetime.timedelta(days=days))
    if bookable_only:
        sessions = sessions.exclude(mode=SessionMode.WALK_IN)
    sessions = list(sessions)
    digipunten = list({s.digipunt_id: s.digipunt for s in sessions}.values())
    schedules = schedules_for(digipunten, since=start)
    return list(hours.occurrences(sessions, schedules, start, days))


@dataclass
class ShiftRow:
    """One date of a help session, its helpers and whether it still needs some."""

    occurrence: Occurrence
    helpers: list[Membership] = field(default_factory=list)
    count: int = 0
    mine: bool = False

    @property
    def needed(self) -> int:
        return self.occurrence.session.helpers_needed

    @property
    def missing(self) -> int:
        return max(0, self.needed - self.count)

    @property
    def is_gap(self) -> bool:
        return self.missing > 0


def shift_board(
    *, membership, start: datetime.date | None = None, weeks: int = DEFAULT_WEEKS, gaps_only: bool = False
) -> list[ShiftRow]:
    """Upcoming help-session dates with their helpers (four queries whatever the number of rows).

    Everyone with shift.signup sees how many helpers signed up; coordinators and digipunt
    staff also see who (a volunteer sees only their own name).
    """
    start = start or timezone.localdate()
    days = weeks * 7
    found = session_occurrences(membership=membership, start=start, days=days)
    shifts = (
        Shift.objects.in_network(membership.network_id)
        .filter(date__gte=start, date__lt=start + datetime.timedelta(days=days))
        .select_related("membership__user")
    )
    by_key: dict[tuple[int, datetime.date], list[Shift]] = defaultdict(list)
    for shift in shifts:
        by_key[(shift.session_id, shift.date)].append(shift)
    show_names = membership.role in SHIFT_ORGANISERS
    rows = []
    for occurrence in found:
        signed = by_key.get((occurrence.session.pk, occurrence.date), [])
        mine = any(s.membership_id == membership.pk for s in signed)
        helpers = [s.membership for s in signed if show_names or s.membership_id == membership.pk]
        row = ShiftRow(occurrence=occurrence, helpers=helpers, count=len(signed), mine=mine)
        if not gaps_only or row.is_gap:
            rows.append(row)
    return rows


def shift_gaps(
    *, membership, start: datetime.date | None = None, weeks: int = DEFAULT_WEEKS
) -> list[ShiftRow]:
    """Session dates in the next ``weeks`` weeks with fewer helpers than ``helpers_needed``."""
    return shift_board(membership=membership, start=start, weeks=weeks, gaps_only=True)


# --- help contacts ---------------------------------------------------------------------------


def themes_active(*, network) -> QuerySet[HelpTheme]:
    return HelpTheme.objects.in_network(network).filter(is_active=True).order_by("position", "pk")


def themes_all(*, membership) -> QuerySet[HelpTheme]:
    return HelpTheme.objects.visible_to(membership).order_by("position", "pk")


@dataclass
class HelperDefaults:
    digipunt: Digipunt | None
    language: str
    minutes: int


DEFAULT_MINUTES = 10
MINUTE_CHOICES = [5, 10, 15, 20, 30, 45, 60, 90]


def helper_defaults(*, membership, default_language: str = "nl") -> HelperDefaults:
    """What the registration form starts with: the helper's last digipunt and language.

    Without an earlier contact: a digipunt managed by their organisation, else the first one.
    """
    last = (
        HelpContact.objects.in_network(membership.network_id)
        .filter(registered_by_id=membership.user_id, digipunt__is_active=True)
        .select_related("digipunt")
        .order_by("-occurred_at", "-pk")
        .first()
    )
    if last is not None:
        return HelperDefaults(last.digipunt, last.language, DEFAULT_MINUTES)
    digipunten = digipunt_list(membership=membership)
    own = None
    if membership.organisation_id:
        own = digipunten.filter(organisation_id=membership.organisation_id).first()
    return HelperDefaults(own or digipunten.first(), default_language, DEFAULT_MINUTES)


def recent_contacts(*, membership, since: datetime.datetime) -> QuerySet[HelpContact]:
    """The helper's own registrations since ``since`` (today's list under the buttons)."""
    return (
        HelpContact.objects.visible_to(membership)
        .filter(registered_by_id=membership.user_id, occurred_at__gte=since)
        .select_related("theme", "digipunt")
        .order_by("-occurred_at", "-pk")
    )


def help_contact_list(*, membership) -> QuerySet[HelpContact]:
    return (
        HelpContact.objects.visible_to(membership)
        .select_related("theme", "digipunt", "registered_by")
        .order_by("-occurred_at", "-pk")
    )


def tally_today(digipunt: Digipunt, *, day: datetime.date | None = None) -> int:
    day = day or timezone.localdate()
    tally = VisitorTally.objects.in_network(digipunt.network_id).filter(digipunt=digipunt, date=day).first()
    return tally.count if tally else 0


# --- appointments ----------------------------------------------------------------------------


@dataclass
class SlotView:
    """A bookable time, whether or not someone booked it already (then ``slot`` is its row)."""

    session: HelpSession
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    capacity: int
    booked: int = 0
    slot: Slot | None = None

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.booked)

    @property
    def digipunt(self) -> Digipunt:
        return self.session.digipunt

    @property
    def key(self) -> str:
        """What a booking form posts: session id and start (ISO, UTC)."""
        return f"{self.session.pk}@{self.starts_at.astimezone(datetime.UTC).isoformat()}"


def open_slots(
    *,
    membership,
    now: datetime.datetime | None = None,
    weeks: int = DEFAULT_WEEKS,
    digipunt=None,
    include_full: bool = False,
) -> list[SlotView]:
    """The appointment slots of the next ``weeks`` weeks with their free places (five queries).

    Computed from the help sessions that take appointments, minus the places already taken
    (Slot rows). Slots that already started are left out.
    """
    now = _now(now)
    start = hours.local(now).date()
    found = session_occurrences(
        membership=membership, start=start, days=weeks * 7, digipunt=digipunt, bookable_only=True
    )
    rows = Slot.objects.in_network(membership.network_id).filter(
        starts_at__gte=now, starts_at__lt=now + datetime.timedelta(days=weeks * 7 + 1)
    )
    existing = {(s.session_id, s.starts_at): s for s in rows}
    views = []
    for occurrence in found:
        session = occurrence.session
        for starts_at, ends_at in hours.slot_times(session, occurrence.date):
            if starts_at <= now:
                continue
            slot = existing.get((session.pk, starts_at))
            view = SlotView(
                session=session,
                starts_at=starts_at,
                ends_at=ends_at,
                capacity=slot.capacity if slot else session.capacity_per_slot,
                booked=slot.booked if slot else 0,
                slot=slot,
            )
            if include_full or view.free > 0:
                views.append(view)
    return views


def appointment_list(
    *,
    membership,
    show: str = "upcoming",
    digipunt=None,
    now: datetime.datetime | None = None,
) -> QuerySet[Appointment]:
    """Appointments this membership may see. ``show``: upcoming (booked, from today), past, cancelled, all."""
    now = _now(now)
    qs = Appointment.objects.visible_to(membership).select_related(
        "slot__digipunt", "slot__session", "resident", "theme", "booked_by_organisation"
    )
    start_of_today = hours.to_instant(hours.local(now).date(), datetime.time(0, 0))
    if show == "upcoming":
        qs = qs.filter(status=AppointmentStatus.BOOKED, slot__starts_at__gte=start_of_today)
    elif show == "past":
        qs = qs.filter(slot__starts_at__lt=start_of_today).exclude(status=AppointmentStatus.CANCELLED)
    elif show == "cancelled":
        qs = qs.filter(status=AppointmentStatus.CANCELLED)
    if digipunt is not None:
        qs = qs.filter(slot__digipunt=digipunt)
    order = "-slot__starts_at" if show in {"past", "cancelled"} else "slot__starts_at"
    return qs.order_by(order, "pk")


def appointment_messages(appointment: Appointment) -> list[OutboundMessage]:
    """The confirmation and reminder of an appointment, as the outbox holds them (``kind`` set)."""
    keys = [messages.message_key(appointment, kind) for kind in MessageKind.values]
    rows = list(
        OutboundMessage.objects.in_network(appointment.network_id)
        .filter(idempotency_key__in=keys)
        .order_by("created_at", "pk")
    )
    for row in rows:
        row.kind = MessageKind(messages.kind_of(row))
    return rows


def letters_to_print(*, membership) -> list[OutboundMessage]:
    """Letters (confirmations and reminders) waiting in the outbox for booked appointments this
    member may see, each with its ``appointment``."""
    letters = list(
        OutboundMessage.objects.in_network(membership.network_id)
        .filter(
            channel=MessageChannel.LETTER, status=MessageStatus.QUEUED, template_key=messages.TEMPLATE_KEY
        )
        .order_by("created_at", "pk")
    )
    ids = {messages.appointment_id_of(letter) for letter in letters} - {None}
    appointments = (
        Appointment.objects.visible_to(membership)
        .filter(pk__in=ids, status=AppointmentStatus.BOOKED)
        .select_related("resident", "slot__digipunt", "slot__session")
        .in_bulk()
    )
    shown = []
    for letter in letters:
        appointment = appointments.get(messages.appointment_id_of(letter))
        if appointment is not None:
            letter.appointment = appointment
            shown.append(letter)
    return shown


def home_shifts(request) -> dict | None:
    """The home widget of a helper: their shifts in the coming weeks (None when they have none)."""
    mine = [row for row in shift_board(membership=request.membership) if row.mine]
    return {"shifts": mine[:5], "count": len(mine)} if mine else None
