"""The data migrations that moved lending reminders and appointment messages into the outbox."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from digibank.lending import services
from digibank.lending.models import Reminder

from ..factories import ResidentFactory
from ..lending.helpers import make_eligible, ready_device

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("lending", "0001_initial"), ("digipunten", "0001_initial")]
AFTER = [("lending", "0002_reminders_through_outbox"), ("digipunten", "0002_appointment_messages_to_outbox")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_the_latest_schema():
    """After the test: every app at its latest migration again (later migrations of these apps
    were undone on the way back), so the tests after it find the schema they expect."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_reminders_and_appointment_messages_keep_their_history_in_the_outbox(
    world, back_to_the_latest_schema
):
    resident = ResidentFactory(network=world.leuven, preferred_channel="phone", phone="0470 1")
    make_eligible(resident)
    loan = services.loan_create(resident=resident, device=ready_device(world.leuven), actor=None)
    Reminder.objects.all().delete()  # the old columns come back without a default
    appointment = world.appointment
    try:
        old = migrate(BEFORE)
        OldReminder = old.get_model("lending", "Reminder")
        common = {
            "network_id": loan.network_id,
            "loan_id": loan.pk,
            "kind": "overdue",
            "due_date": loan.due_on,
        }
        phone = OldReminder.objects.create(**common, channel="phone", status="sent", sent_at=timezone.now())
        pending = OldReminder.objects.create(**common, number=1, channel="email", status="pending")
        OldMessage = old.get_model("digipunten", "AppointmentMessage")
        OldMessage.objects.filter(appointment_id=appointment.pk).delete()
        created = timezone.now() - datetime.timedelta(days=3)
        letter = OldMessage.objects.create(
            network_id=appointment.network_id, appointment_id=appointment.pk, kind="confirmation",
            channel="letter", status="sent", sent_at=created,
        )  # fmt: skip
        OldMessage.objects.filter(pk=letter.pk).update(created_at=created)
    finally:
        new = migrate(AFTER)
    Outbound = new.get_model("messaging", "OutboundMessage")
    NewReminder = new.get_model("lending", "Reminder")
    call = Outbound.objects.get(pk=NewReminder.objects.get(pk=phone.pk).message_id)
    assert (call.channel, call.status, call.idempotency_key) == (
        "phone",
        "to_call",
        f"lending.reminder:{phone.pk}",
    )
    assert call.recipient_kind == "resident" and call.recipient_id == resident.pk
    unsent = Outbound.objects.get(pk=NewReminder.objects.get(pk=pending.pk).message_id)
    assert unsent.status == "failed" and "Not sent" in unsent.error
    moved = Outbound.objects.get(idempotency_key=f"appointment:{appointment.pk}:confirmation")
    assert moved.status == "failed" and "not printed" in moved.error  # a letter nobody printed yet
    assert moved.created_at == created
