"""The daily retention job (django.tasks; the worker is ``manage.py db_worker``).

Thin on purpose: the rules live in the retention registry (retention.py); running it twice a
day deletes nothing twice.
"""

from __future__ import annotations

import datetime

from django.tasks import task

from .retention import retention_run


@task
def retention_daily(now: str | None = None) -> dict:
    """Delete (or blank) what is past its retention period. ``now``: ISO datetime (tests)."""
    moment = datetime.datetime.fromisoformat(now) if isinstance(now, str) else None
    return {result.name: result.count for result in retention_run(now=moment)}
