"""The network's service catalogue: what is on offer, by whom, for whom.

Shaped after HSDS (organisation → service → location) so the public directory can publish it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from digibank.networks.scoping import NetworkOwned


class ServiceKind(models.TextChoices):
    DEVICE_LOAN = "device_loan", _("Device loan")
    DEVICE_GIFT = "device_gift", _("Device gift")
    INTERNET_TARIFF = "internet_tariff", _("Social internet tariff")
    COURSE = "course", _("Course")
    DIGIBUDDY = "digibuddy", _("Digibuddy (one-to-one coaching)")
    HELP_HOURS = "help_hours", _("Help hours")
    TASK_HELP = "task_help", _("Help with a task")
    REPAIR = "repair", _("Repair")
    OTHER = "other", _("Other")


class Service(NetworkOwned):
    """A service a partner organisation provides in the network."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=ServiceKind.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="services",
        verbose_name=_("provided by"),
    )
    description = models.TextField(_("description"), blank=True)
    # Criteria: eligibility kinds of the residents module ("increased_reimbursement", ...), or
    # "referral" (any partner referral) — empty means open to everyone.
    criteria = models.JSONField(_("eligibility criteria"), default=list, blank=True)
    criteria_text = models.CharField(_("who it is for"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty: no fixed limit")
    )
    has_waiting_list = models.BooleanField(_("works with a waiting list"), default=False)
    requires_consent = models.BooleanField(
        _("a referral needs the resident's consent to share data"), default=True
    )
    is_active = models.BooleanField(_("on offer"), default=True)
    is_public = models.BooleanField(_("shown on the public site"), default=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="service_unique_name_per_network"),
            models.CheckConstraint(
                condition=models.Q(kind__in=[k.value for k in ServiceKind]), name="service_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name
