"""Partner organisations of a network and their contact people."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from digibank.networks.scoping import NetworkOwned


class OrganisationType(models.TextChoices):
    CITY_SERVICE = "city_service", _("City service")
    SOCIAL_WELFARE = "social_welfare", _("Social welfare (OCMW)")
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood work")
    EDUCATION = "education", _("Education")
    LIBRARY = "library", _("Library")
    UNION = "union", _("Union")
    EMPLOYMENT = "employment", _("Employment service")
    COMPANY = "company", _("Company")
    OTHER = "other", _("Other")


class Organisation(NetworkOwned):
    """A partner in the network (city service, OCMW, library, union …). Read by everyone on staff."""

    visible_with = ("organisation.view",)

    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=30, choices=OrganisationType.choices)
    description = models.TextField(_("description"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active partner"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="organisation_unique_name_per_network"),
            models.CheckConstraint(
                condition=models.Q(type__in=[t.value for t in OrganisationType]),
                name="organisation_type_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ContactPerson(NetworkOwned):
    """Someone to call at a partner organisation."""

    visible_with = ("organisation.view",)

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200)
    function = models.CharField(_("function"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
