"""Appointments in help hours: free slots, booking for a resident, the list, one appointment
(cancel, came / did not come) and the letters to print.

Partner workers see only the appointments their organisation booked (Appointment.objects.visible_to).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from digibank.audit.models import AuditAction
from digibank.audit.services import audit_record, audit_residents_listed
from digibank.lib.forms import add_errors
from digibank.messaging import services as outbox
from digibank.networks.access import staff_view
from digibank.networks.roles import Role
from digibank.privacy.registry import BOOKER, RESIDENT
from digibank.residents import selectors as resident_selectors

from .. import selectors, services
from ..forms import (
    APPOINTMENT_FILTERS,
    AppointmentFilterForm,
    BookingForm,
    CancelForm,
    OutcomeForm,
    SlotFilterForm,
    parse_slot_key,
)
from ..models import Appointment, AppointmentStatus, BookingChannel, HelpSession

SEARCH_RESULTS = 8
DETAIL_FIELDS = ["first_name", "last_name", "phone", "email", "preferred_channel"]
LETTER_FIELDS = ["first_name", "last_name", "street", "postcode", "city"]
# What the pages show of someone who booked without being registered (Appointment's fields).
BOOKER_FIELDS = ["name", "phone", "email", "notes"]
CHANNEL_OF_ROLE = {
    Role.PARTNER_WORKER: BookingChannel.PARTNER,
    Role.DIGIPUNT_STAFF: BookingChannel.DIGIPUNT,
}


@require_GET
@staff_view("appointment.manage")
def appointment_list(request: HttpRequest) -> HttpResponse:
    membership = request.membership
    form = AppointmentFilterForm(request.GET or None, membership=membership)
    show, digipunt = "upcoming", None
    if form.is_valid():
        show = form.cleaned_data["show"] or "upcoming"
        digipunt = form.cleaned_data["digipunt"]
    appointments = selectors.appointment_list(membership=membership, show=show, digipunt=digipunt)
    page = Paginator(appointments, selectors.APPOINTMENTS_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    audit_residents_listed(request=request, residents=[a.resident for a in shown if a.resident_id])
    context = {
        "form": form,
        "page": page,
        "appointments": shown,
        "show": show,
        "filters": APPOINTMENT_FILTERS,
    }
    template = "digipunten/appointments.html#results" if request.htmx else "digipunten/appointments.html"
    return render(request, template, context)


@require_GET
@staff_view("appointment.manage")
def slot_list(request: HttpRequest) -> HttpResponse:
    membership = request.membership
    form = SlotFilterForm(request.GET or None, membership=membership)
    digipunt = form.cleaned_data["digipunt"] if form.is_valid() else None
    slots = selectors.open_slots(membership=membership, digipunt=digipunt)
    days: dict = {}
    for slot in slots:
        days.setdefault(timezone.localtime(slot.starts_at).date(), []).append(slot)
    return render(request, "digipunten/slots.html", {"form": form, "days": sorted(days.items())})


def _slot_from(request: HttpRequest, key: str):
    """The SlotView a booking is about (from the key the slots page links with), or None."""
    parsed = parse_slot_key(key)
    if parsed is None or parsed[1] is None:
        return None
    session = (
        HelpSession.objects.visible_to(request.membership)
        .select_related("digipunt")
        .filter(pk=parsed[0])
        .first()
    )
    if session is None:
        return None
    for slot in selectors.open_slots(
        membership=request.membership, digipunt=session.digipunt, include_full=True
    ):
        if slot.session.pk == session.pk and slot.starts_at == parsed[1]:
            return slot
    return None


@require_http_methods(["GET", "POST"])
@staff_view("appointment.manage")
def book(request: HttpRequest) -> HttpResponse:
    membership = request.membership
    params = request.POST if request.method == "POST" else request.GET
    slot = _slot_from(request, params.get("slot", ""))
    if slot is None:
        messages.error(request, _("Choose a time with a free place."))
        return redirect("digipunten:slots")
    form = BookingForm(request.POST or None, membership=membership, initial={"slot": slot.key})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        session, starts_at = data["slot"]
        try:
            appointment = services.appointment_book(
                session=session,
                starts_at=starts_at,
                channel=CHANNEL_OF_ROLE.get(membership.role, BookingChannel.DESK),
                booked_by=request.user,
                membership=membership,
                resident=data.get("resident"),
                name=data.get("name", ""),
                phone=data.get("phone", ""),
                email=data.get("email", ""),
                theme=data.get("theme"),
                notes=data.get("notes", ""),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The appointment is booked. The confirmation is on its way."))
            return redirect("digipunten:appointment", pk=appointment.pk)
    query = request.GET.get("q", "") if request.method == "GET" else ""
    results = []
    if query.strip():
        results = list(resident_selectors.resident_list(membership=membership, query=query)[:SEARCH_RESULTS])
        audit_residents_listed(request=request, residents=results)
    chosen = None
    resident_id = params.get("resident", "")
    if resident_id.isdigit():
        chosen = resident_selectors.resident_list(membership=membership).filter(pk=int(resident_id)).first()
    context = {"slot": slot, "form": form, "query": query, "results": results, "chosen": chosen}
    return render(request, "digipunten/book.html", context)


def _audit_viewed(request: HttpRequest, appointment: Appointment, fields: list[str]) -> None:
    # Someone who booked without being registered is audited too, as a "booker".
    if appointment.resident_id:
        kind, subject_id = RESIDENT, appointment.resident_id
    else:
        kind, subject_id, fields = BOOKER, appointment.pk, BOOKER_FIELDS
    audit_record(
        request_or_source=request,
        actor=request.user,
        network_id=appointment.network_id,
        action=AuditAction.VIEW,
        subject_kind=kind,
        subject_id=subject_id,
        fields=fields,
    )


@require_GET
@staff_view(
    "appointment.manage",
    model=Appointment,
    related=("slot__digipunt", "slot__session", "resident", "theme", "booked_by", "booked_by_organisation"),
)
def appointment_detail(request: HttpRequest, appointment: Appointment) -> HttpResponse:
    _audit_viewed(request, appointment, DETAIL_FIELDS)
    context = {
        "appointment": appointment,
        "messages_sent": list(selectors.appointment_messages(appointment)),
        "cancel_form": CancelForm(),
        "started": appointment.slot.starts_at <= timezone.now(),
        "statuses": AppointmentStatus,
    }
    return render(request, "digipunten/appointment.html", context)


@require_POST
@staff_view(
    "appointment.manage",
    model=Appointment,
    related=("slot__digipunt", "slot__session", "resident", "theme", "booked_by", "booked_by_organisation"),
)
def appointment_cancel(request: HttpRequest, appointment: Appointment) -> HttpResponse:
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was changed."))
        return redirect("digipunten:appointment", pk=appointment.pk)
    try:
        services.appointment_cancel(
            appointment=appointment, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The appointment is cancelled; the place is free again."))
    return redirect("digipunten:appointment", pk=appointment.pk)


@require_POST
@staff_view(
    "appointment.manage",
    model=Appointment,
    related=("slot__digipunt", "slot__session", "resident", "theme", "booked_by", "booked_by_organisation"),
)
def appointment_outcome(request: HttpRequest, appointment: Appointment) -> HttpResponse:
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was changed."))
        return redirect("digipunten:appointment", pk=appointment.pk)
    try:
        services.appointment_set_status(
            appointment=appointment, actor=request.user, status=form.cleaned_data["status"]
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Saved."))
    return redirect("digipunten:appointment", pk=appointment.pk)


@require_http_methods(["GET", "POST"])
@staff_view("appointment.manage")
def letters(request: HttpRequest) -> HttpResponse:
    """Confirmations and reminders that go by post: print this page, then mark them printed."""
    pending = list(selectors.letters_to_print(membership=request.membership))
    if request.method == "POST":
        if request.POST.get("confirm") != "1":
            messages.error(request, _("Nothing was changed."))
        else:
            wanted = set(request.POST.getlist("message"))
            done = outbox.letters_mark_printed(messages=[m for m in pending if str(m.pk) in wanted])
            messages.success(request, _("%(count)s letters marked as printed.") % {"count": done})
        return redirect("digipunten:letters")
    for message in pending:
        _audit_viewed(request, message.appointment, LETTER_FIELDS)
    return render(request, "digipunten/letters.html", {"letters": pending})
