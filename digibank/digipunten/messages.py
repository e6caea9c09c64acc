"""Confirmations and reminders of appointments, by e-mail, SMS or letter, each sent at most once.

1. ``message_queue`` writes the message (one per appointment and kind: unique key) and, after
   commit, enqueues the task that sends it.
2. ``message_send`` *claims* the message with a conditional update (pending -> sending; only
   one caller gets 1 row back) and delivers it after that claim is committed. A retry, a
   second worker or a second run of the reminder job therefore never sends twice; a message a
   crash left in "sending" is not retried (better one reminder too few than two).
3. ``send_due`` (the hourly job, tasks.send_appointment_reminders) writes the reminders of
   appointments that start within REMINDER_LEAD and were booked before that, then sends
   everything pending.

Channel: the resident's preference (SMS for "phone"), else the first one we have the details
for (e-mail, SMS, letter). A letter is "sent" to the letters list, printed from there.
"Do not contact" -> skipped.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from digibank.lib.sms import send_sms
from digibank.residents.models import ContactChannel

from . import hours
from .cancel import cancel_url
from .models import (
    Appointment,
    AppointmentMessage,
    AppointmentStatus,
    MessageChannel,
    MessageKind,
    MessageStatus,
)

logger = logging.getLogger(__name__)

REMINDER_LEAD = datetime.timedelta(hours=24)
INTERFACE_LANGUAGES = {code for code, _name in settings.LANGUAGES}


def channel_for(appointment: Appointment) -> str | None:
    """How to reach the person of an appointment, or None when we cannot (or may not)."""
    resident = appointment.resident
    if resident is None:
        if appointment.email:
            return MessageChannel.EMAIL
        return MessageChannel.SMS if appointment.phone else None
    if resident.do_not_contact or resident.is_erased:
        return None
    reachable = {
        MessageChannel.EMAIL: bool(resident.email),
        MessageChannel.SMS: bool(resident.phone),
        MessageChannel.LETTER: bool(resident.street and resident.city),
    }
    preferred = {
        ContactChannel.EMAIL: MessageChannel.EMAIL,
        ContactChannel.SMS: MessageChannel.SMS,
        ContactChannel.PHONE: MessageChannel.SMS,
        ContactChannel.LETTER: MessageChannel.LETTER,
    }.get(resident.preferred_channel)
    if preferred and reachable[preferred]:
        return preferred
    return next((channel for channel, ok in reachable.items() if ok), None)


def message_queue(*, appointment: Appointment, kind: str) -> AppointmentMessage:
    """Write the ``kind`` message of an appointment once (idempotent) and send it after commit."""
    channel = channel_for(appointment)
    message, created = AppointmentMessage.objects.get_or_create(
        network_id=appointment.network_id,
        appointment=appointment,
        kind=kind,
        defaults={
            "channel": channel or MessageChannel.LETTER,
            "status": MessageStatus.PENDING if channel else MessageStatus.SKIPPED,
            "error": ""
            if channel
            else _("No way to reach the resident (or they asked not to be contacted)."),
        },
    )
    if created and message.status == MessageStatus.PENDING:
        message_id = message.pk
        transaction.on_commit(lambda: _enqueue(message_id))
    return message


def _enqueue(message_id: int) -> None:
    from .tasks import send_appointment_message

    send_appointment_message.enqueue(message_id)


def message_claim(message_id: int) -> bool:
    """Take a pending message for sending. True for exactly one caller, however many try."""
    return bool(
        AppointmentMessage.objects.filter(pk=message_id, status=MessageStatus.PENDING).update(
            status=MessageStatus.SENDING
        )
    )


def _finish(message_id: int, status: str, error: str = "") -> None:
    AppointmentMessage.objects.filter(pk=message_id, status=MessageStatus.SENDING).update(
        status=status, sent_at=timezone.now(), error=error[:300]
    )


def message_context(message: AppointmentMessage) -> dict:
    appointment = message.appointment
    slot = appointment.slot
    return {
        "message": message,
        "appointment": appointment,
        "resident": appointment.resident,
        "name": appointment.resident.first_name if appointment.resident_id else appointment.name,
        "digipunt": slot.digipunt,
        "starts_at": hours.local(slot.starts_at),
        "network": appointment.network,
        "reminder": message.kind == MessageKind.REMINDER,
        "cancel_url": cancel_url(appointment),
    }


def render_message(message: AppointmentMessage, template: str) -> str:
    """One message in the resident's language when the interface has it, else the default."""
    language = message.appointment.language
    with translation.override(language if language in INTERFACE_LANGUAGES else settings.LANGUAGE_CODE):
        return render_to_string(template, message_context(message)).strip()


def _deliver(message: AppointmentMessage) -> tuple[str, str]:
    appointment = message.appointment
    if appointment.status != AppointmentStatus.BOOKED:
        return MessageStatus.SKIPPED, _("The appointment was cancelled.")
    if message.kind == MessageKind.REMINDER and appointment.slot.starts_at <= timezone.now():
        return MessageStatus.SKIPPED, _("The appointment has already started.")
    resident = appointment.resident
    if resident is not None and (resident.do_not_contact or resident.is_erased):
        return MessageStatus.SKIPPED, ""
    email = resident.email if resident else appointment.email
    phone = resident.phone if resident else appointment.phone
    if message.channel == MessageChannel.EMAIL:
        if not email:
            return MessageStatus.FAILED, _("No e-mail address.")
        subject = " ".join(render_message(message, "digipunten/messages/email_subject.txt").split())
        EmailMessage(subject, render_message(message, "digipunten/messages/email.txt"), None, [email]).send()
    elif message.channel == MessageChannel.SMS:
        if not phone:
            return MessageStatus.FAILED, _("No phone number.")
        send_sms(phone, render_message(message, "digipunten/messages/sms.txt"))
    elif message.channel == MessageChannel.LETTER and not (resident and resident.street and resident.city):
        return MessageStatus.FAILED, _("No address for a letter.")
    # A letter now stands on the letters list until someone prints it.
    return MessageStatus.SENT, ""


def _send_claimed(message_id: int) -> None:
    message = AppointmentMessage.objects.select_related(
        "appointment__resident", "appointment__slot__digipunt", "appointment__network"
    ).get(pk=message_id)
    try:
        status, error = _deliver(message)
    except Exception as exc:  # a gateway or mail server error: record it, go on with the others
        logger.exception("Appointment message %s could not be sent", message_id)
        status, error = MessageStatus.FAILED, f"{type(exc).__name__}: {exc}"
    _finish(message_id, status, error)


def message_send(message_id: int) -> bool:
    """Claim and send one message; it goes out only after the claim is committed."""
    with transaction.atomic():
        claimed = message_claim(message_id)
        if claimed:
            transaction.on_commit(lambda: _send_claimed(message_id))
    return claimed


def reminders_create_due(*, now: datetime.datetime | None = None, network_id: int | None = None) -> int:
    """Write the reminders of booked appointments starting within REMINDER_LEAD; returns how many are new.

    An appointment booked less than REMINDER_LEAD before it starts got its confirmation
    recently enough: it gets no reminder.
    """
    now = now or timezone.now()
    due = Appointment.objects.filter(
        status=AppointmentStatus.BOOKED, slot__starts_at__gt=now, slot__starts_at__lte=now + REMINDER_LEAD
    ).select_related("resident", "slot")
    if network_id is not None:
        due = due.in_network(network_id)
    created = 0
    for appointment in due.order_by("pk"):
        if appointment.booked_at > appointment.slot.starts_at - REMINDER_LEAD:
            continue
        exists = AppointmentMessage.objects.filter(
            network_id=appointment.network_id, appointment=appointment, kind=MessageKind.REMINDER
        ).exists()
        if not exists:
            with transaction.atomic():
                message_queue(appointment=appointment, kind=MessageKind.REMINDER)
            created += 1
    return created


def send_pending(*, network_id: int | None = None) -> int:
    """Send every pending message (each claimed first); returns how many this call claimed."""
    pending = AppointmentMessage.objects.filter(status=MessageStatus.PENDING)
    if network_id is not None:
        pending = pending.in_network(network_id)
    return sum(message_send(pk) for pk in list(pending.order_by("pk").values_list("pk", flat=True)))


def send_due(*, now: datetime.datetime | None = None, network_id: int | None = None) -> dict:
    """The hourly job: write the reminders that are due, then send what is pending."""
    created = reminders_create_due(now=now, network_id=network_id)
    claimed = send_pending(network_id=network_id)
    return {"created": created, "claimed": claimed}


@transaction.atomic
def letters_mark_printed(*, messages, now: datetime.datetime | None = None) -> int:
    """The letters on the list were printed: they leave it."""
    ids = [m.pk for m in messages]
    return AppointmentMessage.objects.filter(pk__in=ids, printed_at__isnull=True).update(
        printed_at=now or timezone.now()
    )
