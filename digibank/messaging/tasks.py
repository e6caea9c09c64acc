"""Background jobs of the outbox (django.tasks; the worker is ``manage.py db_worker``).

Thin on purpose: plain JSON arguments, then a call into sending.py, where each message is
claimed with a conditional update so a retry or a second worker never sends it twice.
"""

from __future__ import annotations

import datetime

from django.tasks import task

from . import sending


@task
def send_message(message_id: int) -> bool:
    """Send one queued message (no-op when it was sent or claimed already)."""
    return sending.message_send(message_id)


@task
def send_messages(network_id: int | None = None, now: str | None = None) -> dict:
    """Send every due message, retry stale claims. ``now``: ISO datetime (tests)."""
    moment = datetime.datetime.fromisoformat(now) if isinstance(now, str) else None
    return sending.messages_send_due(now=moment, network_id=network_id)
