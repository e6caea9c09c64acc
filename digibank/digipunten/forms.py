"""Forms of the digipunten capability. Friendly messages here; services.py and the database
check the rules again."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from digibank.catalogue.models import Need
from digibank.lib.forms import Form, ModelForm, add_errors
from digibank.networks.models import District
from digibank.organisations.models import Organisation
from digibank.residents.forms import ResidentForm
from digibank.residents.models import LegalBasis, Resident

from . import services
from .models import (
    HELP_LANGUAGES,
    AppointmentStatus,
    Closure,
    Digipunt,
    HelpSession,
    HelpTheme,
    OpeningPeriod,
    Outcome,
)
from .selectors import MINUTE_CHOICES, digipunt_list, themes_active

LANGUAGE_RE = re.compile(r"^[a-z]{2,3}$")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def clean_language_codes(value: str) -> str:
    codes = [code.strip().lower() for code in re.split(r"[,;\s]+", value or "") if code.strip()]
    wrong = [code for code in codes if not LANGUAGE_RE.match(code)]
    if wrong:
        raise forms.ValidationError(
            _("Use short language codes separated by commas, e.g. nl, fr, ar (not: %(wrong)s).")
            % {"wrong": ", ".join(wrong)}
        )
    return ", ".join(dict.fromkeys(codes))


class DigipuntForm(ModelForm):
    class Meta:
        model = Digipunt
        fields = services.DIGIPUNT_FIELDS
        widgets = {
            "postcode": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 4, "size": 6}),
            "phone": forms.TextInput(attrs={"type": "tel"}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "accessibility_notes": forms.Textarea(attrs={"rows": 3}),
            "latitude": forms.NumberInput(attrs={"step": "0.000001"}),
            "longitude": forms.NumberInput(attrs={"step": "0.000001"}),
        }

    def __init__(self, *args, network_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.in_network(network_id).filter(
            is_active=True
        )
        self.fields["district"].queryset = District.objects.in_network(network_id).order_by("name")

    def clean_languages(self):
        return clean_language_codes(self.cleaned_data["languages"])

    def validate_unique(self):
        """The name rule is the service's (one friendly message); the network is not a form field."""


class OpeningPeriodForm(ModelForm):
    class Meta:
        model = OpeningPeriod
        fields = ["weekday", "opens_at", "closes_at", "valid_from", "valid_to"]
        widgets = {
            "opens_at": TIME_WIDGET,
            "closes_at": TIME_WIDGET,
            "valid_from": DATE_WIDGET,
            "valid_to": DATE_WIDGET,
        }
        help_texts = {
            "closes_at": gettext_lazy(
                "00:00 means midnight. Open past midnight? Add two periods: until 00:00, and from 00:00 "
                "on the next day."
            ),
            "valid_from": gettext_lazy("Optional, e.g. for summer hours."),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "hours")
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        try:
            services.check_period(data.get("opens_at"), data.get("closes_at"))
        except forms.ValidationError as exc:
            add_errors(self, exc)
        return data

    def validate_constraints(self, exclude=None):
        """Checked in clean() with a friendlier message."""


class ClosureForm(ModelForm):
    class Meta:
        model = Closure
        fields = ["starts_on", "ends_on", "reason", "opens_at", "closes_at"]
        widgets = {
            "starts_on": DATE_WIDGET,
            "ends_on": DATE_WIDGET,
            "opens_at": TIME_WIDGET,
            "closes_at": TIME_WIDGET,
        }
        help_texts = {
            "ends_on": gettext_lazy("Empty: only the first day."),
            "opens_at": gettext_lazy("Only when open with special hours on these days; empty: closed."),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "closure")
        super().__init__(*args, **kwargs)
        self.fields["ends_on"].required = False

    def clean(self):
        data = super().clean()
        if not data.get("ends_on") and data.get("starts_on"):
            data["ends_on"] = data["starts_on"]
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The last day cannot be before the first day."))
        if (data.get("opens_at") is None) != (data.get("closes_at") is None):
            self.add_error("closes_at", _("Special hours need both an opening and a closing time."))
        else:
            try:
                services.check_period(data.get("opens_at"), data.get("closes_at"))
            except forms.ValidationError as exc:
                add_errors(self, exc)
        return data

    def validate_constraints(self, exclude=None):
        """Checked in clean() with friendlier messages."""


class HelpSessionForm(ModelForm):
    class Meta:
        model = HelpSession
        fields = services.SESSION_FIELDS
        widgets = {
            "starts_at": TIME_WIDGET,
            "ends_at": TIME_WIDGET,
            "valid_from": DATE_WIDGET,
            "valid_to": DATE_WIDGET,
        }
        help_texts = {
            "valid_to": gettext_lazy("Empty: until further notice."),
            "helpers_needed": gettext_lazy("Digihelpers who should sign up for each date."),
            "slot_minutes": gettext_lazy("Only for appointments."),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "session")
        super().__init__(*args, **kwargs)
        self.fields["valid_from"].required = False
        self.fields["valid_from"].initial = timezone.localdate

    def clean_languages(self):
        return clean_language_codes(self.cleaned_data["languages"])

    def clean(self):
        data = super().clean()
        if not data.get("valid_from") and "valid_from" not in self.errors:
            # Left empty: a running session keeps its start, a new one starts today.
            data["valid_from"] = self.instance.valid_from if self.instance.pk else timezone.localdate()
        try:
            services.check_session(data)
        except forms.ValidationError as exc:
            add_errors(self, exc)
        return data

    def validate_constraints(self, exclude=None):
        """Checked in clean() with friendlier messages."""


class ThemeForm(ModelForm):
    class Meta:
        model = HelpTheme
        fields = ["name", "position", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.instance.name:
            self.fields["name"].widget.attrs["placeholder"] = self.instance.label
        else:
            self.fields["name"].required = True
        if not self.instance.pk:
            del self.fields["is_active"]  # a new theme is in use

    def validate_constraints(self, exclude=None):
        """A new theme's code is made by the service."""


# --- the ten-second registration --------------------------------------------------------------------


class HelpContactForm(Form):
    """One help contact. The theme comes from the button that was tapped; the rest has defaults."""

    theme = forms.ModelChoiceField(label=gettext_lazy("Theme"), queryset=HelpTheme.objects.none())
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=Outcome.choices)
    minutes = forms.TypedChoiceField(
        label=gettext_lazy("Minutes"),
        coerce=int,
        choices=[(m, m) for m in MINUTE_CHOICES],
        widget=forms.RadioSelect,
    )
    minutes_other = forms.IntegerField(
        label=gettext_lazy("Other number of minutes"),
        required=False,
        min_value=1,
        max_value=services.MAX_MINUTES,
    )
    language = forms.ChoiceField(label=gettext_lazy("Language of the conversation"), choices=HELP_LANGUAGES)
    digipunt = forms.ModelChoiceField(label=gettext_lazy("Where"), queryset=Digipunt.objects.none())
    resident = forms.ModelChoiceField(
        label=gettext_lazy("Resident"), queryset=Resident.objects.none(), required=False
    )

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership
        self.fields["theme"].queryset = themes_active(network=membership.network_id)
        self.fields["digipunt"].queryset = digipunt_list(membership=membership)
        if membership.has("resident.view"):
            self.fields["resident"].queryset = Resident.objects.visible_to(membership).not_erased()
        else:
            del self.fields["resident"]

    def clean(self):
        data = super().clean()
        if data.get("minutes_other"):
            data["minutes"] = data["minutes_other"]
        return data


class ReferralForm(Form):
    """The referral part of the help screen: needs and consent (the resident is chosen or new)."""

    needs = forms.MultipleChoiceField(
        label=gettext_lazy("What does the resident need?"),
        choices=Need.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=gettext_lazy("In their own words"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    consent_to_share = forms.BooleanField(
        label=gettext_lazy(
            "The resident agrees that the organisations we refer them to receive their name "
            "and contact details"
        ),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "ref")
        super().__init__(*args, **kwargs)


class QuickResidentForm(ResidentForm):
    """A new resident with the least data a referral needs; the rules are the registration form's."""

    class Meta(ResidentForm.Meta):
        fields = ["first_name", "last_name", "birth_year", "postcode", "phone", "legal_basis", "consent_date"]

    def __init__(self, *args, network_id: int, **kwargs):
        kwargs.setdefault("prefix", "new")
        # Skip ResidentForm's district set-up: this form has no district (filled from the postcode).
        ModelForm.__init__(self, *args, **kwargs)
        self.network_id = network_id
        year = timezone.localdate().year
        self.fields["birth_year"].widget.attrs.update({"min": year - 110, "max": year})
        self.fields["legal_basis"].initial = LegalBasis.CONSENT
        self.fields["consent_date"].initial = timezone.localdate

    def has_input(self) -> bool:
        return any(self.data.get(self.add_prefix(name)) for name in ["first_name", "last_name", "birth_year"])


# --- shifts, appointments, figures -------------------------------------------------------------------


class ShiftForm(Form):
    session = forms.ModelChoiceField(queryset=HelpSession.objects.none(), widget=forms.HiddenInput)
    date = forms.DateField(widget=forms.HiddenInput)

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = HelpSession.objects.visible_to(membership)


def parse_slot_key(value: str) -> tuple[int, datetime.datetime] | None:
    """``"<session id>@<ISO start>"`` (selectors.SlotView.key) -> (id, aware start), or None."""
    session_id, _at, start = (value or "").partition("@")
    try:
        moment = datetime.datetime.fromisoformat(start)
        return int(session_id), moment if moment.tzinfo else None
    except ValueError:
        return None


class BookingForm(Form):
    slot = forms.CharField(widget=forms.HiddenInput)
    resident = forms.ModelChoiceField(
        queryset=Resident.objects.none(), required=False, widget=forms.HiddenInput
    )
    name = forms.CharField(label=gettext_lazy("Name"), required=False, max_length=150)
    phone = forms.CharField(
        label=gettext_lazy("Phone"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)
    theme = forms.ModelChoiceField(
        label=gettext_lazy("Theme"),
        queryset=HelpTheme.objects.none(),
        required=False,
        empty_label=gettext_lazy("Not known yet"),
    )
    notes = forms.CharField(
        label=gettext_lazy("What the resident needs help with"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("A few words, no personal details."),
    )

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership
        self.fields["resident"].queryset = Resident.objects.visible_to(membership).not_erased()
        self.fields["theme"].queryset = themes_active(network=membership.network_id)

    def clean_slot(self):
        parsed = parse_slot_key(self.cleaned_data["slot"])
        if parsed is None or parsed[1] is None:
            raise forms.ValidationError(_("Choose a time from the list."))
        session = (
            HelpSession.objects.visible_to(self.membership)
            .select_related("digipunt")
            .filter(pk=parsed[0])
            .first()
        )
        if session is None:
            raise forms.ValidationError(_("Choose a time from the list."))
        return session, parsed[1]

    def clean(self):
        data = super().clean()
        if not data.get("resident") and not data.get("name") and "name" not in self.errors:
            self.add_error(
                "name", _("Choose a resident, or give a name and a phone number or e-mail address.")
            )
        return data


class CancelForm(Form):
    reason = forms.CharField(label=gettext_lazy("Why"), required=False, max_length=300)
    confirm = forms.BooleanField(widget=forms.HiddenInput, required=True)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "cancel")
        super().__init__(*args, **kwargs)
        self.fields["confirm"].initial = True


class OutcomeForm(Form):
    status = forms.ChoiceField(
        choices=[
            (AppointmentStatus.ATTENDED, AppointmentStatus.ATTENDED.label),
            (AppointmentStatus.NO_SHOW, AppointmentStatus.NO_SHOW.label),
        ]
    )


APPOINTMENT_FILTERS = {
    "upcoming": gettext_lazy("Upcoming"),
    "past": gettext_lazy("Past"),
    "cancelled": gettext_lazy("Cancelled"),
    "all": gettext_lazy("All"),
}


class AppointmentFilterForm(Form):
    show = forms.ChoiceField(
        label=gettext_lazy("Show"), choices=list(APPOINTMENT_FILTERS.items()), required=False
    )
    digipunt = forms.ModelChoiceField(
        label=gettext_lazy("Digipunt"),
        queryset=Digipunt.objects.none(),
        required=False,
        empty_label=gettext_lazy("All digipunten"),
    )

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["digipunt"].queryset = digipunt_list(membership=membership)


class SlotFilterForm(AppointmentFilterForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["show"]


class FiguresForm(Form):
    start = forms.DateField(label=gettext_lazy("From"), required=False, widget=DATE_WIDGET)
    end = forms.DateField(label=gettext_lazy("Until"), required=False, widget=DATE_WIDGET)

    def period(self) -> tuple[datetime.date, datetime.date]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or today
        start = data.get("start") or end - datetime.timedelta(weeks=12)
        if start > end:
            start, end = end, start
        return start, end
