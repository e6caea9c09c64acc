"""The audit trail: who viewed or changed a resident's personal data, when, and from where."""

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
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.PROTECT, related_name="+", verbose_name=_("resident")
    )
    fields = models.JSONField(_("fields"), default=list, blank=True)
    source = models.CharField(_("from"), max_length=300, help_text=_("Page or API call"))

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-pk"]
        indexes = [
            # The two questions the coordinator asks: per resident and per user.
            models.Index(fields=["network", "resident", "at"], name="audit_resident_idx"),
            models.Index(fields=["network", "actor", "at"], name="audit_actor_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=[a.value for a in AuditAction]), name="auditentry_action_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.get_action_display()} {self.resident_id}"
