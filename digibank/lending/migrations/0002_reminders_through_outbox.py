# Reminders are delivered through the outbox (messaging.OutboundMessage): each existing
# reminder gets a message row with its channel, status and dates (key lending.reminder:<pk>).

import django.db.models.deletion
from django.db import migrations, models

NOT_SENT = "Not sent before reminders moved to the outbox."
STATUSES = {
    "pending": "failed",
    "sending": "failed",
    "sent": "sent",
    "failed": "failed",
    "skipped": "skipped",
}
CHANNELS = {"email", "sms", "letter", "phone"}


def copy_to_outbox(apps, schema_editor):
    Reminder = apps.get_model("lending", "Reminder")
    OutboundMessage = apps.get_model("messaging", "OutboundMessage")
    for reminder in Reminder.objects.select_related("loan").iterator():
        status = STATUSES.get(reminder.status, "failed")
        error = NOT_SENT if reminder.status in ("pending", "sending") else reminder.error
        channel = reminder.channel if reminder.channel in CHANNELS else "letter"
        if channel == "phone" and status == "sent" and reminder.called_at is None:
            status = "to_call"  # still on the call list
        message = OutboundMessage.objects.create(
            network_id=reminder.network_id,
            recipient_kind="resident",
            recipient_id=reminder.loan.resident_id,
            channel=channel,
            template_key="lending/reminder",
            language=reminder.loan.language or "nl",
            status=status,
            error=(error or "")[:300],
            sent_at=reminder.sent_at,
            idempotency_key=f"lending.reminder:{reminder.pk}",
        )
        OutboundMessage.objects.filter(pk=message.pk).update(created_at=reminder.created_at)
        Reminder.objects.filter(pk=reminder.pk).update(message=message)


class Migration(migrations.Migration):
    dependencies = [
        ("lending", "0001_initial"),
        ("messaging", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="reminder",
            name="reminder_status_idx",
        ),
        migrations.AddField(
            model_name="reminder",
            name="message",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="messaging.outboundmessage",
            ),
        ),
        migrations.RunPython(copy_to_outbox, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="reminder",
            name="channel",
        ),
        migrations.RemoveField(
            model_name="reminder",
            name="error",
        ),
        migrations.RemoveField(
            model_name="reminder",
            name="sent_at",
        ),
        migrations.RemoveField(
            model_name="reminder",
            name="status",
        ),
    ]
