"""Real concurrency (PostgreSQL only): two workers sending the outbox at once, after a crash.

Run with ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/test pytest -n 0 tests/messaging``.
"""

import collections
import datetime

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from digibank.messaging import sending
from digibank.messaging.models import MessageStatus, OutboundMessage
from tests.threads import in_threads

from ..factories import NetworkFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="two workers need two real connections and row locks: PostgreSQL only (set DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_two_workers_and_a_crash_mid_send_send_every_message_exactly_once():
    mail.outbox = []
    network = NetworkFactory()
    now = timezone.now()
    # Written directly (not queued), so the immediate task backend does not send them first.
    messages = OutboundMessage.objects.bulk_create(
        OutboundMessage(
            network=network,
            recipient_kind="booker",
            recipient_id=n,
            channel="email",
            to=f"person{n}@example.org",
            template_key="test",
            language="nl",
            payload={"subject": f"Message {n}", "body": "Hello"},
        )
        for n in range(30)
    )
    # A worker claimed the first message a while ago and crashed before it could send it.
    crashed = messages[0]
    OutboundMessage.objects.filter(pk=crashed.pk).update(
        status=MessageStatus.SENDING,
        attempts=1,
        claimed_at=now - sending.STALE_AFTER - datetime.timedelta(minutes=1),
    )
    # A worker claimed the second message just now and is still sending it: nobody takes it over.
    busy = messages[1]
    OutboundMessage.objects.filter(pk=busy.pk).update(
        status=MessageStatus.SENDING, attempts=1, claimed_at=now
    )

    results = in_threads(
        lambda: sending.messages_send_due(now=now),
        lambda: sending.messages_send_due(now=now),
    )

    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(r["claimed"] for r in results) == 29  # every message but the busy one, once
    sent_to = collections.Counter(address for message in mail.outbox for address in message.to)
    assert sent_to == collections.Counter(f"person{n}@example.org" for n in range(30) if n != 1)
    statuses = dict(OutboundMessage.objects.values_list("pk", "status"))
    assert statuses.pop(busy.pk) == MessageStatus.SENDING
    assert set(statuses.values()) == {MessageStatus.SENT}
    assert OutboundMessage.objects.get(pk=crashed.pk).attempts == 2
