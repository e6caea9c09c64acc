"""The retention registry: what is deleted (or blanked) once it has no reason to be kept.

Each app registers its rules from its hooks.py, next to what it holds::

    register_retention(
        name="form_tokens",
        model="public.FormSubmission",
        period_setting="RETENTION_FORM_TOKENS_DAYS",
        rows=lambda cutoff: FormSubmission.objects.filter(created_at__lt=cutoff),
    )

``rows(cutoff)`` returns the rows past their period (``cutoff`` = now minus the period, a
setting in days, see settings.py and the table in docs/privacy.md). By default they are
deleted; a rule that keeps the row for the counts and only blanks what is personal passes
``apply(rows) -> count`` and has ``rows`` select only what still needs blanking, so a second
run finds nothing. ``manage.py retention`` (daily, from cron, or the ``retention_daily``
task) runs every rule; ``--dry-run`` counts the same rows and changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

__all__ = [
    "RetentionResult",
    "RetentionRule",
    "register_retention",
    "retention_rules",
    "retention_run",
]


@dataclass(frozen=True)
class RetentionRule:
    name: str
    # "app_label.ModelName" of the rows the rule removes or blanks.
    model: str
    # The setting that holds the period in days (env-overridable, see settings.py).
    period_setting: str
    rows: Callable[[datetime.datetime], QuerySet]
    # apply(rows) -> how many rows it changed; None: delete them.
    apply: Callable[[QuerySet], int] | None = None

    @property
    def period(self) -> datetime.timedelta:
        days = getattr(settings, self.period_setting, None)
        if not isinstance(days, int) or days < 0:
            raise ImproperlyConfigured(f"Retention rule {self.name}: set {self.period_setting} (days, >= 0).")
        return datetime.timedelta(days=days)


@dataclass(frozen=True)
class RetentionResult:
    name: str
    model: str
    cutoff: datetime.datetime
    count: int


_rules: dict[str, RetentionRule] = {}


def register_retention(
    *,
    name: str,
    model: str,
    period_setting: str,
    rows: Callable[[datetime.datetime], QuerySet],
    apply: Callable[[QuerySet], int] | None = None,
) -> RetentionRule:
    rule = RetentionRule(name=name, model=model, period_setting=period_setting, rows=rows, apply=apply)
    _rules[name] = rule  # by name: a second ready() (tests) replaces, never doubles
    return rule


def retention_rules() -> list[RetentionRule]:
    return sorted(_rules.values(), key=lambda rule: rule.name)


def _delete(rows: QuerySet) -> int:
    _total, per_model = rows.delete()
    return per_model.get(rows.model._meta.label, 0)


def retention_run(*, dry_run: bool = False, now: datetime.datetime | None = None) -> list[RetentionResult]:
    """Apply every rule (each in its own transaction: one failing rule keeps the others' work).

    ``dry_run``: count what would go, change nothing.
    """
    now = now or timezone.now()
    results = []
    for rule in retention_rules():
        cutoff = now - rule.period
        rows = rule.rows(cutoff)
        if dry_run:
            count = rows.count()
        else:
            with transaction.atomic():
                count = (rule.apply or _delete)(rows)
        results.append(RetentionResult(rule.name, rule.model, cutoff, count))
    return results
