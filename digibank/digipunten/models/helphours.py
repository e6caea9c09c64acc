"""Help hours (digitaal spreekuur): recurring sessions at a digipunt and who staffs them."""

from __future__ import annotations

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from digibank.networks.roles import Role
from digibank.networks.scoping import NetworkOwned, NetworkQuerySet

from .places import Digipunt, Weekday


class SessionMode(models.TextChoices):
    WALK_IN = "walk_in", _("Walk-in")
    APPOINTMENT = "appointment", _("By appointment")
    BOTH = "both", _("Walk-in and by appointment")


BOOKABLE_MODES = frozenset({SessionMode.APPOINTMENT, SessionMode.BOTH})


class HelpSession(NetworkOwned):
    """A weekly help hour at a digipunt, e.g. "Tuesdays 14:00–16:00, walk-in and by appointment".

    Slots for appointments are cut from it (``slot_minutes`` long, ``capacity_per_slot``
    residents each); ``helpers_needed`` says how many digihelpers should sign up per date.
    A session never crosses midnight.
    """

    visible_with = ("digipunt.view",)

    digipunt = models.ForeignKey(Digipunt, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=150, blank=True, help_text=_("E.g. Digital help hour"))
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    mode = models.CharField(_("how"), max_length=12, choices=SessionMode.choices, default=SessionMode.BOTH)
    slot_minutes = models.PositiveSmallIntegerField(
        _("length of an appointment (minutes)"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
    )
    capacity_per_slot = models.PositiveSmallIntegerField(
        _("residents per appointment slot"), default=1, validators=[MinValueValidator(1)]
    )
    helpers_needed = models.PositiveSmallIntegerField(_("helpers needed"), default=1)
    languages = models.CharField(
        _("languages"),
        max_length=100,
        blank=True,
        help_text=_("Language codes separated by commas, e.g. nl, ar"),
    )
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until (inclusive)"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("help session")
        verbose_name_plural = _("help sessions")
        ordering = ["weekday", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="helpsession_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="helpsession_weekday"),
            models.CheckConstraint(condition=Q(slot_minutes__gte=5), name="helpsession_slot_length"),
            models.CheckConstraint(condition=Q(capacity_per_slot__gte=1), name="helpsession_capacity"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="helpsession_valid_range",
            ),
            models.CheckConstraint(
                condition=Q(mode__in=[m.value for m in SessionMode]), name="helpsession_mode_valid"
            ),
        ]

    def __str__(self) -> str:
        title = self.title or str(_("Help hour"))
        return f"{title} · {self.get_weekday_display()} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    @property
    def is_bookable(self) -> bool:
        return self.mode in BOOKABLE_MODES

    def recurs_on(self, day: datetime.date) -> bool:
        """True when the weekly pattern falls on ``day`` (closures are checked by the selectors)."""
        return (
            day.weekday() == self.weekday
            and self.valid_from <= day
            and (self.valid_to is None or day <= self.valid_to)
        )


class ShiftQuerySet(NetworkQuerySet):
    def narrow_for(self, membership):
        """Coordinators and digipunt staff see who signed up where; a volunteer only their own shifts."""
        if membership.role == Role.VOLUNTEER:
            return self.filter(membership_id=membership.pk)
        return self


class Shift(NetworkOwned):
    """A helper signed up for one date of a help session."""

    visible_with = ("shift.signup",)

    session = models.ForeignKey(HelpSession, on_delete=models.CASCADE, related_name="shifts")
    date = models.DateField(_("date"))
    membership = models.ForeignKey(
        "networks.Membership", on_delete=models.CASCADE, related_name="+", verbose_name=_("helper")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ShiftQuerySet.as_manager()

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["date", "session__starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "session", "date", "membership"], name="shift_once_per_helper"
            ),
        ]
        indexes = [
            # Upcoming shifts of the next weeks (gaps, my shifts).
            models.Index(fields=["network", "date"], name="shift_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.session} {self.date:%Y-%m-%d}"
