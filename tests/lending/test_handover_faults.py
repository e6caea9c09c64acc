"""Faults: the database connection drops in the middle of a hand-over (SQLite and PostgreSQL).

The loan row is written, then the connection goes before the device changes status. The
request must fail cleanly (the 500 page, no traceback or SQL), leave nothing half-written (no
loan without its device status, no agreement number used, no timeline entry), and the same
hand-over must succeed when tried again.
"""

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from digibank.devices.lifecycle import DeviceStatus
from digibank.lending import services
from digibank.lending.models import Loan, LoanNumberSequence
from digibank.residents.models import TimelineEntry

from ..factories import ResidentFactory
from .helpers import make_eligible, ready_device
from .test_handover import handover_data

# Real transactions: the hand-over's own atomic block is the outermost one and really rolls back.
pytestmark = pytest.mark.django_db(transaction=True)


def dropping_the_connection(real):
    """``real``, run after the connection to the database is lost."""

    def step(*args, **kwargs):
        if connection.vendor == "postgresql":
            # The server is gone: the socket closes under Django's feet, the next statement fails.
            connection.connection.close()
            return real(*args, **kwargs)
        # An in-memory SQLite test database cannot be closed without losing it: the error the
        # next statement would raise.
        raise OperationalError("disk I/O error")

    return step


def test_a_connection_lost_during_a_hand_over_fails_cleanly_writes_nothing_and_a_retry_works(
    world, monkeypatch
):
    resident = ResidentFactory(
        network=world.leuven, first_name="Noor", last_name="Nijs", street="Kerkstraat 1"
    )
    make_eligible(resident)
    device = ready_device(world.leuven)
    events_before = device.events.count()
    timeline_before = TimelineEntry.objects.filter(resident=resident).count()
    numbers_before = list(LoanNumberSequence.objects.order_by("pk").values_list("pk", "last"))
    client = Client(raise_request_exception=False)
    client.force_login(world.desk)
    url = reverse("lending:handover", kwargs={"pk": resident.pk})

    # The loan row is saved; the device transition that follows meets a dead connection.
    monkeypatch.setattr(services, "device_transition", dropping_the_connection(services.device_transition))
    response = client.post(url, handover_data(device))
    monkeypatch.undo()

    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page
    for leak in ("Traceback", "OperationalError", "disk I/O", "connection", "SELECT", "INSERT"):
        assert leak not in page
    # Nothing half-written.
    assert not Loan.objects.filter(device=device).exists()
    device.refresh_from_db()
    assert device.status == DeviceStatus.READY
    assert device.events.count() == events_before
    assert TimelineEntry.objects.filter(resident=resident).count() == timeline_before
    assert list(LoanNumberSequence.objects.order_by("pk").values_list("pk", "last")) == numbers_before

    # The same hand-over, tried again, goes through.
    response = client.post(url, handover_data(device))
    loan = Loan.objects.get(device=device)
    assert response.status_code == 302
    assert response["Location"] == reverse("lending:loan", kwargs={"pk": loan.pk})
    device.refresh_from_db()
    assert device.status == DeviceStatus.ON_LOAN
    assert device.events.count() == events_before + 1
