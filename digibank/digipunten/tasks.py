"""Background jobs of the digipunten (django.tasks; the worker is ``manage.py db_worker``).

Thin on purpose: plain JSON arguments, then a call into messages.py. The messages themselves
are sent by the outbox (digibank.messaging), each claimed so it never goes out twice.
``manage.py appointment_reminders`` enqueues the reminder job; run it every hour from cron.
"""

from __future__ import annotations

import datetime

from django.tasks import task

from . import messages


@task
def send_appointment_reminders(network_id: int | None = None, now: str | None = None) -> dict:
    """Queue the reminders that are due. ``now``: ISO datetime (tests)."""
    moment = datetime.datetime.fromisoformat(now) if isinstance(now, str) else None
    return messages.send_due(now=moment, network_id=network_id)
