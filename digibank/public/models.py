"""The public site's own data: texts the coordinators write, what residents send through the
site (volunteer applications, donation offers) and the small bookkeeping that keeps the
forms honest (one record per submitted form, a rate limit per address, references).

Help requests and help-hour bookings are not stored here: they become a referrals.Request and
a digipunten.Appointment through those capabilities' services; a ``FormSubmission`` row
remembers which one a submitted form created, so a second click shows the same thank-you page.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from digibank.networks.scoping import NetworkOwned

# --- texts ------------------------------------------------------------------------------------


class TextKey(models.TextChoices):
    WELCOME = "welcome", _("Welcome")
    CONTACT = "contact", _("Contact")
    PRIVACY = "privacy", _("Privacy notice")


class PublicText(NetworkOwned):
    """A text of the public site in one language, written by the coordinator.

    Missing in the visitor's language: the network's text in the default language, then the
    built-in text (selectors.public_text).
    """

    visible_with = ("public.manage",)

    key = models.CharField(_("text"), max_length=20, choices=TextKey.choices)
    # One of settings.LANGUAGES (checked by services.public_text_save; no choices here, so that
    # adding a language to the site needs no migration).
    language = models.CharField(_("language"), max_length=8)
    text = models.TextField(_("text"))
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("public text")
        verbose_name_plural = _("public texts")
        ordering = ["key", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "key", "language"], name="publictext_once_per_language"
            ),
            models.CheckConstraint(
                condition=Q(key__in=[k.value for k in TextKey]), name="publictext_key_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_key_display()} ({self.language})"


# --- volunteer applications -----------------------------------------------------------------------


class VolunteerRole(models.TextChoices):
    DIGIBUDDY = "digibuddy", _("Digibuddy: help one person for a few weeks")
    DIGIHELPER = "digihelper", _("Digihelper: help people at a digipunt")
    PC_DOCTOR = "pc_doctor", _("PC doctor: repair and clean computers")


class Availability(models.TextChoices):
    WEEKDAY_MORNING = "weekday_morning", _("Weekdays, morning")
    WEEKDAY_AFTERNOON = "weekday_afternoon", _("Weekdays, afternoon")
    WEEKDAY_EVENING = "weekday_evening", _("Weekdays, evening")
    WEEKEND = "weekend", _("Weekend")


class ApplicationStatus(models.TextChoices):
    NEW = "new", _("New")
    CONTACTED = "contacted", _("Contacted")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


AS = ApplicationStatus
# from -> allowed targets; services.application_set_status reads only this.
APPLICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    AS.NEW: frozenset({AS.CONTACTED, AS.ACCEPTED, AS.DECLINED}),
    AS.CONTACTED: frozenset({AS.ACCEPTED, AS.DECLINED}),
    # A decision can be reopened (a mistake, or the person writes again).
    AS.ACCEPTED: frozenset({AS.CONTACTED}),
    AS.DECLINED: frozenset({AS.CONTACTED}),
}


class VolunteerApplication(NetworkOwned):
    """Someone offers to volunteer through the public site. Coordinators and the service desk
    follow it up in the inbox; a later volunteers capability takes the accepted ones over.

    ``district_ids`` holds ids of networks.District (JSON: no join table without a network key).
    """

    # What residents send through the site holds personal data: only the inbox roles see it.
    visible_with = ("public.inbox",)

    reference = models.CharField(_("reference"), max_length=20)
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    district_ids = models.JSONField(_("districts"), default=list, blank=True)
    availability = models.JSONField(_("availability"), default=list, blank=True)
    roles = models.JSONField(_("roles"), default=list)
    motivation = models.TextField(_("motivation"), blank=True)
    site_language = models.CharField(_("language of the site"), max_length=8, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.NEW
    )
    staff_notes = models.TextField(_("notes of the team"), blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("volunteer application")
        verbose_name_plural = _("volunteer applications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["network", "reference"], name="volunteerapplication_reference"),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in ApplicationStatus]),
                name="volunteerapplication_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(phone=""), name="volunteerapplication_contact"
            ),
        ]
        indexes = [
            # The inbox: the network's applications by status, newest first.
            models.Index(fields=["network", "status", "created_at"], name="volunteerapp_inbox_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}"

    def role_labels(self) -> list[str]:
        return [str(VolunteerRole(r).label) for r in self.roles if r in VolunteerRole.values]

    def availability_labels(self) -> list[str]:
        return [str(Availability(a).label) for a in self.availability if a in Availability.values]


# --- donation offers ------------------------------------------------------------------------------


class OfferDonorKind(models.TextChoices):
    ORGANISATION = "organisation", _("A company or organisation")
    PERSON = "person", _("A private person")


class DeviceKind(models.TextChoices):
    LAPTOP = "laptop", _("Laptop")
    DESKTOP = "desktop", _("Desktop computer")
    TABLET = "tablet", _("Tablet")
    SMARTPHONE = "smartphone", _("Smartphone")
    SCREEN = "screen", _("Screen")
    OTHER = "other", _("Something else")


class Handover(models.TextChoices):
    PICKUP = "pickup", _("Please pick them up")
    DROP_OFF = "drop_off", _("I will bring them")


class OfferStatus(models.TextChoices):
    NEW = "new", _("New")
    CONTACTED = "contacted", _("Contacted")
    PLANNED = "planned", _("Pick-up or drop-off planned")
    RECEIVED = "received", _("Received")
    DECLINED = "declined", _("Declined")


OS = OfferStatus
# from -> allowed targets. "received" only through services.offer_receive (donor + batch).
OFFER_TRANSITIONS: dict[str, frozenset[str]] = {
    OS.NEW: frozenset({OS.CONTACTED, OS.PLANNED, OS.DECLINED, OS.RECEIVED}),
    OS.CONTACTED: frozenset({OS.PLANNED, OS.DECLINED, OS.RECEIVED}),
    OS.PLANNED: frozenset({OS.CONTACTED, OS.DECLINED, OS.RECEIVED}),
    OS.RECEIVED: frozenset(),
    OS.DECLINED: frozenset({OS.CONTACTED}),
}


class DonationOffer(NetworkOwned):
    """A company or a person offers devices through the public site; the service desk arranges
    the pick-up or drop-off and, once the devices are in, turns it into a donor and a batch
    (donations capability)."""

    visible_with = ("public.inbox",)

    reference = models.CharField(_("reference"), max_length=20)
    donor_kind = models.CharField(_("who gives"), max_length=20, choices=OfferDonorKind.choices)
    organisation_name = models.CharField(_("company or organisation"), max_length=200, blank=True)
    name = models.CharField(_("contact name"), max_length=150)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    device_count = models.PositiveIntegerField(_("number of devices"))
    device_kinds = models.JSONField(_("kinds of devices"), default=list)
    handover = models.CharField(_("pick-up or drop-off"), max_length=10, choices=Handover.choices)
    postcode = models.CharField(_("postcode"), max_length=4, blank=True)
    message = models.TextField(_("message"), blank=True)
    site_language = models.CharField(_("language of the site"), max_length=8, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=OfferStatus.choices, default=OfferStatus.NEW
    )
    staff_notes = models.TextField(_("notes of the team"), blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    donor = models.ForeignKey(
        "devices.Donor", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    batch = models.ForeignKey(
        "devices.DonationBatch", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("donation offer")
        verbose_name_plural = _("donation offers")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["network", "reference"], name="donationoffer_reference"),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in OfferStatus]), name="donationoffer_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(donor_kind__in=[k.value for k in OfferDonorKind]), name="donationoffer_kind_valid"
            ),
            models.CheckConstraint(condition=Q(device_count__gte=1), name="donationoffer_at_least_one"),
            models.CheckConstraint(condition=~Q(email="") | ~Q(phone=""), name="donationoffer_contact"),
            # Data minimisation: a private person is a name and a way to reach them.
            models.CheckConstraint(
                condition=~Q(donor_kind="person") | Q(organisation_name=""),
                name="donationoffer_person_minimal",
            ),
        ]
        indexes = [
            # The inbox: the network's offers by status, newest first.
            models.Index(fields=["network", "status", "created_at"], name="donationoffer_inbox_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.organisation_name or self.name}"

    def device_kind_labels(self) -> list[str]:
        return [str(DeviceKind(k).label) for k in self.device_kinds if k in DeviceKind.values]


# --- bookkeeping of the forms ---------------------------------------------------------------------


class FormKind(models.TextChoices):
    HELP = "help", _("Request for help")
    VOLUNTEER = "volunteer", _("Volunteer application")
    DONATION = "donation", _("Donation offer")
    BOOKING = "booking", _("Help-hour booking")


class FormSubmission(NetworkOwned):
    """One submitted public form: its one-time token and what it created.

    The token is a hidden field of the form; the unique constraint makes a second POST of the
    same form (a double click, a reload) find this row instead of creating a second record.
    """

    visible_with = ()  # internal: never shown through visible_to

    token = models.UUIDField(_("form token"))
    kind = models.CharField(_("form"), max_length=12, choices=FormKind.choices)
    reference = models.CharField(_("reference"), max_length=20, blank=True)
    object_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")
        constraints = [
            models.UniqueConstraint(fields=["network", "token"], name="formsubmission_token_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.reference}"


class RateCounter(NetworkOwned):
    """How many forms one address sent to one network's site in one minute (ratelimit.py).

    ``ip_hash`` is a keyed hash of the address, never the address itself.
    """

    visible_with = ()  # internal: never shown through visible_to

    ip_hash = models.CharField(max_length=64)
    minute = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["network", "ip_hash", "minute"], name="ratecounter_once_per_minute"
            ),
        ]
        indexes = [
            # Clearing old minutes.
            models.Index(fields=["network", "minute"], name="ratecounter_minute_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.minute:%H:%M} {self.count}"


class ReferenceSequence(NetworkOwned):
    """The last number handed out per network, prefix and year: V2026-00001, G2026-00001 …"""

    visible_with = ()  # internal: never shown through visible_to

    prefix = models.CharField(max_length=4)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "prefix", "year"], name="referencesequence_once"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}{self.year}: {self.last}"
