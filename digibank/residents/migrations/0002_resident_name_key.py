from django.db import migrations, models

from digibank.lib.text import search_key


def fill_name_keys(apps, schema_editor):
    Resident = apps.get_model("residents", "Resident")
    batch = []
    for resident in Resident.objects.only("pk", "first_name", "last_name").iterator(chunk_size=1000):
        resident.name_key = search_key(f"{resident.first_name} {resident.last_name}")
        batch.append(resident)
        if len(batch) >= 1000:
            Resident.objects.bulk_update(batch, ["name_key"])
            batch = []
    Resident.objects.bulk_update(batch, ["name_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("residents", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="resident",
            name="name_key",
            field=models.CharField(blank=True, editable=False, max_length=201),
        ),
        migrations.RunPython(fill_name_keys, migrations.RunPython.noop),
    ]
