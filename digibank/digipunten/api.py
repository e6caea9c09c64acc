"""/api/v1/digipunten/: digipunten with their hours and "open now", help sessions, free
appointment slots, help contacts and appointments — with the UI's scoping and services.

Mounted by the lead in digibank/api/api.py: ``api.add_router("/digipunten", digipunten.api.router)``.
Lists cost a fixed number of queries whatever the page size: hours and closures of a page
of digipunten are loaded in two queries (selectors.schedules_for).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from digibank.apikit.audit import audit_api_listed, audit_api_viewed
from digibank.apikit.auth import requires
from digibank.apikit.pagination import PageParams, paginate
from digibank.apikit.schemas import InputSchema, error_responses
from digibank.networks.access import get_visible_or_404
from digibank.networks.roles import Role
from digibank.residents.models import Resident

from . import selectors, services
from .forms import parse_slot_key
from .models import (
    MIDNIGHT,
    Appointment,
    AppointmentStatus,
    BookingChannel,
    Digipunt,
    DigipuntKind,
    HelpSession,
    HelpTheme,
    Outcome,
    SessionMode,
)

router = Router(tags=["digipunten"])

RESIDENT_FIELDS = ["first_name", "last_name"]


def _clock(value: datetime.time | None, *, closing: bool = False) -> str | None:
    if value is None:
        return None
    return "24:00" if closing and value == MIDNIGHT else f"{value:%H:%M}"


# --- schemas ---------------------------------------------------------------------------------


class DigipuntRef(Schema):
    id: int
    name: str


class PeriodOut(Schema):
    weekday: int = Field(..., description="0 = Monday … 6 = Sunday.")
    opens_at: str = Field(..., description="HH:MM, local time (Europe/Brussels).")
    closes_at: str = Field(..., description="HH:MM; 24:00 is midnight at the end of the day.")
    valid_from: datetime.date | None
    valid_to: datetime.date | None

    @staticmethod
    def resolve_opens_at(obj) -> str:
        return _clock(obj.opens_at)

    @staticmethod
    def resolve_closes_at(obj) -> str:
        return _clock(obj.closes_at, closing=True)


class ClosureOut(Schema):
    starts_on: datetime.date
    ends_on: datetime.date
    reason: str
    opens_at: str | None = Field(None, description="Special hours on these days; null: closed.")
    closes_at: str | None
    every_digipunt: bool

    @staticmethod
    def resolve_opens_at(obj) -> str | None:
        return _clock(obj.opens_at)

    @staticmethod
    def resolve_closes_at(obj) -> str | None:
        return _clock(obj.closes_at, closing=True)

    @staticmethod
    def resolve_every_digipunt(obj) -> bool:
        return obj.digipunt_id is None


class Equipment(Schema):
    computers: int
    printer: bool
    scanner: bool
    wifi: bool
    headsets: bool


class Accessibility(Schema):
    step_free: bool
    accessible_toilet: bool
    hearing_loop: bool
    adjustable_desk: bool
    accessible_parking: bool
    notes: str


class DigipuntOut(Schema):
    id: int
    name: str
    kind: DigipuntKind
    organisation: DigipuntRef | None
    description: str
    street: str
    postcode: str
    city: str
    district: DigipuntRef | None
    latitude: float | None
    longitude: float | None
    phone: str
    email: str
    languages: list[str]
    equipment: Equipment
    accessibility: Accessibility
    opening_hours: list[PeriodOut]
    closures: list[ClosureOut] = Field(..., description="Exceptions from today on (also network-wide ones).")
    open_now: bool
    open_until: datetime.datetime | None
    next_open: datetime.datetime | None = Field(..., description="When closed now: when it opens next.")

    @staticmethod
    def resolve_languages(obj) -> list[str]:
        return obj.language_list()

    @staticmethod
    def resolve_equipment(obj) -> dict:
        return {
            "computers": obj.computers,
            "printer": obj.has_printer,
            "scanner": obj.has_scanner,
            "wifi": obj.has_wifi,
            "headsets": obj.has_headsets,
        }

    @staticmethod
    def resolve_accessibility(obj) -> dict:
        return {
            "step_free": obj.step_free,
            "accessible_toilet": obj.accessible_toilet,
            "hearing_loop": obj.hearing_loop,
            "adjustable_desk": obj.adjustable_desk,
            "accessible_parking": obj.accessible_parking,
            "notes": obj.accessibility_notes,
        }

    @staticmethod
    def resolve_opening_hours(obj) -> list:
        return obj.schedule.periods

    @staticmethod
    def resolve_closures(obj) -> list:
        return obj.schedule.closures

    @staticmethod
    def resolve_open_now(obj) -> bool:
        return obj.open_until_value is not None

    @staticmethod
    def resolve_open_until(obj):
        return obj.open_until_value

    @staticmethod
    def resolve_next_open(obj):
        return obj.next_open_value


class DigipuntPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[DigipuntOut]


class SessionOut(Schema):
    id: int
    digipunt: DigipuntRef
    title: str
    weekday: int = Field(..., description="0 = Monday … 6 = Sunday.")
    starts_at: str
    ends_at: str
    mode: SessionMode
    slot_minutes: int
    capacity_per_slot: int
    helpers_needed: int
    languages: list[str]
    valid_from: datetime.date
    valid_to: datetime.date | None

    @staticmethod
    def resolve_starts_at(obj) -> str:
        return _clock(obj.starts_at)

    @staticmethod
    def resolve_ends_at(obj) -> str:
        return _clock(obj.ends_at)

    @staticmethod
    def resolve_languages(obj) -> list[str]:
        return [c.strip() for c in obj.languages.split(",") if c.strip()]


class SessionPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[SessionOut]


class SlotOut(Schema):
    key: str = Field(..., description='What to send as "slot" to book it.')
    session_id: int
    digipunt: DigipuntRef
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    capacity: int
    booked: int
    free: int

    @staticmethod
    def resolve_session_id(obj) -> int:
        return obj.session.pk

    @staticmethod
    def resolve_digipunt(obj):
        return obj.session.digipunt


class ThemeOut(Schema):
    id: int
    code: str
    label: str


class HelpContactOut(Schema):
    id: int
    digipunt: DigipuntRef
    theme: ThemeOut
    minutes: int
    language: str
    outcome: Outcome
    occurred_at: datetime.datetime
    resident_id: int | None = Field(None, description="Only when the contact was linked to a resident.")
    request_id: int | None = Field(None, description="The request registered with a referred contact.")


class HelpContactPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[HelpContactOut]


class HelpContactIn(InputSchema):
    digipunt: int
    theme: int
    outcome: Outcome
    minutes: int = Field(10, ge=1, le=480)
    language: str = Field("nl", description="A language code, e.g. nl, fr, ar; 'other'.")
    resident: int | None = Field(
        None, description="A resident you may see; leave out for an anonymous contact."
    )
    occurred_at: datetime.datetime | None = Field(None, description="Default: now.")


class AppointmentResidentRef(Schema):
    id: int
    first_name: str
    last_name: str


class AppointmentOut(Schema):
    id: int
    digipunt: DigipuntRef
    session_id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    resident: AppointmentResidentRef | None
    name: str = Field(..., description="Only for someone who is not a registered resident.")
    status: AppointmentStatus
    channel: BookingChannel
    language: str
    theme: ThemeOut | None
    notes: str
    booked_at: datetime.datetime
    booked_by_organisation: DigipuntRef | None

    @staticmethod
    def resolve_digipunt(obj):
        return obj.slot.digipunt

    @staticmethod
    def resolve_session_id(obj) -> int:
        return obj.slot.session_id

    @staticmethod
    def resolve_starts_at(obj):
        return obj.slot.starts_at

    @staticmethod
    def resolve_ends_at(obj):
        return obj.slot.ends_at


class AppointmentPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[AppointmentOut]


class AppointmentIn(InputSchema):
    slot: str = Field(..., description='The "key" of a free slot (GET /slots).')
    resident: int | None = Field(None, description="A resident you may see; or give name and phone or email.")
    name: str = ""
    phone: str = ""
    email: str = ""
    theme: int | None = None
    notes: str = Field("", max_length=300)
    language: str = ""


class CancelIn(InputSchema):
    # Checked after the look-up (404 before 422), and required: an empty body never cancels.
    reason: str = Field("", max_length=300, description="Required: why the appointment is cancelled.")


class StatusIn(InputSchema):
    status: AppointmentStatus | None = Field(None, description="Required: attended or no_show.")


# --- digipunten and help sessions -----------------------------------------------------------------


def _with_hours(digipunten: list[Digipunt]) -> list[Digipunt]:
    """Attach schedule, open-until and next-open (two queries for the whole page)."""
    now = timezone.now()
    schedules = selectors.schedules_for(digipunten, since=timezone.localdate())
    for digipunt in digipunten:
        schedule = schedules[digipunt.pk]
        digipunt.schedule = schedule
        digipunt.open_until_value = schedule.open_until(now)
        digipunt.next_open_value = None if digipunt.open_until_value else schedule.next_open(now)
    return digipunten


@router.get(
    "/",
    response={200: DigipuntPage, **error_responses(422)},
    summary="List digipunten with their hours and whether they are open now",
    **requires("digipunt.view"),
)
def digipunt_list(request: HttpRequest, page: Query[PageParams], district: int | None = None):
    qs = selectors.digipunt_list(membership=request.membership)
    if district is not None:
        qs = qs.filter(district_id=district)
    result = paginate(qs, page)
    result["items"] = _with_hours(result["items"])
    return result


@router.get(
    "/{pk}",
    response={200: DigipuntOut, **error_responses(404)},
    summary="One digipunt",
    **requires("digipunt.view", model=Digipunt),
)
def digipunt_detail(request: HttpRequest, pk: int):
    digipunt = (
        selectors.digipunt_list(membership=request.membership, include_inactive=True).filter(pk=pk).first()
    )
    if digipunt is None:
        raise Http404
    return _with_hours([digipunt])[0]


@router.get(
    "/help-sessions/",
    response={200: SessionPage, **error_responses(422)},
    summary="List help sessions (digitaal spreekuur)",
    **requires("digipunt.view"),
)
def session_list(request: HttpRequest, page: Query[PageParams], digipunt: int | None = None):
    """Sessions still running, by digipunt and weekday."""
    qs = selectors.session_list(membership=request.membership)
    if digipunt is not None:
        qs = qs.filter(digipunt_id=digipunt)
    return paginate(qs, page)


@router.get(
    "/slots/",
    response={200: list[SlotOut], **error_responses(404, 422)},
    summary="Free appointment slots of the coming weeks",
    **requires("appointment.manage"),
)
def slot_list(request: HttpRequest, digipunt: int | None = None, weeks: int = 4):
    """``weeks``: 1 to 8 (default 4)."""
    weeks = min(max(weeks, 1), 8)
    place = get_visible_or_404(Digipunt, request.membership, pk=digipunt) if digipunt is not None else None
    return selectors.open_slots(membership=request.membership, digipunt=place, weeks=weeks)


# --- help contacts -----------------------------------------------------------------------------


def _visible(model, membership, pk: int | None, field: str, queryset=None):
    """The object by id through the scoped queryset; an unknown id is a 422 on that field."""
    if pk is None:
        return None
    qs = queryset if queryset is not None else model.objects.visible_to(membership)
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise ValidationError({field: _("Unknown, or not visible to you.")})
    return obj


@router.get(
    "/help-contacts/",
    response={200: HelpContactPage, **error_responses(422)},
    summary="List help contacts (a volunteer: their own)",
    **requires("helpcontact.register"),
)
def help_contact_list(request: HttpRequest, page: Query[PageParams]):
    return paginate(selectors.help_contact_list(membership=request.membership), page)


@router.post(
    "/help-contacts/",
    response={201: HelpContactOut, **error_responses(422)},
    summary="Register a help contact",
    **requires("helpcontact.register"),
)
def help_contact_create(request: HttpRequest, payload: HelpContactIn):
    """Anonymous unless ``resident`` is given. A referral with a request goes through /api/v1/requests."""
    membership = request.membership
    services.themes_ensure(network=membership.network_id)
    contact = services.helpcontact_register(
        membership=membership,
        actor=request.user,
        digipunt=_visible(Digipunt, membership, payload.digipunt, "digipunt"),
        theme=_visible(HelpTheme, membership, payload.theme, "theme"),
        outcome=payload.outcome,
        minutes=payload.minutes,
        language=payload.language,
        resident=_visible(Resident, membership, payload.resident, "resident"),
        occurred_at=payload.occurred_at,
        source=f"api:{request.method} {request.path}",
    )
    return Status(201, selectors.help_contact_list(membership=membership).get(pk=contact.pk))


# --- appointments --------------------------------------------------------------------------------


def _appointments(membership):
    return Appointment.objects.visible_to(membership).select_related(
        "slot__digipunt", "resident", "theme", "booked_by_organisation"
    )


@router.get(
    "/appointments/",
    response={200: AppointmentPage, **error_responses(422)},
    summary="List appointments (a partner worker: the ones their organisation booked)",
    **requires("appointment.manage"),
)
def appointment_list(request: HttpRequest, page: Query[PageParams], show: str = "upcoming"):
    """``show``: upcoming (default), past, cancelled or all.

    Residents in the answer are written to the audit trail.
    """
    qs = selectors.appointment_list(membership=request.membership, show=show)
    result = paginate(qs, page)
    audit_api_listed(request=request, residents=[a.resident for a in result["items"] if a.resident_id])
    return result


def _detail(request: HttpRequest, pk: int) -> Appointment:
    appointment = get_visible_or_404(Appointment, request.membership, pk=pk)
    appointment = _appointments(request.membership).get(pk=appointment.pk)
    if appointment.resident_id:
        audit_api_viewed(request=request, resident=appointment.resident, fields=RESIDENT_FIELDS)
    return appointment


@router.get(
    "/appointments/{pk}",
    response={200: AppointmentOut, **error_responses(404)},
    summary="One appointment",
    **requires("appointment.manage", model=Appointment),
)
def appointment_detail(request: HttpRequest, pk: int):
    return _detail(request, pk)


@router.post(
    "/appointments/",
    response={201: AppointmentOut, **error_responses(422)},
    summary="Book an appointment",
    **requires("appointment.manage"),
)
def appointment_create(request: HttpRequest, payload: AppointmentIn):
    """Books one place in a slot; 422 when it is full, past or not a slot. The confirmation
    goes to the resident by their preferred channel."""
    membership = request.membership
    parsed = parse_slot_key(payload.slot)
    if parsed is None or parsed[1] is None:
        raise ValidationError({"slot": _("Send the key of a slot from GET /slots.")})
    session = _visible(HelpSession, membership, parsed[0], "slot")
    channel = {Role.PARTNER_WORKER: BookingChannel.PARTNER, Role.DIGIPUNT_STAFF: BookingChannel.DIGIPUNT}.get(
        membership.role, BookingChannel.DESK
    )
    appointment = services.appointment_book(
        session=session,
        starts_at=parsed[1],
        channel=channel,
        booked_by=request.user,
        membership=membership,
        resident=_visible(Resident, membership, payload.resident, "resident"),
        name=payload.name,
        phone=payload.phone,
        email=payload.email,
        theme=_visible(HelpTheme, membership, payload.theme, "theme"),
        notes=payload.notes,
        language=payload.language,
    )
    return Status(201, _detail(request, appointment.pk))


@router.post(
    "/appointments/{pk}/cancel",
    response={200: AppointmentOut, **error_responses(404, 422)},
    summary="Cancel an appointment (its place is free again)",
    **requires("appointment.manage", model=Appointment),
)
def appointment_cancel(request: HttpRequest, pk: int, payload: CancelIn):
    appointment = get_visible_or_404(Appointment, request.membership, pk=pk)
    if not payload.reason.strip():
        raise ValidationError({"reason": _("Say why the appointment is cancelled.")})
    services.appointment_cancel(appointment=appointment, actor=request.user, reason=payload.reason)
    return _detail(request, pk)


@router.post(
    "/appointments/{pk}/status",
    response={200: AppointmentOut, **error_responses(404, 422)},
    summary="Record that the resident came (attended) or did not come (no_show)",
    **requires("appointment.manage", model=Appointment),
)
def appointment_status(request: HttpRequest, pk: int, payload: StatusIn):
    appointment = get_visible_or_404(Appointment, request.membership, pk=pk)
    if payload.status is None:
        raise ValidationError({"status": _("Choose attended or no_show.")})
    services.appointment_set_status(appointment=appointment, actor=request.user, status=payload.status)
    return _detail(request, pk)
