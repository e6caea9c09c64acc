# Appointment messages move to the outbox (messaging.OutboundMessage): the history is copied
# with the same idempotency key (appointment:<pk>:<kind>), so nothing is queued twice.

from django.db import migrations

TEMPLATE_KEY = "digipunten/messages"
NOT_SENT = "Not sent before the messages moved to the outbox; contact the person by hand."
NOT_PRINTED = "Letter not printed before the messages moved to the outbox; print it by hand."


def copy_to_outbox(apps, schema_editor):
    AppointmentMessage = apps.get_model("digipunten", "AppointmentMessage")
    OutboundMessage = apps.get_model("messaging", "OutboundMessage")
    for old in AppointmentMessage.objects.select_related("appointment").iterator():
        appointment = old.appointment
        status, error = old.status, old.error
        if status in ("pending", "sending"):
            # Their text was never rendered; a person follows them up.
            status, error = "failed", NOT_SENT
        elif old.channel == "letter" and status == "sent" and old.printed_at is None:
            status, error = "failed", NOT_PRINTED
        new = OutboundMessage.objects.create(
            network_id=old.network_id,
            recipient_kind="resident" if appointment.resident_id else "booker",
            recipient_id=appointment.resident_id or appointment.pk,
            channel=old.channel,
            template_key=TEMPLATE_KEY,
            language=appointment.language or "nl",
            status=status,
            error=error[:300],
            sent_at=old.printed_at or old.sent_at,
            idempotency_key=f"appointment:{appointment.pk}:{old.kind}",
        )
        # created_at is set on insert (auto_now_add): keep the original date.
        OutboundMessage.objects.filter(pk=new.pk).update(created_at=old.created_at)


class Migration(migrations.Migration):
    dependencies = [
        ("digipunten", "0001_initial"),
        ("messaging", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_to_outbox, migrations.RunPython.noop),
        migrations.RemoveIndex(
            model_name="appointmentmessage",
            name="appointmentmessage_status_idx",
        ),
        migrations.RemoveConstraint(
            model_name="appointmentmessage",
            name="appointmentmessage_once",
        ),
        migrations.DeleteModel(
            name="AppointmentMessage",
        ),
    ]
