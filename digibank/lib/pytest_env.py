"""pytest plugin (loaded with -p before Django starts): production-like settings for the test suite.

Set before Django reads its settings, so the suite runs the same on every machine.
"""

import datetime
import os

import pytest
import time_machine

os.environ.setdefault(
    "SECRET_KEY", "test-only-secret-key-not-for-production-5f1e2d3c4b5a69788796a5b4c3d2e1f0"
)
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("TESTING", "1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")
os.environ.setdefault("SMS_BACKEND", "digibank.lib.sms.LocmemSmsBackend")


def _moved_clock():
    """``DIGIBANK_TEST_NOW=2028-02-29T09:00:00+01:00``: the whole session runs at that moment.

    The clock is moved before any test or fixture runs and keeps ticking, so the suite can be
    run on a leap day, at a DST change or on New Year's Eve to find tests that depend on the day.
    """
    value = os.environ.get("DIGIBANK_TEST_NOW", "").strip()
    if not value:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise pytest.UsageError(f"DIGIBANK_TEST_NOW={value!r} is not an ISO datetime") from None
    if moment.utcoffset() is None:
        raise pytest.UsageError(f"DIGIBANK_TEST_NOW={value!r} needs an offset, e.g. +01:00")
    return moment


def pytest_configure(config):
    moment = _moved_clock()
    if moment is not None:
        traveller = time_machine.travel(moment, tick=True)
        traveller.start()
        config.add_cleanup(traveller.stop)


def pytest_report_header(config):
    moment = _moved_clock()
    return f"clock moved to {moment.isoformat()} (DIGIBANK_TEST_NOW)" if moment else None
