"""Retention (digibank/privacy/retention.py): with the clock frozen, what is past its period goes,
what is fresh stays, a dry run counts the same rows and changes nothing."""

import datetime
import io
import re
import uuid
from pathlib import Path

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from digibank.audit.models import AuditEntry
from digibank.messaging.models import MessageChannel, MessageStatus, OutboundMessage
from digibank.privacy.retention import retention_rules, retention_run
from digibank.privacy.tasks import retention_daily
from digibank.public.models import (
    ApplicationStatus,
    DonationOffer,
    FormSubmission,
    OfferStatus,
    RateCounter,
    VolunteerApplication,
)
from tests.factories import MembershipInvitationFactory, NetworkFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 15, 12, 0, tzinfo=datetime.UTC)
OLD = NOW - datetime.timedelta(days=6 * 365)  # past every period (the audit trail's is 5 years)
FRESH = NOW - datetime.timedelta(hours=1)  # within every period (the shortest is a day)
RULES = {
    "audit_entries",
    "expired_sessions",
    "form_tokens",
    "login_attempts",
    "login_failures",
    "login_log",
    "membership_invitations",
    "rate_counters",
    "sent_message_texts",
    "task_results",
    "unanswered_donation_offers",
    "unanswered_volunteer_applications",
}


def application(network, n, **fields):
    return VolunteerApplication.objects.create(
        network=network,
        reference=f"V-{n}",
        name=f"Applicant {n}",
        email=f"a{n}@example.org",
        roles=["desk"],
        **fields,
    )


def offer(network, n, **fields):
    return DonationOffer.objects.create(
        network=network,
        reference=f"G-{n}",
        donor_kind="person",
        name=f"Donor {n}",
        email=f"d{n}@example.org",
        device_count=1,
        device_kinds=["laptop"],
        handover="pick_up",
        **fields,
    )


def message(network, n, *, status=MessageStatus.SENT, sent_at=None, **fields):
    return OutboundMessage.objects.create(
        network=network,
        recipient_kind=fields.pop("recipient_kind", "resident"),
        recipient_id=fields.pop("recipient_id", n),
        channel=MessageChannel.EMAIL,
        to=f"r{n}@example.org",
        template_key="test",
        language="en",
        payload={"subject": "Hello", "body": f"Dear resident {n}"},
        status=status,
        sent_at=sent_at,
        **fields,
    )


def login_row(model, n):
    fields = {
        "user_agent": "browser",
        "ip_address": "192.0.2.1",
        "username": f"user{n}",
        "path_info": "/login/",
    }
    if model is AccessAttempt:
        fields.update(http_accept="*/*", get_data="", post_data="", failures_since_start=1)
    if model is AccessFailureLog:
        fields.update(http_accept="*/*")
    if model is AccessLog:
        fields.update(http_accept="*/*")
    return model.objects.create(**fields)


def make_rows(network, at: datetime.datetime, n: int) -> dict:
    """One row for every rule, made at ``at``; plus, old or not, rows no rule may touch."""
    with time_machine.travel(at, tick=False):
        made = {
            "form_tokens": FormSubmission.objects.create(network=network, token=uuid.uuid4(), kind="help"),
            "rate_counters": RateCounter.objects.create(
                network=network, ip_hash=f"{n:064}", minute=at.replace(second=0, microsecond=0), count=3
            ),
            "unanswered_volunteer_applications": application(network, n),
            "unanswered_donation_offers": offer(network, n),
            "audit_entries": AuditEntry.objects.create(
                network=network, action="view", subject_kind="resident", subject_id=n, source="/residents/"
            ),
            "sent_message_texts": message(network, n, sent_at=at),
            "login_attempts": login_row(AccessAttempt, n),
            "login_failures": login_row(AccessFailureLog, n),
            "login_log": login_row(AccessLog, n),
            "expired_sessions": Session.objects.create(
                session_key=f"s{n:031}", session_data="x", expire_date=at + datetime.timedelta(hours=2)
            ),
            "membership_invitations": MembershipInvitationFactory(
                network=network, expires_at=at + datetime.timedelta(days=14)
            ),
            "task_results": DBTaskResult.objects.create(
                args_kwargs={"args": [], "kwargs": {}},
                task_path="digibank.privacy.tasks.retention_daily",
                backend_name="default",
                run_after=at,
                finished_at=at,
                status="SUCCESSFUL",
            ),
        }
        kept = [
            application(network, n + 100, status=ApplicationStatus.CONTACTED),
            offer(network, n + 100, status=OfferStatus.PLANNED),
            message(network, n + 100, status=MessageStatus.QUEUED),
        ]
    return {"made": made, "kept": kept}


@pytest.fixture
def rows():
    network = NetworkFactory()
    return {"old": make_rows(network, OLD, 1), "fresh": make_rows(network, FRESH, 2)}


def table_counts() -> dict[str, int]:
    return {m._meta.label: m._base_manager.count() for m in apps.get_models()}


def test_every_rule_is_registered_with_its_period_in_settings_and_in_the_privacy_doc():
    doc = (Path(settings.BASE_DIR) / "docs" / "privacy.md").read_text()
    assert {rule.name for rule in retention_rules()} == RULES
    for rule in retention_rules():
        assert isinstance(getattr(settings, rule.period_setting), int), rule.period_setting
        assert re.search(rf"\| `{rule.name}` \|.*`{rule.period_setting}`", doc), rule.name


def test_a_dry_run_counts_what_would_go_and_changes_nothing(rows):
    before = table_counts()
    out = io.StringIO()

    with time_machine.travel(NOW, tick=False):
        results = retention_run(dry_run=True)
        call_command("retention", "--dry-run", stdout=out)

    assert {r.name: r.count for r in results} == dict.fromkeys(RULES, 1)
    assert "form_tokens: would delete 1" in out.getvalue()
    assert table_counts() == before
    assert OutboundMessage.objects.get(pk=rows["old"]["made"]["sent_message_texts"].pk).to


def test_old_rows_go_and_fresh_and_answered_ones_stay(rows):
    with time_machine.travel(NOW, tick=False):
        dry = {r.name: r.count for r in retention_run(dry_run=True)}
        done = {r.name: r.count for r in retention_run()}
        again = {r.name: r.count for r in retention_run()}

    assert done == dry == dict.fromkeys(RULES, 1)
    assert again == dict.fromkeys(RULES, 0)
    for name, row in rows["old"]["made"].items():
        remaining = type(row)._base_manager.filter(pk=row.pk)
        if name == "sent_message_texts":  # kept for the counts, without address or text
            kept = remaining.get()
            assert (kept.to, kept.payload, kept.status) == ("", {}, MessageStatus.SENT)
        else:
            assert not remaining.exists(), name
    for row in [*rows["fresh"]["made"].values(), *rows["fresh"]["kept"], *rows["old"]["kept"]]:
        assert type(row)._base_manager.filter(pk=row.pk).exists(), row
    fresh_message = OutboundMessage.objects.get(pk=rows["fresh"]["made"]["sent_message_texts"].pk)
    assert fresh_message.to == "r2@example.org"


def test_a_deleted_application_is_erased_through_the_privacy_registry_first(rows):
    old = rows["old"]["made"]["unanswered_volunteer_applications"]
    with time_machine.travel(OLD, tick=False):
        confirmation = message(
            old.network, 7, status=MessageStatus.QUEUED, recipient_kind="applicant", recipient_id=old.pk
        )

    with time_machine.travel(NOW, tick=False):
        retention_run()

    confirmation.refresh_from_db()
    assert (confirmation.to, confirmation.payload, confirmation.status) == ("", {}, MessageStatus.SKIPPED)


def test_the_daily_task_runs_every_rule(rows):
    result = retention_daily.call(now=NOW.isoformat())

    assert result == dict.fromkeys(RULES, 1)
