"""Digipunten (public computer points) and when they are open.

Shaped like Open Referral HSDS 3.0: a digipunt is a ``location`` (managing organisation,
address, coordinates, languages, accessibility), its opening hours are ``schedule`` rows
(weekday, opens_at, closes_at, valid_from/valid_to) and closures are the exceptions.
Read by every role (the directory) and, later, by the public site's "open now".
"""

from __future__ import annotations

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from digibank.networks.scoping import NetworkOwned
from digibank.residents.models import postcode_validator

from ..holidays import Holiday

MIDNIGHT = datetime.time(0, 0)


class Weekday(models.IntegerChoices):
    """Python's numbering (``date.weekday()``): Monday is 0."""

    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class DigipuntKind(models.TextChoices):
    LIBRARY = "library", _("Library")
    SERVICE_CENTRE = "service_centre", _("Service centre")
    NEIGHBOURHOOD_CENTRE = "neighbourhood_centre", _("Neighbourhood centre")
    CITY_OFFICE = "city_office", _("City office")
    OTHER = "other", _("Other")


# Closing at 00:00 means "at midnight, at the end of that day" (24:00); every other period
# must close after it opens. A period across midnight is two rows (see docs/digipunten.md).
PERIOD_ORDER = Q(closes_at__gt=F("opens_at")) | Q(closes_at=MIDNIGHT)


class Digipunt(NetworkOwned):
    """A public computer point: a library, service centre or neighbourhood centre with PCs and help."""

    visible_with = ("digipunt.view",)

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(
        _("kind"), max_length=30, choices=DigipuntKind.choices, default=DigipuntKind.OTHER
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("managing organisation"),
    )
    description = models.TextField(_("description"), blank=True)
    street = models.CharField(_("street and number"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=4, validators=[postcode_validator])
    city = models.CharField(_("municipality"), max_length=100)
    district = models.ForeignKey(
        "networks.District", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("district")
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    languages = models.CharField(
        _("languages spoken"),
        max_length=100,
        blank=True,
        help_text=_("Language codes separated by commas, e.g. nl, fr, ar"),
    )
    # Equipment for visitors.
    computers = models.PositiveSmallIntegerField(_("number of computers"), default=0)
    has_printer = models.BooleanField(_("printer"), default=False)
    has_scanner = models.BooleanField(_("scanner"), default=False)
    has_wifi = models.BooleanField(_("free wifi"), default=False)
    has_headsets = models.BooleanField(_("headsets"), default=False)
    # Accessibility (HSDS ``accessibility``: a few fixed flags and free text).
    step_free = models.BooleanField(_("step-free access"), default=False)
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    adjustable_desk = models.BooleanField(_("height-adjustable desk"), default=False)
    accessible_parking = models.BooleanField(_("accessible parking nearby"), default=False)
    accessibility_notes = models.TextField(_("accessibility: more details"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("digipunt")
        verbose_name_plural = _("digipunten")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="digipunt_unique_name_per_network"),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in DigipuntKind]), name="digipunt_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def language_list(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]

    @property
    def address(self) -> str:
        return f"{self.street}, {self.postcode} {self.city}"

    def equipment(self) -> list[str]:
        """The equipment as words, for lists and the directory."""
        names = ["has_printer", "has_scanner", "has_wifi", "has_headsets"]
        return [str(self._meta.get_field(name).verbose_name) for name in names if getattr(self, name)]

    def accessibility(self) -> list[str]:
        names = ["step_free", "accessible_toilet", "hearing_loop", "adjustable_desk", "accessible_parking"]
        return [str(self._meta.get_field(name).verbose_name) for name in names if getattr(self, name)]


class OpeningPeriod(NetworkOwned):
    """One period a digipunt is open on a weekday (HSDS ``schedule``). Several per day are fine.

    ``valid_from``/``valid_to`` (inclusive) limit it to a season, e.g. summer hours.
    """

    visible_with = ("digipunt.view",)

    digipunt = models.ForeignKey(Digipunt, on_delete=models.CASCADE, related_name="opening_periods")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"), help_text=_("00:00 means midnight at the end of the day."))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["weekday", "opens_at"]
        constraints = [
            models.CheckConstraint(condition=PERIOD_ORDER, name="openingperiod_closes_after_opening"),
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="openingperiod_weekday"),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="openingperiod_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"

    def applies_on(self, day: datetime.date) -> bool:
        return (
            day.weekday() == self.weekday
            and (self.valid_from is None or self.valid_from <= day)
            and (self.valid_to is None or day <= self.valid_to)
        )


class Closure(NetworkOwned):
    """An exception to the regular hours: closed (holiday, works) or special hours, for some days.

    Without a digipunt it applies to every digipunt of the network (public holidays). With
    ``opens_at``/``closes_at`` the digipunt is open only then on those days.
    """

    visible_with = ("digipunt.view",)

    digipunt = models.ForeignKey(
        Digipunt,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="closures",
        verbose_name=_("digipunt"),
        help_text=_("Empty: every digipunt of the network (e.g. a public holiday)."),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until (inclusive)"))
    reason = models.CharField(_("reason"), max_length=200)
    # A public holiday added from the list: named in the reader's language (see ``label``).
    holiday = models.CharField(_("public holiday"), max_length=20, choices=Holiday.choices, blank=True)
    opens_at = models.TimeField(_("special hours: opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("special hours: closes at"), null=True, blank=True)

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="closure_ends_after_start"),
            models.UniqueConstraint(
                fields=["network", "holiday", "starts_on"],
                condition=~Q(holiday="") & Q(digipunt__isnull=True),
                name="closure_one_holiday_per_day",
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True, closes_at__isnull=True)
                | (Q(opens_at__isnull=False, closes_at__isnull=False) & PERIOD_ORDER),
                name="closure_special_hours_complete",
            ),
        ]
        indexes = [
            # "Which exceptions touch these dates?" for the directory and the hours selectors.
            models.Index(fields=["network", "ends_on"], name="closure_ends_idx"),
        ]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        """What the closure is called: a public holiday in the current language, else its reason."""
        return self.get_holiday_display() if self.holiday else self.reason

    @property
    def has_special_hours(self) -> bool:
        return self.opens_at is not None

    def covers(self, day: datetime.date) -> bool:
        return self.starts_on <= day <= self.ends_on
