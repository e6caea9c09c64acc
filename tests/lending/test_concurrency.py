"""Real concurrency (PostgreSQL only): two colleagues lending one device at the same moment, two
workers sending the same reminders at once.

Run with e.g. ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/digibank pytest tests/lending``.
"""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from digibank.devices.lifecycle import DeviceStatus
from digibank.lending import reminders, services
from digibank.lending.models import Loan, Reminder
from digibank.lending.services import LendingError
from tests.threads import in_threads

from ..factories import ResidentFactory
from .helpers import make_eligible, ready_device

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
    pytest.mark.django_db(transaction=True),
]


def test_two_staff_members_lending_the_same_device_at_the_same_moment_make_exactly_one_loan(world):
    device = ready_device(world.leuven)
    first, second = ResidentFactory(network=world.leuven), ResidentFactory(network=world.leuven)
    make_eligible(first)
    make_eligible(second)
    results = in_threads(
        lambda: services.loan_create(resident=first, device=device, actor=world.desk),
        lambda: services.loan_create(resident=second, device=device, actor=world.coordinator),
    )
    loans = [r for r in results if isinstance(r, Loan)]
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(loans) == 1, results
    assert len(errors) == 1 and isinstance(errors[0], LendingError), results
    assert Loan.objects.filter(device=device).count() == 1
    device.refresh_from_db()
    assert device.status == DeviceStatus.ON_LOAN
    assert device.events.filter(to_status=DeviceStatus.ON_LOAN).count() == 1


def test_hand_overs_of_different_devices_at_once_get_distinct_numbers(world):
    residents = [ResidentFactory(network=world.leuven) for _ in range(4)]
    for resident in residents:
        make_eligible(resident)
    devices = [ready_device(world.leuven) for _ in residents]
    results = in_threads(
        *[
            (lambda r=r, d=d: services.loan_create(resident=r, device=d, actor=world.desk))
            for r, d in zip(residents, devices, strict=True)
        ]
    )
    assert all(isinstance(r, Loan) for r in results), results
    assert len({loan.number for loan in results}) == 4


def test_two_workers_sending_reminders_at_once_send_each_once(world, mailoutbox):
    today = timezone.localdate()
    for days in range(5):
        resident = ResidentFactory(
            network=world.leuven, preferred_channel="email", email=f"r{days}@example.org"
        )
        make_eligible(resident)
        services.loan_create(
            resident=resident,
            device=ready_device(world.leuven),
            actor=None,
            started_on=today - datetime.timedelta(days=100),
            due_on=today + datetime.timedelta(days=days),
        )
    mailoutbox.clear()  # building the world may have sent notifications (transactional test: on commit)
    results = in_threads(lambda: reminders.send_due(today=today), lambda: reminders.send_due(today=today))
    assert all(isinstance(r, dict) for r in results), results
    assert sum(r["created"] for r in results) == 5
    # Sent by the outbox: from the task enqueued on commit or from a send_due, never both.
    assert Reminder.objects.filter(message__status="sent").count() == 5
    assert sorted(m.to[0] for m in mailoutbox) == [f"r{d}@example.org" for d in range(5)]
