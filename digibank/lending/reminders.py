"""Reminders before the due date and when overdue, through the resident's preferred channel.

Two steps, both safe to run twice or in two workers at once:

1. ``reminders_create_due`` writes the reminders that are due today, with ``get_or_create``
   on their unique key (loan, kind, due date, number): a second run finds them.
2. ``reminders_send_pending`` *claims* each pending reminder with a conditional update
   (pending -> sending; only one worker gets ``1`` back) and sends it after that claim is
   committed. A reminder is therefore sent at most once; one that a crash left in "sending"
   is not retried automatically (better one reminder too few than two).

Channels: e-mail (Django mail), SMS (digibank.lib.sms), phone (a line on the overdue page's
call list), letter (a page in that day's letters PDF). "Do not contact" -> skipped.
"""

from __future__ import annotations

import datetime
import logging

from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from digibank.lib.sms import send_sms
from digibank.residents.models import ContactChannel, Resident

from . import selectors
from .models import Loan, LoanKind, LoanStatus, Reminder, ReminderKind, ReminderStatus
from .services import lending_settings_for

logger = logging.getLogger(__name__)

# A resident without a preferred channel is reached by the first channel they have the data for.
FALLBACK_CHANNELS = [ContactChannel.EMAIL, ContactChannel.SMS, ContactChannel.LETTER]
OVERDUE_INTERVAL_DAYS = 7


def channel_for(resident: Resident) -> str:
    if resident.preferred_channel:
        return resident.preferred_channel
    for channel in FALLBACK_CHANNELS:
        if _reachable(resident, channel):
            return channel
    return ContactChannel.LETTER


def _reachable(resident: Resident, channel: str) -> bool:
    if channel == ContactChannel.EMAIL:
        return bool(resident.email)
    if channel in (ContactChannel.SMS, ContactChannel.PHONE):
        return bool(resident.phone)
    if channel == ContactChannel.LETTER:
        return bool(resident.street and resident.city)
    return False


def _due_keys(loan: Loan, *, today: datetime.date, days_before: int) -> tuple[str, int] | None:
    """(kind, number) of the reminder ``loan`` should have today, or None."""
    if loan.due_on is None:
        return None
    if loan.due_on - datetime.timedelta(days=days_before) <= today <= loan.due_on:
        return ReminderKind.BEFORE_DUE, 0
    if today > loan.due_on:
        # The day after the due date, then once a week: number 0, 1, 2 …
        return ReminderKind.OVERDUE, ((today - loan.due_on).days - 1) // OVERDUE_INTERVAL_DAYS
    return None


def reminders_create_due(*, today: datetime.date | None = None, network_id: int | None = None) -> int:
    """Create the reminders due ``today`` for active loans; returns how many were new."""
    today = today or timezone.localdate()
    loans = Loan.objects.filter(status=LoanStatus.ACTIVE, kind=LoanKind.LOAN, due_on__isnull=False)
    if network_id is not None:
        loans = loans.in_network(network_id)
    created = 0
    for net_id in sorted(set(loans.values_list("network_id", flat=True))):
        settings = lending_settings_for(net_id)
        horizon = today + datetime.timedelta(days=settings.reminder_days_before)
        candidates = (
            loans.in_network(net_id).filter(due_on__lte=horizon).select_related("resident").order_by("pk")
        )
        for loan in candidates:
            keys = _due_keys(loan, today=today, days_before=settings.reminder_days_before)
            if keys is None:
                continue
            kind, number = keys
            _reminder, new = Reminder.objects.get_or_create(
                network_id=net_id,
                loan=loan,
                kind=kind,
                due_date=loan.due_on,
                number=number,
                defaults={"channel": channel_for(loan.resident)},
            )
            created += new
    return created


def reminder_claim(reminder_id: int) -> bool:
    """Take a pending reminder for sending. True for exactly one caller, however many try."""
    return (
        Reminder.objects.filter(pk=reminder_id, status=ReminderStatus.PENDING).update(
            status=ReminderStatus.SENDING
        )
        == 1
    )


def _finish(reminder_id: int, status: str, error: str = "") -> None:
    Reminder.objects.filter(pk=reminder_id, status=ReminderStatus.SENDING).update(
        status=status, sent_at=timezone.now(), error=error[:300]
    )


def reminder_context(reminder: Reminder) -> dict:
    loan = reminder.loan
    return {
        "reminder": reminder,
        "loan": loan,
        "resident": loan.resident,
        "device": loan.device,
        "network": reminder.network,
        "overdue": reminder.kind == ReminderKind.OVERDUE,
    }


def render_reminder(reminder: Reminder, template: str) -> str:
    """One message of a reminder, in the resident's language (as the loan agreement)."""
    with translation.override(reminder.loan.language or selectors.DEFAULT_LANGUAGE):
        return render_to_string(template, reminder_context(reminder)).strip()


def _deliver(reminder: Reminder) -> tuple[str, str]:
    """Send one claimed reminder; (status, error)."""
    loan, resident = reminder.loan, reminder.loan.resident
    if loan.status != LoanStatus.ACTIVE or loan.due_on != reminder.due_date:
        return ReminderStatus.SKIPPED, _("The loan was returned or extended in the meantime.")
    if resident.is_erased or resident.do_not_contact:
        return ReminderStatus.SKIPPED, ""
    channel = reminder.channel
    if not _reachable(resident, channel):
        return ReminderStatus.FAILED, _("No %(channel)s details for this resident.") % {
            "channel": ContactChannel(channel).label.lower() if channel in ContactChannel.values else channel
        }
    if channel == ContactChannel.EMAIL:
        subject = " ".join(render_reminder(reminder, "lending/reminder/email_subject.txt").split())
        body = render_reminder(reminder, "lending/reminder/message.txt")
        reply_to = [reminder.network.contact_email] if reminder.network.contact_email else None
        EmailMessage(subject, body, None, [resident.email], reply_to=reply_to).send()
    elif channel == ContactChannel.SMS:
        send_sms(resident.phone, render_reminder(reminder, "lending/reminder/sms.txt"))
    # Phone: the reminder now stands on the call list. Letter: it is a page of today's letters.
    return ReminderStatus.SENT, ""


def _send_claimed(reminder_id: int) -> None:
    reminder = Reminder.objects.select_related("loan__resident", "loan__device", "network").get(
        pk=reminder_id
    )
    try:
        status, error = _deliver(reminder)
    except Exception as exc:  # a gateway or mail server error: record it, go on with the others
        logger.exception("Reminder %s could not be sent", reminder_id)
        status, error = ReminderStatus.FAILED, f"{type(exc).__name__}: {exc}"
    _finish(reminder_id, status, error)


def reminder_send(reminder_id: int) -> bool:
    """Claim and send one reminder. The message goes out only after the claim is committed."""
    with transaction.atomic():
        claimed = reminder_claim(reminder_id)
        if claimed:
            transaction.on_commit(lambda: _send_claimed(reminder_id))
    return claimed


def reminders_send_pending(*, network_id: int | None = None) -> int:
    """Send every pending reminder (each claimed first); returns how many this call claimed."""
    pending = Reminder.objects.filter(status=ReminderStatus.PENDING)
    if network_id is not None:
        pending = pending.in_network(network_id)
    claimed = 0
    for reminder_id in list(pending.order_by("pk").values_list("pk", flat=True)):
        claimed += reminder_send(reminder_id)
    return claimed


def send_due(*, today: datetime.date | None = None, network_id: int | None = None) -> dict:
    """The daily job: create today's reminders, then send what is pending."""
    created = reminders_create_due(today=today, network_id=network_id)
    claimed = reminders_send_pending(network_id=network_id)
    return {"created": created, "claimed": claimed}


@transaction.atomic
def reminder_mark_called(*, reminder: Reminder, actor) -> bool:
    """Someone rang the resident of a phone reminder: it leaves the call list."""
    return bool(
        Reminder.objects.filter(pk=reminder.pk, called_at__isnull=True).update(
            called_at=timezone.now(), called_by=actor
        )
    )
