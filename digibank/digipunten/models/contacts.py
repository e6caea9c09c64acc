"""The ten-second registration of help contacts, and visitor tallies of the public computers.

A help contact is anonymous by default: theme, minutes, language, outcome, where and by
whom. Linking a resident is optional and only to one the helper may see. Read row by row by
the helpers (a volunteer: only their own) and as aggregates in the figures.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from digibank.networks.roles import Role
from digibank.networks.scoping import NetworkOwned, NetworkQuerySet

from .places import Digipunt

# Languages of help contacts and help hours: the city's own and the most frequent others.
HELP_LANGUAGES = [
    ("nl", _("Dutch")),
    ("fr", _("French")),
    ("en", _("English")),
    ("de", _("German")),
    ("ar", _("Arabic")),
    ("tr", _("Turkish")),
    ("uk", _("Ukrainian")),
    ("ru", _("Russian")),
    ("pl", _("Polish")),
    ("ro", _("Romanian")),
    ("es", _("Spanish")),
    ("it", _("Italian")),
    ("pt", _("Portuguese")),
    ("fa", _("Persian")),
    ("ps", _("Pashto")),
    ("so", _("Somali")),
    ("ti", _("Tigrinya")),
    ("am", _("Amharic")),
    ("bg", _("Bulgarian")),
    ("sq", _("Albanian")),
    ("other", _("Another language")),
]
HELP_LANGUAGE_CODES = frozenset(code for code, _label in HELP_LANGUAGES)

# The themes every network starts with (code -> label). Seeded themes keep an empty name so
# the label follows the interface language; a network renames or adds its own.
DEFAULT_THEMES = {
    "tax": _("Tax-on-web / MyMinfin"),
    "itsme": _("itsme"),
    "banking": _("Banking app"),
    "health": _("Covid and health apps"),
    "school": _("School enrolment"),
    "jobs": _("Job search / VDAB"),
    "forms": _("Government forms"),
    "email": _("E-mail"),
    "smartphone": _("Smartphone basics"),
    "other": _("Other"),
}


class Outcome(models.TextChoices):
    SOLVED = "solved", _("Solved")
    FOLLOW_UP = "follow_up", _("Needs follow-up")
    REFERRED = "referred", _("Referred")


class HelpTheme(NetworkOwned):
    """What a help question was about; the network's own list, shown as big buttons."""

    visible_with = ("digipunt.view",)

    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(
        _("name"),
        max_length=100,
        blank=True,
        help_text=_("Empty for a standard theme: its name is translated."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("help theme")
        verbose_name_plural = _("help themes")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["network", "code"], name="helptheme_unique_code_per_network"),
            models.CheckConstraint(condition=~Q(name="") | ~Q(code=""), name="helptheme_named"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        return str(DEFAULT_THEMES.get(self.code, self.code))


class HelpContactQuerySet(NetworkQuerySet):
    def narrow_for(self, membership):
        """Helpers of the network see its contacts; a volunteer only the ones they registered."""
        if membership.role == Role.VOLUNTEER:
            return self.filter(registered_by_id=membership.user_id)
        return self


class HelpContact(NetworkOwned):
    """One question answered at a digipunt or help hour: registered in ten seconds, anonymous by default."""

    visible_with = ("helpcontact.register",)

    digipunt = models.ForeignKey(Digipunt, on_delete=models.PROTECT, related_name="help_contacts")
    theme = models.ForeignKey(HelpTheme, on_delete=models.PROTECT, related_name="+", verbose_name=_("theme"))
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    language = models.CharField(_("language"), max_length=8, choices=HELP_LANGUAGES, default="nl")
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    occurred_at = models.DateTimeField(_("when"))
    resident = models.ForeignKey(
        "residents.Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resident"),
    )
    request = models.ForeignKey(
        "referrals.Request",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("request"),
        help_text=_("The request this contact was referred with."),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HelpContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("help contact")
        verbose_name_plural = _("help contacts")
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gte=1, minutes__lte=480), name="helpcontact_minutes"),
            models.CheckConstraint(
                condition=Q(outcome__in=[o.value for o in Outcome]), name="helpcontact_outcome_valid"
            ),
        ]
        indexes = [
            # The figures: contacts of a network in a period.
            models.Index(fields=["network", "occurred_at"], name="helpcontact_period_idx"),
            # "The helper's last used digipunt and language", and their own list.
            models.Index(fields=["network", "registered_by", "occurred_at"], name="helpcontact_helper_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.theme} · {self.get_outcome_display()}"


class VisitorTally(NetworkOwned):
    """How many visitors used the public computers of a digipunt on one day (a +1 button)."""

    visible_with = ("helpcontact.register",)

    digipunt = models.ForeignKey(Digipunt, on_delete=models.CASCADE, related_name="tallies")
    date = models.DateField(_("date"))
    count = models.PositiveIntegerField(_("visitors"), default=0)

    class Meta:
        verbose_name = _("visitor tally")
        verbose_name_plural = _("visitor tallies")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["network", "digipunt", "date"], name="visitortally_one_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.digipunt} {self.date:%Y-%m-%d}: {self.count}"
