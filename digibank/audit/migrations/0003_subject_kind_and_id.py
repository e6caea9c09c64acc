"""The audit subject becomes a kind and an id (privacy registry) instead of a resident key.

Existing rows were all about residents: they become ("resident", resident_id).
"""

from django.db import migrations, models
from django.db.models import F


def residents_become_subjects(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    AuditEntry.objects.update(subject_kind="resident", subject_id=F("resident_id"))


def subjects_become_residents(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    # Only resident rows can go back; others have no resident to point at.
    AuditEntry.objects.exclude(subject_kind="resident").delete()
    AuditEntry.objects.update(resident_id=F("subject_id"))


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_initial"),
        ("networks", "0001_initial"),
        ("residents", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="subject_kind",
            field=models.CharField(default="resident", max_length=20, verbose_name="kind of person"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditentry",
            name="subject_id",
            field=models.PositiveBigIntegerField(null=True, verbose_name="person"),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="resident",
            field=models.ForeignKey(
                null=True,
                on_delete=models.deletion.PROTECT,
                related_name="+",
                to="residents.resident",
                verbose_name="resident",
            ),
        ),
        migrations.RunPython(residents_become_subjects, subjects_become_residents),
        migrations.RemoveIndex(model_name="auditentry", name="audit_resident_idx"),
        migrations.RemoveField(model_name="auditentry", name="resident"),
        migrations.AlterField(
            model_name="auditentry",
            name="subject_id",
            field=models.PositiveBigIntegerField(verbose_name="person"),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["network", "subject_kind", "subject_id", "at"], name="audit_subject_idx"),
        ),
        migrations.AddConstraint(
            model_name="auditentry",
            constraint=models.CheckConstraint(
                condition=~models.Q(subject_kind=""), name="auditentry_has_subject_kind"
            ),
        ),
    ]
