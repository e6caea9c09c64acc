"""The audit trail: who viewed or changed a person's data, when, and from where.

The person is a *subject* of the privacy registry, a kind and an id ("resident" 12, "booker"
7): people who are not registered residents (a web booker, a volunteer applicant) are audited
too, and the audit app needs no foreign key into the apps that own those records.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from digibank.networks.scoping import NetworkOwned


class AuditAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    EXPORT = "export", _("Exported")
    ERASE = "erase", _("Erased")


class AuditEntry(NetworkOwned):
    """Append-only. Records field names, never the values, so the trail holds no personal data."""

    visible_with = ("audit.view",)

    at = models.DateTimeField(_("when"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("who")
    )
    action = models.CharField(_("action"), max_length=10, choices=AuditAction.choices)
    # privacy.registry kinds ("resident", "booker", "applicant" …); the id is that record's pk.
    subject_kind = models.CharField(_("kind of person"), max_length=20)
    subject_id = models.PositiveBigIntegerField(_("person"))
    fields = models.JSONField(_("fields"), default=list, blank=True)
    source = models.CharField(_("from"), max_length=300, help_text=_("Page or API call"))

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-pk"]
        indexes = [
            # The two questions the coordinator asks: per person and per user.
            models.Index(fields=["network", "subject_kind", "subject_id", "at"], name="audit_subject_idx"),
            models.Index(fields=["network", "actor", "at"], name="audit_actor_idx"),
            # The network's trail page, newest first (ORDER BY -at, -pk LIMIT 50): without it a
            # busy installation scans every entry of the network (issue 12: 346 ms -> 0.2 ms).
            models.Index(fields=["network", "-at", "-id"], name="audit_network_at_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=[a.value for a in AuditAction]), name="auditentry_action_valid"
            ),
            models.CheckConstraint(condition=~models.Q(subject_kind=""), name="auditentry_has_subject_kind"),
        ]

    def __str__(self) -> str:
        subject = f"{self.subject_kind} {self.subject_id}"
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.get_action_display()} {subject}"
