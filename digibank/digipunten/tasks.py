"""Background jobs of the digipunten (django.tasks; the worker is ``manage.py db_worker``).

Thin on purpose: plain JSON arguments, then a call into messages.py, where each message is
claimed with a conditional update so a retry or a second worker never sends it twice.
``manage.py appointment_reminders`` enqueues the reminder job; run it every hour from cron.
"""

from __future__ import annotations

import datetime

from django.tasks import task

from . import messages


@task
def send_appointment_message(message_id: int) -> bool:
    """Send one confirmation or reminder (no-op when it was sent or claimed already)."""
    return messages.message_send(message_id)


@task
def send_appointment_reminders(network_id: int | None = None, now: str | None = None) -> dict:
    """Write the reminders that are due and send every pending message. ``now``: ISO datetime (tests)."""
    moment = datetime.datetime.fromisoformat(now) if isinstance(now, str) else None
    return messages.send_due(now=moment, network_id=network_id)
