"""Reminders before the due date and when overdue, delivered through the outbox.

Two steps, both safe to run twice or in two workers at once:

1. ``reminders_create_due`` writes the reminders that are due today, with ``get_or_create``
   on their unique key (loan, kind, due date, number): a second run finds them. Each new
   reminder queues its message in the outbox (digibank.messaging) on the resident's channel,
   rendered in the loan's language, with the idempotency key ``lending.reminder:<pk>``.
2. The outbox sends it: claimed with a conditional update, after commit, retried on errors,
   never twice. ``send_due`` runs the outbox for lending's messages right away.

Channels: e-mail, SMS, phone (a line on the overdue page's call list until someone rang),
letter (waits in the outbox to be printed; the day's letters are also one PDF here).
"Do not contact" -> skipped. A loan returned or extended meanwhile: its reminders' messages
are cancelled (services.loan_extend / loan_return).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from digibank.messaging import sending
from digibank.messaging import services as outbox

from . import selectors
from .models import Loan, LoanKind, LoanStatus, Reminder, ReminderKind
from .services import REMINDER_TEMPLATE, lending_settings_for, reminder_key

OVERDUE_INTERVAL_DAYS = 7


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


def reminder_context(reminder: Reminder, *, day: datetime.date | None = None) -> dict:
    loan = reminder.loan
    return {
        "reminder": reminder,
        "loan": loan,
        "resident": loan.resident,
        "device": loan.device,
        "network": reminder.network,
        "overdue": reminder.kind == ReminderKind.OVERDUE,
        "day": day or timezone.localdate(),
    }


def reminder_queue(reminder: Reminder) -> None:
    """Queue the reminder's message in the outbox (once: the key is the reminder's)."""
    message = outbox.resident_message(
        resident=reminder.loan.resident,
        template_key=REMINDER_TEMPLATE,
        context=reminder_context(reminder),
        language=reminder.loan.language or selectors.DEFAULT_LANGUAGE,
        idempotency_key=reminder_key(reminder),
    )
    Reminder.objects.filter(pk=reminder.pk, message__isnull=True).update(message=message)
    reminder.message = message


def reminders_create_due(*, today: datetime.date | None = None, network_id: int | None = None) -> int:
    """Create the reminders due ``today`` for active loans, queue their messages; returns how many are new."""
    today = today or timezone.localdate()
    loans = Loan.objects.filter(status=LoanStatus.ACTIVE, kind=LoanKind.LOAN, due_on__isnull=False)
    if network_id is not None:
        loans = loans.in_network(network_id)
    created = 0
    for net_id in sorted(set(loans.values_list("network_id", flat=True))):
        settings = lending_settings_for(net_id)
        horizon = today + datetime.timedelta(days=settings.reminder_days_before)
        candidates = (
            loans.in_network(net_id)
            .filter(due_on__lte=horizon)
            .select_related("resident", "device", "network")
            .order_by("pk")
        )
        for loan in candidates:
            keys = _due_keys(loan, today=today, days_before=settings.reminder_days_before)
            if keys is None:
                continue
            kind, number = keys
            with transaction.atomic():
                reminder, new = Reminder.objects.get_or_create(
                    network_id=net_id, loan=loan, kind=kind, due_date=loan.due_on, number=number
                )
                if new or reminder.message_id is None:
                    reminder.loan = loan
                    reminder_queue(reminder)
            created += new
    return created


def reminders_send_pending(*, network_id: int | None = None) -> int:
    """Send lending's due messages from the outbox now; returns how many this call claimed."""
    return sending.messages_send_due(network_id=network_id, template_key=REMINDER_TEMPLATE)["claimed"]


def send_due(*, today: datetime.date | None = None, network_id: int | None = None) -> dict:
    """The daily job: create today's reminders, then send what is pending."""
    created = reminders_create_due(today=today, network_id=network_id)
    claimed = reminders_send_pending(network_id=network_id)
    return {"created": created, "claimed": claimed}


@transaction.atomic
def reminder_mark_called(*, reminder: Reminder, actor) -> bool:
    """Someone rang the resident of a phone reminder: it leaves the call list."""
    called = bool(
        Reminder.objects.filter(pk=reminder.pk, called_at__isnull=True).update(
            called_at=timezone.now(), called_by=actor
        )
    )
    if called and reminder.message is not None:
        outbox.message_mark_called(message=reminder.message)
    return called
