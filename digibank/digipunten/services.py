"""Writes of the digipunten capability: places, hours, help sessions, shifts, help contacts,
visitor tallies and appointments. Keyword-only arguments, one transaction each, messages
and tasks only after commit.

Rules that must always hold are also in the database (models.py): a slot is never
overbooked, one tally row per digipunt and day, a resident once per slot.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from digibank.audit.models import AuditAction
from digibank.audit.services import audit_record
from digibank.catalogue import ports
from digibank.catalogue.models import Channel
from digibank.privacy.registry import BOOKER
from digibank.residents.models import Resident
from digibank.residents.services import timeline_add

from . import hours, messages
from .holidays import belgian_public_holidays
from .models import (
    APPOINTMENT_TRANSITIONS,
    DEFAULT_THEMES,
    HELP_LANGUAGE_CODES,
    MIDNIGHT,
    Appointment,
    AppointmentStatus,
    BookingChannel,
    Closure,
    Digipunt,
    HelpContact,
    HelpSession,
    HelpTheme,
    MessageKind,
    OpeningPeriod,
    Outcome,
    Shift,
    Slot,
    VisitorTally,
)
from .selectors import schedule_for

DIGIPUNT_FIELDS = [
    "name",
    "kind",
    "organisation",
    "description",
    "street",
    "postcode",
    "city",
    "district",
    "latitude",
    "longitude",
    "phone",
    "email",
    "languages",
    "computers",
    "has_printer",
    "has_scanner",
    "has_wifi",
    "has_headsets",
    "step_free",
    "accessible_toilet",
    "hearing_loop",
    "adjustable_desk",
    "accessible_parking",
    "accessibility_notes",
    "is_active",
]
SESSION_FIELDS = [
    "title",
    "weekday",
    "starts_at",
    "ends_at",
    "mode",
    "slot_minutes",
    "capacity_per_slot",
    "helpers_needed",
    "languages",
    "valid_from",
    "valid_to",
]
# A help contact may be taken back by the helper who registered it, for a little while (a slip of the thumb).
UNDO_MINUTES = 15
MAX_MINUTES = 480


class TimelineKind:
    """What this capability writes on a resident's timeline (residents.TimelineEntry.kind)."""

    HELP_CONTACT = "help_contact"
    APPOINTMENT_BOOKED = "appointment_booked"
    APPOINTMENT_CANCELLED = "appointment_cancelled"
    APPOINTMENT_NO_SHOW = "appointment_no_show"


def _check_same_network(network_id: int, **objects) -> None:
    for name, obj in objects.items():
        if obj is not None and obj.network_id != network_id:
            raise ValidationError({name: _("Choose one of this network.")})


def _period_text(opens: datetime.time, closes: datetime.time) -> str:
    return f"{opens:%H:%M}–{'24:00' if closes == MIDNIGHT else f'{closes:%H:%M}'}"


def check_period(
    opens: datetime.time | None, closes: datetime.time | None, *, allow_midnight: bool = True
) -> None:
    """The period rule of the forms and services: closes after it opens; 00:00 is midnight (24:00).

    A period that runs past midnight is refused: enter it as two periods.
    """
    if opens is None or closes is None:
        return
    if closes == MIDNIGHT and allow_midnight:
        return
    if closes <= opens:
        message = _(
            "The closing time must be after the opening time. A period past midnight is two periods: "
            "until 00:00 (midnight) and from 00:00 the next day."
        )
        raise ValidationError({"closes_at": message})


# --- help themes -----------------------------------------------------------------------------


def themes_ensure(*, network) -> None:
    """Give a network the standard themes the first time it needs them. Idempotent."""
    if HelpTheme.objects.in_network(network).exists():
        return
    HelpTheme.objects.bulk_create(
        [
            HelpTheme(network_id=getattr(network, "pk", network), code=code, position=(n + 1) * 10)
            for n, code in enumerate(DEFAULT_THEMES)
        ],
        ignore_conflicts=True,
    )


@transaction.atomic
def theme_save(*, network, data: dict, theme: HelpTheme | None = None) -> HelpTheme:
    name = " ".join((data.get("name") or "").split())
    if theme is None:
        if not name:
            raise ValidationError({"name": _("Give the theme a name.")})
        code = slugify(name)[:40] or "theme"
        taken = set(HelpTheme.objects.in_network(network).values_list("code", flat=True))
        base, n = code, 2
        while code in taken:
            code, n = f"{base[:36]}-{n}", n + 1
        theme = HelpTheme(network_id=getattr(network, "pk", network), code=code)
    theme.name = name
    if data.get("position") is not None:
        theme.position = data["position"]
    if "is_active" in data:
        theme.is_active = bool(data["is_active"])
    theme.full_clean(exclude=["network"], validate_constraints=False)
    theme.save()
    return theme


# --- digipunten, hours and closures --------------------------------------------------------------


@transaction.atomic
def digipunt_save(*, network, data: dict, digipunt: Digipunt | None = None) -> Digipunt:
    """Create (``digipunt`` None) or change a digipunt from cleaned form data."""
    network_id = getattr(network, "pk", network)
    data = {name: value for name, value in data.items() if name in DIGIPUNT_FIELDS}
    _check_same_network(network_id, organisation=data.get("organisation"), district=data.get("district"))
    name = data.get("name")
    if name:
        same = Digipunt.objects.in_network(network_id).filter(name__iexact=name)
        if digipunt is not None:
            same = same.exclude(pk=digipunt.pk)
        if same.exists():
            raise ValidationError({"name": _("A digipunt with this name already exists.")})
    if digipunt is None:
        digipunt = Digipunt(network_id=network_id)
    for name_, value in data.items():
        setattr(digipunt, name_, value)
    digipunt.full_clean(exclude=["network"], validate_constraints=False)
    digipunt.save()
    return digipunt


def _overlapping(periods: Iterable, opens: datetime.time, closes: datetime.time):
    end = datetime.time.max if closes == MIDNIGHT else closes
    for period in periods:
        other_end = datetime.time.max if period.closes_at == MIDNIGHT else period.closes_at
        if period.opens_at < end and opens < other_end:
            return period
    return None


@transaction.atomic
def opening_period_add(*, digipunt: Digipunt, data: dict) -> OpeningPeriod:
    opens, closes = data.get("opens_at"), data.get("closes_at")
    check_period(opens, closes)
    valid_from, valid_to = data.get("valid_from"), data.get("valid_to")
    if valid_from and valid_to and valid_to < valid_from:
        raise ValidationError({"valid_to": _("'Valid until' cannot be before 'valid from'.")})
    # Lock the digipunt row: two colleagues adding hours at once still see each other's.
    Digipunt.objects.select_for_update().filter(pk=digipunt.pk).first()
    same_day = OpeningPeriod.objects.in_network(digipunt.network_id).filter(
        digipunt=digipunt, weekday=data.get("weekday")
    )
    candidates = [
        p
        for p in same_day
        if (valid_to is None or p.valid_from is None or p.valid_from <= valid_to)
        and (valid_from is None or p.valid_to is None or valid_from <= p.valid_to)
    ]
    clash = _overlapping(candidates, opens, closes)
    if clash is not None:
        raise ValidationError(
            {
                "opens_at": _("This overlaps with %(period)s.")
                % {"period": _period_text(clash.opens_at, clash.closes_at)}
            }
        )
    period = OpeningPeriod(
        network_id=digipunt.network_id,
        digipunt=digipunt,
        weekday=data.get("weekday"),
        opens_at=opens,
        closes_at=closes,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    period.full_clean(exclude=["network", "digipunt"], validate_constraints=False)
    period.save()
    return period


@transaction.atomic
def opening_period_remove(*, period: OpeningPeriod) -> None:
    period.delete()


@transaction.atomic
def closure_add(*, network, data: dict, digipunt: Digipunt | None = None) -> Closure:
    """An exception for one digipunt, or (``digipunt`` None) for every digipunt of the network."""
    network_id = getattr(network, "pk", network)
    _check_same_network(network_id, digipunt=digipunt)
    starts_on, ends_on = data.get("starts_on"), data.get("ends_on") or data.get("starts_on")
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The last day cannot be before the first day.")})
    opens, closes = data.get("opens_at"), data.get("closes_at")
    if (opens is None) != (closes is None):
        raise ValidationError({"closes_at": _("Special hours need both an opening and a closing time.")})
    check_period(opens, closes)
    closure = Closure(
        network_id=network_id,
        digipunt=digipunt,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=" ".join((data.get("reason") or "").split()),
        opens_at=opens,
        closes_at=closes,
    )
    closure.full_clean(exclude=["network", "digipunt"], validate_constraints=False)
    closure.save()
    return closure


def _in_default_language(text) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


@transaction.atomic
def public_holidays_add(*, network, year: int) -> int:
    """Belgium's public holidays of ``year`` as closures of every digipunt; the ones already there
    are kept. Returns how many were added."""
    network_id = getattr(network, "pk", network)
    added = 0
    for day, holiday in belgian_public_holidays(year):
        _closure, created = Closure.objects.get_or_create(
            network_id=network_id,
            digipunt=None,
            holiday=holiday,
            starts_on=day,
            # The stored text is the network's language; pages show ``label`` in the reader's.
            defaults={"ends_on": day, "reason": _in_default_language(holiday.label)},
        )
        added += created
    return added


@transaction.atomic
def closure_remove(*, closure: Closure) -> None:
    closure.delete()


# --- help sessions and shifts --------------------------------------------------------------------


def check_session(data: dict) -> None:
    """The rules of a help session: it ends after it starts (same day), its validity is in order and
    an appointment fits in it. Shared by the form (friendly messages) and session_save."""
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if starts and ends and ends <= starts:
        raise ValidationError(
            {
                "ends_at": _(
                    "A help session ends after it starts, on the same day (it cannot run past midnight)."
                )
            }
        )
    valid_from, valid_to = data.get("valid_from"), data.get("valid_to")
    if valid_from and valid_to and valid_to < valid_from:
        raise ValidationError({"valid_to": _("'Until' cannot be before 'from'.")})
    if starts and ends and data.get("mode") in {"appointment", "both"} and data.get("slot_minutes"):
        length = datetime.datetime.combine(datetime.date.min, ends) - datetime.datetime.combine(
            datetime.date.min, starts
        )
        if length < datetime.timedelta(minutes=data["slot_minutes"]):
            raise ValidationError(
                {
                    "slot_minutes": _(
                        "An appointment must fit in the session: make it shorter than the session."
                    )
                }
            )


@transaction.atomic
def session_save(*, digipunt: Digipunt, data: dict, session: HelpSession | None = None) -> HelpSession:
    """Create or change a help session. Appointments already booked keep their time.

    A smaller capacity applies to slots nobody booked yet and never below what is booked.
    """
    data = {name: value for name, value in data.items() if name in SESSION_FIELDS}
    if not data.get("valid_from"):
        data["valid_from"] = session.valid_from if session else timezone.localdate()
    check_session(data)
    if session is None:
        session = HelpSession(network_id=digipunt.network_id, digipunt=digipunt)
    old_capacity = session.capacity_per_slot if session.pk else None
    for name, value in data.items():
        setattr(session, name, value)
    session.full_clean(exclude=["network", "digipunt"], validate_constraints=False)
    session.save()
    if old_capacity is not None and old_capacity != session.capacity_per_slot:
        Slot.objects.in_network(session.network_id).filter(
            session=session, starts_at__gt=timezone.now()
        ).update(capacity=Greatest(F("booked"), Value(session.capacity_per_slot)))
    return session


def _check_occurs(session: HelpSession, date: datetime.date) -> None:
    if not schedule_for(session.digipunt, since=date).session_happens(session, date):
        raise ValidationError({"date": _("This help session does not take place on that day.")})


@transaction.atomic
def shift_signup(*, membership, session: HelpSession, date: datetime.date) -> Shift:
    """Sign ``membership`` up to help at ``session`` on ``date``. Signing up twice changes nothing."""
    if not membership.has("shift.signup"):
        raise ValidationError(_("Your role cannot sign up for help hours."))
    _check_same_network(membership.network_id, session=session)
    if date < timezone.localdate():
        raise ValidationError({"date": _("This date has passed.")})
    _check_occurs(session, date)
    try:
        with transaction.atomic():
            shift, _created = Shift.objects.get_or_create(
                network_id=session.network_id, session=session, date=date, membership=membership
            )
    except IntegrityError:  # the same person signed up a moment ago in another tab
        shift = Shift.objects.get(
            network_id=session.network_id, session=session, date=date, membership=membership
        )
    return shift


@transaction.atomic
def shift_withdraw(*, membership, session: HelpSession, date: datetime.date) -> bool:
    """Take back one's own sign-up; True when there was one."""
    if date < timezone.localdate():
        raise ValidationError({"date": _("This date has passed.")})
    deleted, _detail = (
        Shift.objects.in_network(membership.network_id)
        .filter(session=session, date=date, membership=membership)
        .delete()
    )
    return bool(deleted)


# --- help contacts and visitor tallies -------------------------------------------------------


def _check_resident(membership, resident: Resident | None) -> None:
    if resident is None:
        return
    visible = Resident.objects.visible_to(membership).not_erased().filter(pk=resident.pk).exists()
    if not visible:
        raise ValidationError({"resident": _("Choose a resident you may see.")})


@transaction.atomic
def helpcontact_register(
    *,
    membership,
    actor,
    digipunt: Digipunt,
    theme: HelpTheme,
    outcome: str,
    minutes: int,
    language: str,
    resident: Resident | None = None,
    referral: dict | None = None,
    occurred_at: datetime.datetime | None = None,
    source: str = "helpdesk",
) -> HelpContact:
    """Register one help contact; anonymous unless ``resident`` (one the helper may see) is given.

    ``outcome`` "referred" with ``referral`` (``needs``, ``description``, ``consent_to_share``
    and ``resident`` or ``resident_data`` of a new one, optionally ``allow_duplicate``) also
    registers a request through the referrals capability (referrals.services.request_create).
    Without ``referral`` a "referred" contact only records that the person was sent on.
    """
    network_id = membership.network_id
    _check_same_network(network_id, digipunt=digipunt, theme=theme, resident=resident)
    if not digipunt.is_active:
        raise ValidationError({"digipunt": _("This digipunt is no longer in use.")})
    if not theme.is_active:
        raise ValidationError({"theme": _("This theme is no longer in use.")})
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose solved, follow-up or referred.")})
    if not minutes or not 1 <= int(minutes) <= MAX_MINUTES:
        raise ValidationError({"minutes": _("Enter between 1 and 480 minutes.")})
    if language not in HELP_LANGUAGE_CODES:
        raise ValidationError({"language": _("Choose a language from the list.")})
    if resident is not None and not membership.has("resident.view"):
        raise ValidationError({"resident": _("Your role cannot link help contacts to residents.")})
    _check_resident(membership, resident)
    request = None
    if referral is not None:
        if outcome != Outcome.REFERRED:
            raise ValidationError({"outcome": _("Only a referred contact registers a referral.")})
        request = referral_request_create(
            membership=membership, actor=actor, referral=referral, resident=resident, source=source
        )
        resident = request.resident
    contact = HelpContact.objects.create(
        network_id=network_id,
        digipunt=digipunt,
        theme=theme,
        minutes=int(minutes),
        language=language,
        outcome=outcome,
        occurred_at=occurred_at or timezone.now(),
        resident=resident,
        request=request,
        registered_by=actor,
    )
    if resident is not None:
        timeline_add(
            resident=resident,
            kind=TimelineKind.HELP_CONTACT,
            summary=_("Helped at %(digipunt)s: %(theme)s (%(outcome)s)")
            % {"digipunt": digipunt.name, "theme": theme.label, "outcome": contact.get_outcome_display()},
            actor=actor,
            occurred_at=contact.occurred_at,
        )
    return contact


def referral_request_create(*, membership, actor, referral: dict, resident: Resident | None, source: str):
    """Hand a referred help contact to whoever takes requests in (catalogue.ports.take_request:
    the referrals capability), with channel "digipunt". Raises its ValidationError /
    LikelyDuplicate unchanged.
    """

    if not membership.has("request.create"):
        raise ValidationError(_("Your role cannot register a referral; ask the service desk."))
    chosen = referral.get("resident") or resident
    resident_data = referral.get("resident_data")
    if chosen is None and not resident_data:
        raise ValidationError({"resident": _("Choose a resident or enter the new resident's details.")})
    if chosen is not None:
        _check_resident(membership, chosen)
    elif not membership.has("resident.create"):
        raise ValidationError({"resident": _("Your role cannot register a new resident.")})
    return ports.take_request(
        network=membership.network_id,
        needs=referral.get("needs") or [],
        channel=Channel.DIGIPUNT,
        actor=actor,
        resident=chosen,
        resident_data=None if chosen is not None else resident_data,
        description=referral.get("description", ""),
        consent_to_share=bool(referral.get("consent_to_share")),
        membership=membership,
        allow_duplicate=bool(referral.get("allow_duplicate")),
        source=source,
    )


@transaction.atomic
def helpcontact_undo(*, contact: HelpContact, actor, now: datetime.datetime | None = None) -> None:
    """The helper takes back a registration they just made.

    Not one with a referral: that request has a life of its own.
    """
    now = now or timezone.now()
    if contact.registered_by_id != getattr(actor, "pk", None):
        raise ValidationError(_("Only the helper who registered it can take it back."))
    if contact.created_at < now - datetime.timedelta(minutes=UNDO_MINUTES):
        raise ValidationError(_("This was registered too long ago to take back."))
    if contact.request_id is not None:
        raise ValidationError(_("A contact with a referral cannot be taken back; close the request instead."))
    contact.delete()


def visitor_tally_add(*, digipunt: Digipunt, date: datetime.date | None = None, by: int = 1) -> int:
    """Add ``by`` visitors to the digipunt's tally of ``date`` (default today); returns the new count.

    Safe with many helpers tapping at once: the increment is done by the database (F()),
    and the day's row is created once (unique constraint; the loser of a race updates).
    """
    date = date or timezone.localdate()
    rows = VisitorTally.objects.in_network(digipunt.network_id).filter(digipunt=digipunt, date=date)
    with transaction.atomic():
        if not rows.update(count=F("count") + by):
            try:
                with transaction.atomic():
                    VisitorTally.objects.create(
                        network_id=digipunt.network_id, digipunt=digipunt, date=date, count=by
                    )
            except IntegrityError:
                rows.update(count=F("count") + by)
        return rows.values_list("count", flat=True).get()


# --- appointments --------------------------------------------------------------------------------


def _check_slot_time(
    session: HelpSession, starts_at: datetime.datetime
) -> tuple[datetime.datetime, datetime.datetime]:
    """(start, end) of the slot of ``session`` starting at ``starts_at``; ValidationError if there is none."""
    day = hours.local(starts_at).date()
    _check_occurs(session, day)
    for start, end in hours.slot_times(session, day):
        if start == starts_at:
            return start, end
    raise ValidationError({"starts_at": _("This help session has no appointment at that time.")})


def slot_get_or_create(*, session: HelpSession, starts_at: datetime.datetime) -> Slot:
    """The slot row of ``session`` at ``starts_at``; created with the session's capacity when first booked."""
    if not session.is_bookable:
        raise ValidationError({"session": _("This help session is walk-in only.")})
    start, end = _check_slot_time(session, starts_at)
    try:
        with transaction.atomic():
            slot, _created = Slot.objects.get_or_create(
                network_id=session.network_id,
                session=session,
                starts_at=start,
                defaults={
                    "digipunt_id": session.digipunt_id,
                    "ends_at": end,
                    "capacity": session.capacity_per_slot,
                },
            )
    except IntegrityError:  # created by a concurrent booking a moment ago
        slot = Slot.objects.get(network_id=session.network_id, session=session, starts_at=start)
    return slot


def _take_place(slot: Slot) -> bool:
    """Take one place with ONE conditional UPDATE: the database decides who gets the last place.

    On PostgreSQL a concurrent UPDATE of the same row waits for the first to commit and then
    re-checks ``booked < capacity``; on SQLite writers are serialised. Never read-then-write.
    """
    return bool(Slot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(booked=F("booked") + 1))


def _free_place(slot_id: int) -> None:
    Slot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1)


@transaction.atomic
def appointment_book(
    *,
    session: HelpSession,
    starts_at: datetime.datetime,
    channel: str,
    booked_by=None,
    membership=None,
    resident: Resident | None = None,
    name: str = "",
    phone: str = "",
    email: str = "",
    language: str = "",
    theme: HelpTheme | None = None,
    notes: str = "",
    now: datetime.datetime | None = None,
) -> Appointment:
    """Book one place in a help-hour slot. THE booking function: desk, partners, API, public site.

    - ``session`` + ``starts_at``: the slot (from selectors.open_slots; ``SlotView.key``).
    - ``resident`` (staff: one ``membership`` may see) **or** ``name`` with a ``phone`` or
      ``email`` (the public site, a caller who is not registered).
    - ``channel``: models.BookingChannel; ``booked_by``/``membership``: who books (None: the
      public site). A partner worker books for their organisation: only it sees the appointment.

    Raises ValidationError when the slot is full, past, not a slot of the session, or the
    input is incomplete. The confirmation goes out after commit (messages.py).
    """
    now = now or timezone.now()
    network_id = session.network_id
    if membership is not None and membership.network_id != network_id:
        raise ValidationError({"session": _("Choose a help session of this network.")})
    _check_same_network(network_id, resident=resident, theme=theme)
    if channel not in BookingChannel.values:
        raise ValidationError({"channel": _("Choose how the appointment was booked.")})
    name, phone, email = (" ".join((v or "").split()) for v in (name, phone, email))
    if resident is not None:
        if membership is not None:
            _check_resident(membership, resident)
        elif resident.is_erased:
            raise ValidationError({"resident": _("This resident was erased.")})
        name, phone, email = "", "", ""
    elif not name:
        raise ValidationError({"name": _("Give the name of the person the appointment is for.")})
    elif not (phone or email):
        raise ValidationError(
            {"phone": _("Give a phone number or e-mail address to confirm the appointment.")}
        )
    if starts_at <= now:
        raise ValidationError({"starts_at": _("This time has passed.")})
    slot = slot_get_or_create(session=session, starts_at=starts_at)
    if resident is not None and (
        Appointment.objects.in_network(network_id)
        .filter(slot=slot, resident=resident)
        .exclude(status=AppointmentStatus.CANCELLED)
        .exists()
    ):
        raise ValidationError({"resident": _("This resident already has this appointment.")})
    if not _take_place(slot):
        raise ValidationError({"starts_at": _("This time is fully booked. Choose another time.")})
    if not language:
        codes = resident.language_list() if resident is not None else []
        language = next((c for c in codes if c in HELP_LANGUAGE_CODES), "nl")
    appointment = Appointment.objects.create(
        network_id=network_id,
        slot=slot,
        resident=resident,
        name=name,
        phone=phone,
        email=email,
        language=language if language in HELP_LANGUAGE_CODES else "nl",
        theme=theme,
        notes=" ".join((notes or "").split())[:300],
        channel=channel,
        booked_by=booked_by,
        booked_by_organisation_id=membership.organisation_id if membership is not None else None,
        booked_at=now,
    )
    if resident is not None:
        timeline_add(
            resident=resident,
            kind=TimelineKind.APPOINTMENT_BOOKED,
            summary=_("Appointment booked: %(digipunt)s, %(when)s")
            % {"digipunt": session.digipunt.name, "when": f"{hours.local(slot.starts_at):%d/%m/%Y %H:%M}"},
            actor=booked_by,
        )
    else:
        # Someone who is not (yet) a resident: audited as a "booker" (privacy registry).
        audit_record(
            request_or_source="public" if channel == BookingChannel.WEB else f"digipunten:book:{channel}",
            actor=booked_by,
            network_id=network_id,
            action=AuditAction.CREATE,
            subject_kind=BOOKER,
            subject_id=appointment.pk,
            fields=[field for field in ("name", "phone", "email", "notes") if getattr(appointment, field)],
        )
    messages.message_queue(appointment=appointment, kind=MessageKind.CONFIRMATION)
    return appointment


def _transition(appointment: Appointment, to_status: str, *, actor, now, reason: str = "") -> bool:
    """Move the appointment with a conditional update on its current status; False if someone was first."""
    allowed = APPOINTMENT_TRANSITIONS.get(appointment.status, frozenset())
    if to_status not in allowed:
        raise ValidationError(
            _("An appointment that is %(from)s cannot become %(to)s.")
            % {
                "from": AppointmentStatus(appointment.status).label.lower(),
                "to": AppointmentStatus(to_status).label.lower(),
            }
        )
    changed = Appointment.objects.filter(pk=appointment.pk, status=appointment.status).update(
        status=to_status, status_changed_at=now, status_changed_by=actor, cancel_reason=reason[:300]
    )
    if changed:
        appointment.status = to_status
        appointment.status_changed_at = now
        appointment.cancel_reason = reason[:300]
    return bool(changed)


@transaction.atomic
def appointment_cancel(
    *, appointment: Appointment, actor, reason: str = "", now: datetime.datetime | None = None
) -> Appointment:
    """Cancel a booked appointment: its place is free again and messages not yet sent are dropped."""
    now = now or timezone.now()
    appointment = Appointment.objects.select_related("slot__digipunt", "resident").get(pk=appointment.pk)
    if appointment.status != AppointmentStatus.BOOKED:
        raise ValidationError(_("Only a booked appointment can be cancelled."))
    if not _transition(appointment, AppointmentStatus.CANCELLED, actor=actor, now=now, reason=reason.strip()):
        raise ValidationError(_("Someone changed this appointment a moment ago. Look again."))
    _free_place(appointment.slot_id)
    messages.messages_drop(appointment)
    if appointment.resident_id:
        timeline_add(
            resident=appointment.resident,
            kind=TimelineKind.APPOINTMENT_CANCELLED,
            summary=_("Appointment cancelled: %(digipunt)s, %(when)s")
            % {
                "digipunt": appointment.slot.digipunt.name,
                "when": f"{hours.local(appointment.slot.starts_at):%d/%m/%Y %H:%M}",
            },
            actor=actor,
        )
    return appointment


@transaction.atomic
def appointment_set_status(
    *, appointment: Appointment, actor, status: str, now: datetime.datetime | None = None
) -> Appointment:
    """Record that the resident came or did not come (only once the slot has started)."""
    now = now or timezone.now()
    if status not in {AppointmentStatus.ATTENDED, AppointmentStatus.NO_SHOW}:
        raise ValidationError({"status": _("Choose came or did not come.")})
    appointment = Appointment.objects.select_related("slot__digipunt", "resident").get(pk=appointment.pk)
    if appointment.slot.starts_at > now:
        raise ValidationError(_("You can record this once the appointment has started."))
    if appointment.status == status:
        return appointment
    if not _transition(appointment, status, actor=actor, now=now):
        raise ValidationError(_("Someone changed this appointment a moment ago. Look again."))
    if status == AppointmentStatus.NO_SHOW and appointment.resident_id:
        timeline_add(
            resident=appointment.resident,
            kind=TimelineKind.APPOINTMENT_NO_SHOW,
            summary=_("Did not come to the appointment at %(digipunt)s")
            % {"digipunt": appointment.slot.digipunt.name},
            actor=actor,
        )
    return appointment
