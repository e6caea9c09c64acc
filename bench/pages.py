"""Benchmark: SQL queries and response time of the main pages on the demo network.

    make bench            (a fresh SQLite database under var/, demo loaded, figures printed)

Prints, per page and role: status, number of SQL queries, median and max time of N requests.
Figures only: nothing here asserts a time (tests assert query counts, never wall-clock).
"""

import io
import os
import statistics
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digibank.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DATABASE_URL", "sqlite:///var/bench.sqlite3")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from digibank.accounts.models import ApiToken, User, hash_token  # noqa: E402
from digibank.networks.models import Network  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
PAGES = [
    ("servicedesk", "/"),
    ("servicedesk", "/residents/"),
    ("servicedesk", "/residents/?page=5"),
    ("servicedesk", "/search/?q=peeters"),
    ("servicedesk", "/devices/"),
    ("servicedesk", "/devices/overview/"),
    ("servicedesk", "/lending/"),
    ("servicedesk", "/lending/waiting/"),
    ("servicedesk", "/requests/triage/"),
    ("servicedesk", "/donations/"),
    ("digipunt", "/digipunten/"),
    ("digipunt", "/digipunten/help/"),
    ("partner.ocmw", "/residents/"),
    ("partner.ocmw", "/requests/outbox/"),
    ("coordinator", "/audit/"),
    ("coordinator", "/organisations/"),
    ("stuurgroep", "/"),
    (None, "/site/leuven-demo/"),
]
API = ["/api/v1/residents/?limit=100", "/api/v1/devices/?limit=100", "/api/v1/lending/loans/?limit=100"]


def measure(client, url, headers=None):
    timings, queries, status = [], 0, None
    for _ in range(RUNS):
        reset_queries()  # the query log is capped; start each request with an empty one
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, headers=headers or {})
            timings.append((time.perf_counter() - started) * 1000)
        queries, status = len(captured.captured_queries), response.status_code
    return status, queries, statistics.median(timings), max(timings)


def main() -> int:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    if not Network.objects.filter(slug="leuven-demo").exists():
        started = time.perf_counter()
        call_command("demo", stdout=io.StringIO())
        print(f"demo loaded in {time.perf_counter() - started:.1f} s")
    print(f"{'who':<14} {'url':<34} {'status':>6} {'queries':>7} {'median ms':>9} {'max ms':>7}")
    for username, url in PAGES:
        client = Client()
        if username:
            client.force_login(User.objects.get(username=username))
        status, queries, median, worst = measure(client, url)
        print(
            f"{username or 'anonymous':<14} {url:<34} {status:>6} {queries:>7} {median:>9.1f} {worst:>7.1f}"
        )
    desk = User.objects.get(username="servicedesk")
    network = Network.objects.get(slug="leuven-demo")
    raw = ApiToken.generate()
    ApiToken.objects.update_or_create(
        network=network, user=desk, name="bench", defaults={"key_hash": hash_token(raw), "prefix": raw[:8]}
    )
    for url in API:
        status, queries, median, worst = measure(Client(), url, {"Authorization": f"Bearer {raw}"})
        print(f"{'api desk':<14} {url:<34} {status:>6} {queries:>7} {median:>9.1f} {worst:>7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
