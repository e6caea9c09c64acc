"""Donations: who gave devices, in which batch. Companies get a receipt and a data-wipe certificate."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from digibank.networks.scoping import NetworkOwned


class DonorKind(models.TextChoices):
    ORGANISATION = "organisation", _("Company or organisation")
    PERSON = "person", _("Private person")


class Donor(NetworkOwned):
    """A company, organisation or private person who donates devices."""

    kind = models.CharField(_("kind"), max_length=20, choices=DonorKind.choices)
    name = models.CharField(_("name"), max_length=200)
    vat_number = models.CharField(_("VAT / enterprise number"), max_length=20, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=250, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("donor")
        verbose_name_plural = _("donors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DonationBatch(NetworkOwned):
    """One delivery of devices by a donor; its devices get a wipe certificate together."""

    reference = models.CharField(_("reference"), max_length=20)
    donor = models.ForeignKey(
        Donor, on_delete=models.PROTECT, related_name="batches", verbose_name=_("donor")
    )
    received_on = models.DateField(_("received on"))
    collection_point = models.ForeignKey(
        "devices.Location",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("collection point"),
    )
    expected_count = models.PositiveIntegerField(_("expected number of devices"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("donation batch")
        verbose_name_plural = _("donation batches")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["network", "reference"], name="donationbatch_unique_reference"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} – {self.donor}"
