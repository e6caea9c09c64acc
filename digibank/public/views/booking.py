"""Booking a help hour: choose a digipunt, a time, leave a name and a phone number or e-mail;
the thank-you page carries the reference and a link to cancel."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from digibank.digipunten.cancel import cancel_token_make, cancel_token_read
from digibank.digipunten.hours import local
from digibank.digipunten.models import Appointment, AppointmentStatus, BookingChannel, Digipunt
from digibank.networks.access import public_view

from .. import selectors, services
from ..forms import BookingForm
from .common import guard_and_submit, language, network_or_404, site_render


@require_GET
@public_view
def book_start(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = network_or_404(network_slug)
    rows = selectors.bookable_rows(network=network)
    return site_render(request, network, "public/book_start.html", {"rows": rows})


def _days(slots) -> list[tuple[datetime.date, list]]:
    """Slots grouped by local date (one fieldset per day), each with its running number (the input id)."""
    days: dict[datetime.date, list] = {}
    for index, slot in enumerate(slots):
        days.setdefault(local(slot.starts_at).date(), []).append((index, slot))
    return list(days.items())


def _parse_key(key: str) -> tuple[str, datetime.datetime] | None:
    session_id, _sep, start = (key or "").partition("@")
    try:
        return session_id, datetime.datetime.fromisoformat(start)
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
@public_view(model=Digipunt)
def book(request: HttpRequest, network_slug: str, pk: int) -> HttpResponse:
    network = network_or_404(network_slug)
    place = selectors.digipunt_for_site(network=network, pk=pk)
    slots = selectors.open_slots(network=network, digipunt=place)
    form = BookingForm(
        request.POST if request.method == "POST" else None, slots=slots, themes=selectors.help_themes(network)
    )
    if request.method == "POST":

        def submit(form):
            parsed = _parse_key(form.cleaned_data["slot"])
            session = (
                selectors.session_for_booking(network=network, digipunt=place, pk=parsed[0])
                if parsed
                else None
            )
            if session is None:
                raise ValidationError({"slot": form.fields["slot"].error_messages["invalid_choice"]})
            data = form.cleaned_data
            return services.booking_submit(
                network=network,
                token=form.token(),
                session=session,
                starts_at=parsed[1],
                name=data["name"],
                phone=data.get("phone", ""),
                email=data.get("email", ""),
                language=language(),
                theme=data.get("theme"),
            )

        response = guard_and_submit(request, network, form, submit)
        if response is not None:
            return response
    context = {"digipunt": place, "form": form, "days": _days(slots)}
    return site_render(request, network, "public/book.html", context)


def booking_context(network, submission) -> dict:
    appointment = (
        Appointment.objects.in_network(network)
        .filter(pk=submission.object_id)
        .select_related("slot__digipunt", "slot__session")
        .first()
    )
    if appointment is None:
        return {}
    token = cancel_token_make(appointment)
    return {
        "appointment": appointment,
        "starts_at": local(appointment.slot.starts_at),
        "cancel_url": reverse("public:cancel", kwargs={"network_slug": network.slug, "token": token}),
    }


def _appointment_for(network, token: str) -> Appointment:
    found = cancel_token_read(token)
    if found is None or found[1] != network.pk:
        raise Http404
    appointment = (
        Appointment.objects.in_network(network)
        .filter(pk=found[0], channel=BookingChannel.WEB)
        .select_related("slot__digipunt")
        .first()
    )
    if appointment is None:
        raise Http404
    return appointment


@require_http_methods(["GET", "POST"])
@public_view(model=Appointment, source="url:token", key=cancel_token_make, among=(("channel", "web"),))
def cancel(request: HttpRequest, network_slug: str, token: str) -> HttpResponse:
    network = network_or_404(network_slug)
    appointment = _appointment_for(network, token)
    error = None
    if request.method == "POST" and appointment.status == AppointmentStatus.BOOKED:
        try:
            services.booking_cancel(appointment=appointment)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            appointment.refresh_from_db(fields=["status"])
    context = {
        "appointment": appointment,
        "starts_at": local(appointment.slot.starts_at),
        "error": error,
        "cancelled": appointment.status == AppointmentStatus.CANCELLED,
        "started": appointment.slot.starts_at <= datetime.datetime.now(datetime.UTC),
    }
    return site_render(request, network, "public/cancel.html", context)
