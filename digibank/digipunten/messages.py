"""Confirmations and reminders of appointments, queued in the outbox (digibank.messaging).

One message per appointment and kind: its idempotency key is ``appointment:<pk>:<kind>``, so a
second booking call, a retry or a second run of the reminder job queues nothing new. The
outbox sends it (claimed first, never twice); letters wait there to be printed from the
letters page. ``send_due`` (the hourly job, tasks.send_appointment_reminders) queues the
reminders of appointments that start within REMINDER_LEAD and were booked before that.

Channel: the resident's preference (SMS for "phone"), else the first one we have the details
for (e-mail, SMS, letter); a person without a resident record by e-mail, else SMS. "Do not
contact" -> skipped (the outbox's rule).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from digibank.messaging.models import MessageChannel, MessageStatus, OutboundMessage, RecipientKind
from digibank.messaging.services import channel_for, messages_cancel, resident_message
from digibank.messaging.services import (
    message_queue as outbox_queue,
)

from . import hours
from .cancel import cancel_url
from .models import Appointment, AppointmentStatus, BookingChannel, MessageKind

REMINDER_LEAD = datetime.timedelta(hours=24)
INTERFACE_LANGUAGES = {code for code, _name in settings.LANGUAGES}
TEMPLATE_KEY = "digipunten/messages"
KEY_PREFIX = "appointment:"


def message_key(appointment: Appointment, kind: str) -> str:
    return f"{KEY_PREFIX}{appointment.pk}:{kind}"


def appointment_id_of(message: OutboundMessage) -> int | None:
    """The appointment a message is about, read from its key (None for another capability's)."""
    parts = message.idempotency_key.split(":")
    return int(parts[1]) if len(parts) == 3 and parts[0] + ":" == KEY_PREFIX and parts[1].isdigit() else None


def kind_of(message: OutboundMessage) -> str:
    return message.idempotency_key.rsplit(":", 1)[-1]


def typed_by_visitor(appointment: Appointment) -> bool:
    """Booked on the public site by someone not registered: name, address and notes are what a
    visitor typed, so the messages carry none of that text and the address is rate-limited."""
    return appointment.channel == BookingChannel.WEB and not appointment.resident_id


def message_context(appointment: Appointment, kind: str) -> dict:
    slot = appointment.slot
    from_visitor = typed_by_visitor(appointment)
    return {
        "appointment": appointment,
        "resident": appointment.resident,
        "name": ""
        if from_visitor
        else appointment.resident.first_name
        if appointment.resident_id
        else appointment.name,
        "notes": "" if from_visitor else appointment.notes,
        "digipunt": slot.digipunt,
        "starts_at": hours.local(slot.starts_at),
        "network": appointment.network,
        "reminder": kind == MessageKind.REMINDER,
        "cancel_url": cancel_url(appointment),
    }


def message_queue(*, appointment: Appointment, kind: str) -> OutboundMessage:
    """Queue the ``kind`` message of an appointment once (idempotent); the outbox sends it after commit."""
    language = appointment.language if appointment.language in INTERFACE_LANGUAGES else settings.LANGUAGE_CODE
    common = {
        "template_key": TEMPLATE_KEY,
        "language": language,
        "idempotency_key": message_key(appointment, kind),
    }
    if appointment.resident_id:
        resident = appointment.resident
        return resident_message(
            resident=resident,
            channel=channel_for(resident, calls=False, fallback=True),
            context=message_context(appointment, kind),
            **common,
        )
    channel = MessageChannel.EMAIL if appointment.email else MessageChannel.SMS if appointment.phone else None
    recipient = {
        "network_id": appointment.network_id,
        "recipient_kind": RecipientKind.BOOKER,
        "recipient_id": appointment.pk,
    }
    if channel is None:
        return outbox_queue(
            **recipient,
            **common,
            channel=MessageChannel.EMAIL,
            status=MessageStatus.SKIPPED,
            error=_("No way to reach the person who booked."),
        )
    return outbox_queue(
        **recipient,
        **common,
        channel=channel,
        to=appointment.email if channel == MessageChannel.EMAIL else appointment.phone,
        context=message_context(appointment, kind),
        typed_by_visitor=typed_by_visitor(appointment),
    )


def messages_drop(appointment: Appointment) -> int:
    """The appointment was cancelled: what was not sent yet is not sent (skipped in the outbox)."""
    return messages_cancel(
        network_id=appointment.network_id,
        idempotency_keys=[message_key(appointment, kind) for kind in MessageKind.values],
        reason=_("The appointment was cancelled."),
    )


def reminders_create_due(*, now: datetime.datetime | None = None, network_id: int | None = None) -> int:
    """Queue the reminders of booked appointments starting within REMINDER_LEAD; returns how many are new.

    An appointment booked less than REMINDER_LEAD before it starts got its confirmation
    recently enough: it gets no reminder.
    """
    now = now or timezone.now()
    due = Appointment.objects.filter(
        status=AppointmentStatus.BOOKED, slot__starts_at__gt=now, slot__starts_at__lte=now + REMINDER_LEAD
    ).select_related("resident", "slot__digipunt", "network")
    if network_id is not None:
        due = due.in_network(network_id)
    created = 0
    for appointment in due.order_by("pk"):
        if appointment.booked_at > appointment.slot.starts_at - REMINDER_LEAD:
            continue
        key = message_key(appointment, MessageKind.REMINDER)
        if OutboundMessage.objects.in_network(appointment.network_id).filter(idempotency_key=key).exists():
            continue
        with transaction.atomic():
            message_queue(appointment=appointment, kind=MessageKind.REMINDER)
        created += 1
    return created


def send_due(*, now: datetime.datetime | None = None, network_id: int | None = None) -> dict:
    """The hourly job: queue the reminders that are due (the outbox sends them)."""
    return {"created": reminders_create_due(now=now, network_id=network_id)}
