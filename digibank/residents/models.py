"""Residents: the people the network serves. Minimal personal data, privacy by design.

Read by the service desk, coordinators, digipunt staff and — only for residents their
organisation registered or was referred — partner workers. Every read and change of a
resident's personal data is written to the audit trail (digibank.audit).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from digibank.audit import shown as audit_shown
from digibank.lib.text import search_key, search_words
from digibank.networks.roles import Role
from digibank.networks.scoping import NetworkOwned, NetworkQuerySet, narrowed_through

postcode_validator = RegexValidator(r"^[1-9][0-9]{3}$", _("A Belgian postcode has four digits, e.g. 3000."))


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Phone")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter")


class LegalBasis(models.TextChoices):
    CONSENT = "consent", _("Consent of the resident")
    PUBLIC_TASK = "public_task", _("Public task (city or OCMW)")
    CONTRACT = "contract", _("Contract (e.g. a loan agreement)")
    LEGITIMATE_INTEREST = "legitimate_interest", _("Legitimate interest")


class EligibilityKind(models.TextChoices):
    INCREASED_REIMBURSEMENT = "increased_reimbursement", _("Increased-reimbursement status")
    LIVING_WAGE = "living_wage", _("Living wage")
    DEBT_MEDIATION = "debt_mediation", _("Debt mediation")
    OTHER = "other", _("Other")


POSTCODE_WORD = re.compile(r"\d{4}")

# What a page may do with an erased resident: read what is left, export it, read its trail.
ERASED_RESIDENT_PERMISSIONS = frozenset({"resident.view", "resident.export", "resident.erase", "audit.view"})


class ResidentQuerySet(NetworkQuerySet):
    def narrow_for(self, membership):
        """Partner workers see only residents linked to their organisation (registered by it
        or referred to/by it, see ResidentAccess). An erased resident stays reachable only for
        whoever may erase (the coordinator: the audit trail, the export); for others it is gone."""
        qs = self if membership.has("resident.erase") else self.filter(erased_at__isnull=True)
        if membership.role == Role.PARTNER_WORKER:
            return qs.filter(
                accesses__organisation_id=membership.organisation_id,
                accesses__network_id=membership.network_id,
            ).distinct()
        return qs

    def not_erased(self):
        return self.filter(erased_at__isnull=True)

    def matching(self, query: str):
        """Residents whose name contains every word of ``query`` (accents and case ignored, any
        order); a word of four digits is a postcode, so "peeters 3010" works too."""
        qs = self
        for word in search_words(query):
            if POSTCODE_WORD.fullmatch(word):
                qs = qs.filter(postcode=word)
            else:
                qs = qs.filter(name_key__contains=word)
        return qs

    def for_action(self, permission: str):
        """An erased resident is kept for the record: it can be read, exported and its trail
        followed, but no page may change it or add to it."""
        return self if permission in ERASED_RESIDENT_PERMISSIONS else self.not_erased()


class Resident(NetworkOwned):
    """A resident the network helps. Holds only what the services need."""

    visible_with = ("resident.view",)

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"))
    district = models.ForeignKey(
        "networks.District", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("district")
    )
    postcode = models.CharField(_("postcode"), max_length=4, blank=True, validators=[postcode_validator])
    languages = models.CharField(
        _("languages"),
        max_length=100,
        blank=True,
        help_text=_("Language codes separated by commas, e.g. nl, ar"),
    )
    preferred_channel = models.CharField(
        _("preferred contact channel"), max_length=10, choices=ContactChannel.choices, blank=True
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    do_not_contact = models.BooleanField(
        _("do not contact"), default=False, help_text=_("The resident does not want to be contacted.")
    )
    # Address: only needed for a loan agreement or letters; leave empty otherwise.
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    city = models.CharField(_("municipality"), max_length=100, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=30, choices=LegalBasis.choices)
    consent_date = models.DateField(_("date of consent"), null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consent recorded by"),
    )
    notes = models.TextField(_("notes"), blank=True)
    registered_by_organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by organisation"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)
    # The name as searched (digibank.lib.text.search_key of first and last name), kept by save().
    name_key = models.CharField(max_length=201, blank=True, editable=False)

    objects = ResidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year__gte=1900, birth_year__lte=2100), name="resident_birth_year_plausible"
            ),
            models.CheckConstraint(
                condition=~Q(legal_basis="consent") | Q(consent_date__isnull=False),
                name="resident_consent_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(preferred_channel="email") | ~Q(email=""),
                name="resident_email_channel_has_email",
            ),
            models.CheckConstraint(
                condition=~Q(preferred_channel__in=["phone", "sms"]) | ~Q(phone=""),
                name="resident_phone_channel_has_phone",
            ),
        ]
        indexes = [
            # Duplicate check and search: same network, name and birth year.
            models.Index(fields=["network", "last_name", "first_name"], name="resident_name_idx"),
            models.Index(fields=["network", "postcode"], name="resident_postcode_idx"),
            # The home page's ten newest residents (core.selectors): ORDER BY -created_at, -pk.
            models.Index(fields=["network", "-created_at", "-id"], name="resident_newest_idx"),
        ]

    @classmethod
    def from_db(cls, db, field_names, values, *args, **kwargs):
        instance = super().from_db(db, field_names, values, *args, **kwargs)
        # Noted for the automatic audit of what a staff page shows (audit.shown). Read from the
        # loaded values only: touching a deferred field here would cost a query per row.
        if audit_shown.active():
            loaded = dict(zip(field_names, values, strict=False))
            watched = {name: loaded[name] for name in audit_shown.WATCHED_ATTRIBUTES if name in loaded}
            audit_shown.resident_loaded(loaded.get("id"), watched)
        return instance

    def __str__(self) -> str:
        return self.full_name

    def refresh_keys(self) -> None:
        """The search key of the name (save() calls it; call it before a bulk_create)."""
        self.name_key = search_key(self.full_name)

    def save(self, *args, **kwargs):
        """Keeps the search key of the name with the name, also on a partial save."""
        self.refresh_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"first_name", "last_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    def language_list(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]


class ResidentAccess(NetworkOwned):
    """Which partner organisation may see a resident, and why.

    Written when an organisation registers a resident; the referrals capability adds a
    row for the referring and the receiving organisation.
    """

    visible_with = ("resident.view",)
    objects = narrowed_through("resident").as_manager()

    class Reason(models.TextChoices):
        REGISTERED = "registered", _("Registered by the organisation")
        REFERRED = "referred", _("Referral")

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="accesses")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["network", "resident", "organisation"], name="residentaccess_unique_per_organisation"
            ),
        ]


class EligibilityProof(NetworkOwned):
    """That a staff member saw proof of a status (never the document itself)."""

    visible_with = ("resident.view",)
    objects = narrowed_through("resident").as_manager()

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="eligibility")
    kind = models.CharField(_("status"), max_length=30, choices=EligibilityKind.choices)
    detail = models.CharField(_("detail"), max_length=200, blank=True, help_text=_("Only for 'other'."))
    seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("proof seen by"),
    )
    seen_on = models.DateField(_("proof seen on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("eligibility proof")
        verbose_name_plural = _("eligibility proofs")
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["network", "resident", "kind"], name="eligibility_one_per_kind"),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class TimelineKind(models.TextChoices):
    """The kinds this app writes. Not the field's choices: later capabilities add their own."""

    REGISTERED = "registered", _("Registered")
    CHANGED = "changed", _("Data changed")
    CONSENT = "consent", _("Consent recorded")
    ELIGIBILITY_ADDED = "eligibility_added", _("Proof seen")
    ELIGIBILITY_REMOVED = "eligibility_removed", _("Proof removed")
    ERASED = "erased", _("Personal data erased")


class TimelineEntry(NetworkOwned):
    """One line on a resident's page: what happened, when, by whom.

    Later capabilities (loans, referrals, help contacts, courses) add their own kinds
    through ``digibank.residents.services.timeline_add``.
    """

    visible_with = ("resident.view",)
    objects = narrowed_through("resident").as_manager()

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="timeline")
    occurred_at = models.DateTimeField(_("when"))
    kind = models.CharField(_("kind"), max_length=40)
    summary = models.CharField(_("what"), max_length=300)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["network", "resident", "occurred_at"], name="timeline_resident_idx")]
