# The link from a referral to the lending waiting list becomes a generic delivery handle
# (catalogue.ports): the entry's id is kept, without a foreign key into the lending app.

from django.db import migrations, models


def copy_entries(apps, schema_editor):
    Referral = apps.get_model("referrals", "Referral")
    for pk, entry_id in Referral.objects.filter(waiting_entry__isnull=False).values_list("pk", "waiting_entry_id"):
        Referral.objects.filter(pk=pk).update(delivery_handle=entry_id)


def copy_back(apps, schema_editor):
    Referral = apps.get_model("referrals", "Referral")
    for pk, handle in Referral.objects.filter(delivery_handle__isnull=False).values_list("pk", "delivery_handle"):
        Referral.objects.filter(pk=pk).update(waiting_entry_id=handle)


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="delivery_handle",
            field=models.BigIntegerField(blank=True, null=True, verbose_name="delivered as"),
        ),
        migrations.RunPython(copy_entries, copy_back),
        migrations.RemoveField(
            model_name="referral",
            name="waiting_entry",
        ),
    ]
