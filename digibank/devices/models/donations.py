"""Donations: who gave devices, in which batch. Companies get a receipt and a data-wipe certificate.

Read by the service desk and coordinators (``device.view``); written by those who may
register devices (``device.manage``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from digibank.networks.scoping import NetworkOwned


class DonorKind(models.TextChoices):
    ORGANISATION = "organisation", _("Company or organisation")
    PERSON = "person", _("Private person")


class Donor(NetworkOwned):
    """A company, organisation or private person who donates devices.

    For a private person we keep only a name and one way to reach them (data minimisation):
    the services refuse a VAT number, contact person or address for them.
    """

    # Seen by those who see devices, never by other roles: a private donor's name is personal data.
    visible_with = ("device.view",)

    kind = models.CharField(_("kind"), max_length=20, choices=DonorKind.choices)
    name = models.CharField(_("name"), max_length=200)
    # Normalised "BE0123456789" (stdnum.be.vat); shown as "BE 0123.456.789".
    vat_number = models.CharField(_("VAT / enterprise number"), max_length=20, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=250, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("donor")
        verbose_name_plural = _("donors")
        ordering = ["name", "pk"]
        indexes = [
            # The import matches donors by name within a network.
            models.Index(fields=["network", "name"], name="donor_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=[k.value for k in DonorKind]), name="donor_kind_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=DonorKind.PERSON)
                | models.Q(vat_number="", contact_name="", address=""),
                name="donor_person_minimal",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_person(self) -> bool:
        return self.kind == DonorKind.PERSON

    @property
    def vat_display(self) -> str:
        """ "BE0403170701" -> "BE 0403.170.701", the way Belgians write it."""
        number = self.vat_number
        if len(number) == 12 and number.startswith("BE"):
            digits = number[2:]
            return f"BE {digits[:4]}.{digits[4:7]}.{digits[7:]}"
        return number


class DonationBatch(NetworkOwned):
    """One delivery of devices by a donor; its devices get a wipe certificate together."""

    visible_with = ("device.view",)

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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
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


class ImportKind(models.TextChoices):
    DEVICES = "devices", _("Devices")
    DONATIONS = "donations", _("Donations (donor and batch)")


class ImportRun(NetworkOwned):
    """A bulk import that succeeded: who imported which file when, and how many rows.

    The file's SHA-256 is unique per network and kind, so the same file (a double click on
    "confirm", or last week's file picked again) can never be imported twice. A failed import
    stores nothing, not even this row.
    """

    visible_with = ("device.manage",)

    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    filename = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(max_length=64)
    row_count = models.PositiveIntegerField(_("rows"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("by")
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-imported_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["network", "kind", "sha256"], name="importrun_file_once"),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_kind_display()})"


class ImportColumnMapping(NetworkOwned):
    """What a column of a network's own spreadsheets holds, chosen once in the import's mapping step.

    A header the synonym table does not know ("kleur", "inventarisnr. oud") is mapped by a
    desk worker to a target field, or to nothing (``field`` empty: ignore the column), so the
    next file with the same headers imports without asking. Keyed by the header as the import
    compares it (case, accents and punctuation ignored). Read and written by ``device.manage``.
    """

    visible_with = ("device.manage",)

    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    header_key = models.CharField(_("column name"), max_length=200)
    field = models.CharField(_("holds"), max_length=40, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("import column mapping")
        verbose_name_plural = _("import column mappings")
        ordering = ["kind", "header_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "kind", "header_key"], name="importcolumnmapping_one_per_header"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.header_key} → {self.field or '–'}"
