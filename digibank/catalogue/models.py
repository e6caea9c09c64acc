"""The network's service catalogue: what is on offer, by whom, for whom.

Read by every staff role except volunteers (``service.view``); edited by the coordinator
(``service.manage``). Triage uses it to check a resident's eligibility and to refer.

Shaped after HSDS (Open Referral: organisation → service → location) so the public
directory can publish it. Mapping of ``Service`` to an HSDS 3.0 ``service``:

=====================  ===================================================================
Digibank               HSDS 3.0
=====================  ===================================================================
id                     service.id (a UUID derived from kind, network and row: digibank.public.hsds)
organisation_id        service.organization_id
name                   service.name
description            service.description
criteria_text          service.eligibility_description (the criteria labels appended)
criteria               (not published yet: would be service_attribute with local taxonomy terms)
kind                   (not published yet: would be a service_attribute, ``digibank-service-kind``)
capacity               service_capacity.maximum (unit: people at a time)
has_waiting_list       service.wait_time (a sentence: "works with a waiting list")
requires_consent       service.application_process (a sentence on the consent asked)
is_active              service.status: ``active`` / ``inactive``
is_public              not published: only public, active services are exported
=====================  ===================================================================
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from digibank.networks.scoping import NetworkOwned
from digibank.residents.models import EligibilityKind


# The words of a request for help, shared by whoever takes requests in (the desk, digipunten,
# the public site, partners) and by the catalogue that answers them.
class Need(models.TextChoices):
    DEVICE = "device", _("A computer or tablet")
    INTERNET = "internet", _("Internet at home")
    SKILLS = "skills", _("Learning digital skills")
    ONE_TO_ONE = "one_to_one", _("One-to-one help")
    TASK_HELP = "task_help", _("Help with a task (tax-on-web, itsme, …)")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    WALK_IN = "walk_in", _("Walk-in")
    PARTNER = "partner", _("Partner referral")
    DIGIPUNT = "digipunt", _("Digipunt")
    WEB = "web", _("Public website")


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


# A criterion is met by any referral from a partner, not by a proof the resident shows.
REFERRAL_CRITERION = "referral"


def criterion_choices() -> list[tuple[str, str]]:
    """The eligibility criteria a service can ask: each proof kind, and "referral by a partner"."""
    return [*EligibilityKind.choices, (REFERRAL_CRITERION, _("Referral by a partner"))]


def criterion_label(code: str) -> str:
    return str(dict(criterion_choices()).get(code, code))


class Service(NetworkOwned):
    """A service a partner organisation provides in the network."""

    visible_with = ("service.view",)

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
    # "referral" (any partner referral) — empty means open to everyone. Alternatives: one met
    # criterion is enough (catalogue.selectors.criteria_satisfied).
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

    def criteria_labels(self) -> list[str]:
        """The criteria in the order of the choices, as readable labels (no query)."""
        return [criterion_label(code) for code in self.criteria_codes()]

    def criteria_codes(self) -> list[str]:
        """The stored criteria in a stable order; unknown codes (old data) are kept at the end."""
        stored = [str(code) for code in (self.criteria or [])]
        known = [code for code, _label in criterion_choices() if code in stored]
        return known + [code for code in stored if code not in known]
