"""Retention rules for Django's own tables, which belong to no app of ours (registered from
PrivacyConfig.ready())."""

from django.contrib.sessions.models import Session
from django_tasks_db.models import DBTaskResult

from .retention import register_retention


def register() -> None:
    register_retention(
        name="expired_sessions",
        model="sessions.Session",
        period_setting="RETENTION_EXPIRED_SESSIONS_DAYS",
        rows=lambda cutoff: Session.objects.filter(expire_date__lt=cutoff),
    )
    # A finished job's arguments and result (ids, counts) serve only to look into a failure.
    register_retention(
        name="task_results",
        model="django_tasks_database.DBTaskResult",
        period_setting="RETENTION_TASK_RESULTS_DAYS",
        rows=lambda cutoff: DBTaskResult.objects.filter(finished_at__lt=cutoff),
    )
