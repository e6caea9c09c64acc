"""Background jobs of the lending desk (django.tasks; the worker is ``manage.py db_worker``).

Thin on purpose: they take plain JSON arguments and call a service. Both are idempotent, so
a retry, a second worker or a second run the same day changes nothing. ``manage.py
lending_daily`` enqueues both; run it once a day from cron.
"""

from __future__ import annotations

import datetime

from django.tasks import task

from . import reminders, services


@task
def send_due_reminders(network_id: int | None = None, today: str | None = None) -> dict:
    """Create today's reminders (before the due date, overdue) and send them, each exactly once.

    ``today``: an ISO date (tests, catching up); default the local date.
    """
    day = datetime.date.fromisoformat(today) if isinstance(today, str) else today
    return reminders.send_due(today=day, network_id=network_id)


@task
def expire_offers(network_id: int | None = None) -> dict:
    """Expire open offers past their time; each device is offered to the next resident in line."""
    return services.offers_expire_due(network_id=network_id)
