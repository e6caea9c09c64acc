"""Appointments in help hours: slots with a capacity, bookings, confirmations and reminders.

A slot row is created the first time someone books it (until then it only exists as a time
computed from its help session). Its ``booked`` counter is raised with a conditional UPDATE
(``booked < capacity``) so two bookings can never take its last place.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from digibank.networks.roles import Role
from digibank.networks.scoping import NetworkOwned, NetworkQuerySet

from .contacts import HELP_LANGUAGES
from .helphours import HelpSession
from .places import Digipunt

# Roles that see every appointment of their network; partner workers only their organisation's.
NETWORK_WIDE_ROLES = frozenset({Role.COORDINATOR, Role.SERVICE_DESK, Role.DIGIPUNT_STAFF})


class Slot(NetworkOwned):
    """One bookable time of a help session, e.g. Tuesday 3 March 14:30, for ``capacity`` residents."""

    visible_with = ("digipunt.view",)

    session = models.ForeignKey(HelpSession, on_delete=models.PROTECT, related_name="slots")
    digipunt = models.ForeignKey(Digipunt, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveSmallIntegerField(_("places"))
    booked = models.PositiveSmallIntegerField(_("places taken"), default=0)

    class Meta:
        verbose_name = _("appointment slot")
        verbose_name_plural = _("appointment slots")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "session", "starts_at"], name="slot_once_per_session_time"
            ),
            # The database's own guarantee that a slot is never overbooked.
            models.CheckConstraint(condition=Q(booked__lte=F("capacity")), name="slot_not_overbooked"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after_start"),
        ]
        indexes = [
            # Slots of the next weeks of a network (free places on the booking page).
            models.Index(fields=["network", "starts_at"], name="slot_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.digipunt} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.booked)


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    ATTENDED = "attended", _("Came")
    NO_SHOW = "no_show", _("Did not come")
    CANCELLED = "cancelled", _("Cancelled")


A = AppointmentStatus
# The lifecycle of an appointment: from -> allowed targets. services.appointment_* read only this.
APPOINTMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    A.BOOKED: frozenset({A.ATTENDED, A.NO_SHOW, A.CANCELLED}),
    # A mistake at the desk can be put right: came <-> did not come.
    A.ATTENDED: frozenset({A.NO_SHOW}),
    A.NO_SHOW: frozenset({A.ATTENDED}),
    A.CANCELLED: frozenset(),
}
# Statuses that hold a place in the slot.
PLACE_HOLDING = frozenset({A.BOOKED, A.ATTENDED, A.NO_SHOW})


class BookingChannel(models.TextChoices):
    DESK = "desk", _("Service desk")
    DIGIPUNT = "digipunt", _("At the digipunt")
    PARTNER = "partner", _("Partner organisation")
    PHONE = "phone", _("Phone")
    WEB = "web", _("Public website")


class AppointmentQuerySet(NetworkQuerySet):
    def narrow_for(self, membership):
        """Desk, coordinator and digipunt staff: the whole network. A partner worker: the
        appointments their organisation booked. Every other role: none."""
        if membership.role in NETWORK_WIDE_ROLES:
            return self
        if membership.role == Role.PARTNER_WORKER and membership.organisation_id:
            return self.filter(booked_by_organisation_id=membership.organisation_id)
        return self.none()

    def place_holding(self):
        return self.filter(status__in=PLACE_HOLDING)


class Appointment(NetworkOwned):
    """A resident's appointment in a help-hour slot.

    Either a registered resident (their contact preferences are used) or, from the public
    site or a phone call, just a name and a phone number or e-mail address.
    """

    visible_with = ("appointment.manage",)

    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="appointments")
    resident = models.ForeignKey(
        "residents.Resident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resident"),
    )
    # Only without a resident: the minimum to confirm and remind.
    name = models.CharField(_("name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=8, choices=HELP_LANGUAGES, default="nl")
    theme = models.ForeignKey(
        "digipunten.HelpTheme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("theme"),
    )
    notes = models.CharField(_("what the resident needs help with"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    channel = models.CharField(_("booked through"), max_length=10, choices=BookingChannel.choices)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    booked_by_organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("booked by organisation"),
    )
    booked_at = models.DateTimeField(_("booked at"))
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["slot__starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in AppointmentStatus]), name="appointment_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(resident__isnull=False) | ~Q(name=""), name="appointment_has_someone"
            ),
            # One resident, one place per slot (cancelling frees it for a new booking).
            models.UniqueConstraint(
                fields=["network", "slot", "resident"],
                condition=Q(resident__isnull=False) & ~Q(status="cancelled"),
                name="appointment_resident_once_per_slot",
            ),
        ]
        indexes = [
            models.Index(fields=["network", "status"], name="appointment_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.slot} · {self.who}"

    @property
    def who(self) -> str:
        return self.resident.full_name if self.resident_id else self.name


class MessageKind(models.TextChoices):
    CONFIRMATION = "confirmation", _("Confirmation")
    REMINDER = "reminder", _("Reminder")
