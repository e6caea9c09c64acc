"""Concurrency on PostgreSQL (real row locks and unique constraints across connections): a form
sent twice at the same moment creates one record, and the rate limit counts every request."""

import threading
import uuid

import pytest
from django.db import connection

from digibank.public import ratelimit, services
from digibank.public.models import VolunteerApplication
from tests import factories as f

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def run_together(n, work):
    barrier = threading.Barrier(n)
    results = []

    def attempt(i):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            results.append(work(i))
        except Exception as exc:  # noqa: BLE001 -- reported by the assertions
            results.append(repr(exc))
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_the_same_form_sent_at_the_same_moment_creates_one_application():
    network = f.NetworkFactory(slug="concurrent-site")
    token = uuid.uuid4()
    data = {"name": "Snelle Vinger", "email": "snel@example.org", "roles": ["digihelper"], "consent": True}

    def send(_i):
        submission, created = services.volunteer_apply(
            network=network, token=token, data=data, language="nl", send_messages=False
        )
        return (submission.reference, created)

    results = run_together(6, send)
    assert VolunteerApplication.objects.in_network(network).count() == 1
    references = {r[0] for r in results if isinstance(r, tuple)}
    assert len(references) == 1 and sum(1 for r in results if isinstance(r, tuple) and r[1]) == 1, results


def test_the_rate_limit_counts_every_concurrent_request():
    network = f.NetworkFactory(slug="concurrent-limit")
    now = ratelimit.timezone.now().replace(second=10)
    results = run_together(
        30, lambda _i: ratelimit.rate_hit(network=network, address="198.51.100.7", now=now)
    )
    assert sorted(results, key=str) == [False] * 10 + [True] * 20
