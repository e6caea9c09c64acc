"""Faults: the worker (``manage.py send_messages``) is killed with SIGKILL in the middle of a send
and started again. Real processes, on the test database (SQLite: a copy in a file; PostgreSQL:
the test database itself).

What the outbox guarantees (digibank/messaging/sending.py, docs/messaging.md):
- nothing is lost: a message claimed by a worker that died is claimed again once the claim is
  stale (``STALE_AFTER``), and sent;
- a message whose sending was recorded is never sent again, and a live claim is never taken
  over (no second send while the first worker may still be sending);
- at least once, not exactly once: a worker killed after the provider accepted a message and
  before the "sent" was committed leaves a claim that is retried, so that one message goes out
  twice. No outbox can close that window without the provider's help (an idempotency key the
  provider honours); the second test shows it and asserts what is guaranteed.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from digibank.messaging.models import MessageStatus, OutboundMessage
from digibank.messaging.sending import STALE_AFTER

from ..factories import NetworkFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(settings.BASE_DIR)
TABLE = OutboundMessage._meta.db_table


class WorkerDatabase:
    """The database the worker subprocess uses, and SQL on it from the test."""

    def __init__(self, tmp_path: Path):
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            # The test database lives in memory: the worker gets a file copy of it.
            self.path = tmp_path / "worker.sqlite3"
            target = sqlite3.connect(self.path)
            connection.connection.backup(target)
            target.close()
            self.url = f"sqlite:///{self.path}"
        else:
            db = connection.settings_dict
            self.path = None
            self.url = (
                f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
            )

    def execute(self, sql: str, params=()) -> list[tuple]:
        if self.path is not None:
            with sqlite3.connect(self.path) as db:
                return db.execute(sql.replace("%s", "?"), params).fetchall()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def messages(self) -> dict[str, tuple[str, int]]:
        rows = self.execute(f'SELECT "to", status, attempts FROM {TABLE} ORDER BY id')
        return {to: (status, attempts) for to, status, attempts in rows}

    def age_claims(self) -> None:
        """The claims of a dead worker become stale: as if STALE_AFTER had passed."""
        seconds = int(STALE_AFTER.total_seconds()) + 60
        if self.path is not None:
            earlier = f"datetime(claimed_at, '-{seconds} seconds')"
        else:
            earlier = f"claimed_at - interval '{seconds} seconds'"
        self.execute(f"UPDATE {TABLE} SET claimed_at = {earlier} WHERE status = 'sending'")


def worker(database: WorkerDatabase, log: Path, **env) -> subprocess.Popen:
    environment = {
        **os.environ,
        "DATABASE_URL": database.url,
        "EMAIL_BACKEND": "tests.messaging.fault_mail.EmailBackend",
        "FAULT_MAIL_LOG": str(log),
        "TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
        **env,
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "send_messages"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_to_end(process: subprocess.Popen) -> None:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err


def kill_when_blocked(process: subprocess.Popen, log: Path) -> None:
    blocked = Path(f"{log}.blocked")
    deadline = time.monotonic() + 120
    while not blocked.exists():
        assert process.poll() is None, process.communicate()[1]
        assert time.monotonic() < deadline, "the worker never reached the blocking send"
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    blocked.unlink()


def sent_lines(log: Path) -> list[str]:
    return log.read_text().split() if log.exists() else []


@pytest.fixture
def three_messages():
    network = NetworkFactory()
    addresses = [f"m{i}@example.org" for i in (1, 2, 3)]
    for to in addresses:
        OutboundMessage.objects.create(
            network=network,
            recipient_kind="resident",
            to=to,
            channel="email",
            template_key="fault/test",
            language="en",
            payload={"subject": "Test", "body": "Hello"},
        )
    return addresses


def test_a_worker_killed_mid_send_loses_nothing_and_sends_nothing_twice(three_messages, tmp_path):
    log = tmp_path / "sent.log"
    database = WorkerDatabase(tmp_path)

    # The first worker sends m1, then hangs on m2 before the provider accepted it: killed.
    kill_when_blocked(worker(database, log, FAULT_MAIL_BLOCK_ON="2"), log)
    assert sent_lines(log) == ["m1@example.org"]
    assert database.messages()["m2@example.org"] == ("sending", 1)

    # Restarted at once: m3 goes out; m2's claim is still live, so it is not taken over yet.
    run_to_end(worker(database, log))
    assert sorted(sent_lines(log)) == ["m1@example.org", "m3@example.org"]
    assert database.messages()["m2@example.org"] == ("sending", 1)

    # Once the claim is stale, the next run retries m2 (attempt 2); nothing else is sent again.
    database.age_claims()
    run_to_end(worker(database, log))
    assert sorted(sent_lines(log)) == ["m1@example.org", "m2@example.org", "m3@example.org"]
    assert database.messages() == {
        "m1@example.org": (MessageStatus.SENT, 1),
        "m2@example.org": (MessageStatus.SENT, 2),
        "m3@example.org": (MessageStatus.SENT, 1),
    }

    # And a further run (even with every claim aged) sends nothing.
    database.age_claims()
    run_to_end(worker(database, log))
    assert len(sent_lines(log)) == 3


def test_a_kill_between_the_providers_accept_and_our_commit_is_the_at_least_once_window(
    three_messages, tmp_path
):
    log = tmp_path / "sent.log"
    database = WorkerDatabase(tmp_path)

    # m2 is accepted by the provider, then the worker dies before it records "sent".
    kill_when_blocked(worker(database, log, FAULT_MAIL_BLOCK_ON="2", FAULT_MAIL_BLOCK_AFTER_ACCEPT="1"), log)
    assert sent_lines(log) == ["m1@example.org", "m2@example.org"]
    assert database.messages()["m2@example.org"] == ("sending", 1)

    database.age_claims()
    run_to_end(worker(database, log))
    # Nothing is lost; only the message in the window goes out a second time, once.
    sent = sent_lines(log)
    assert {to: sent.count(to) for to in three_messages} == {
        "m1@example.org": 1,
        "m2@example.org": 2,
        "m3@example.org": 1,
    }
    assert {status for status, _attempts in database.messages().values()} == {MessageStatus.SENT}
