"""Forms for registering and changing residents. Friendly messages here; the rules that must
always hold are also database constraints (models.py) and checked again in services.py."""

from __future__ import annotations

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from digibank.lib.forms import Form, ModelForm

from . import selectors
from .models import ContactChannel, EligibilityKind, EligibilityProof, LegalBasis, Resident
from .services import RESIDENT_FIELDS

# Older than this is almost certainly a typing error (and the database refuses < 1900).
OLDEST_AGE = 110
PHONE_RE = re.compile(r"^\+?[0-9][0-9 ./()-]{7,}$")
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}$")
DUPLICATE_FIELDS = ["first_name", "last_name", "birth_year", "postcode"]

_email_needed = gettext_lazy("E-mail is the preferred channel: enter an e-mail address.")
_phone_needed = gettext_lazy("Phone or SMS is the preferred channel: enter a phone number.")
# What each preferred channel needs to be usable: (field, message when it is missing).
CHANNEL_NEEDS = {
    ContactChannel.EMAIL: [("email", _email_needed)],
    ContactChannel.PHONE: [("phone", _phone_needed)],
    ContactChannel.SMS: [("phone", _phone_needed)],
    ContactChannel.LETTER: [
        ("street", gettext_lazy("Letter is the preferred channel: enter the street and number.")),
        ("city", gettext_lazy("Letter is the preferred channel: enter the municipality.")),
    ],
}


class ResidentForm(ModelForm):
    class Meta:
        model = Resident
        fields = RESIDENT_FIELDS
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "birth_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "postcode": forms.TextInput(
                attrs={"inputmode": "numeric", "maxlength": 4, "size": 6, "autocomplete": "off"}
            ),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "consent_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "street": gettext_lazy(
                "Only needed for a loan agreement or when the resident wants letters. Leave empty otherwise."
            ),
            "city": gettext_lazy("Only needed for a loan agreement or letters."),
            "consent_date": gettext_lazy("Required when the legal basis is consent."),
            "notes": gettext_lazy("Only what colleagues need to help. The resident can ask to read this."),
            "preferred_channel": gettext_lazy(
                "E-mail needs an e-mail address, SMS and phone a phone number, letter an address."
            ),
        }

    def __init__(self, *args, network_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.network_id = network_id
        district = self.fields["district"]
        district.queryset = selectors.districts_of(network_id=network_id)
        district.help_text = gettext_lazy("Left empty, it is filled in from the postcode when possible.")
        year = timezone.localdate().year
        self.fields["birth_year"].widget.attrs.update({"min": year - OLDEST_AGE, "max": year})

    def enable_duplicate_check(self, url: str) -> None:
        """Live check (htmx) as the user types; without JavaScript the check runs on submit."""
        include = ", ".join(f"#{self[name].auto_id}" for name in DUPLICATE_FIELDS)
        for name in DUPLICATE_FIELDS:
            self.fields[name].widget.attrs.update(
                {
                    "hx-get": url,
                    "hx-trigger": "change",
                    "hx-target": "#duplicate-check",
                    "hx-include": include,
                    "hx-sync": "closest form:abort",
                }
            )

    @staticmethod
    def _clean_name(value: str) -> str:
        return " ".join(value.split())

    def clean_first_name(self):
        return self._clean_name(self.cleaned_data["first_name"])

    def clean_last_name(self):
        return self._clean_name(self.cleaned_data["last_name"])

    def clean_birth_year(self):
        value = self.cleaned_data["birth_year"]
        year = timezone.localdate().year
        if value is not None and not (year - OLDEST_AGE <= value <= year):
            raise forms.ValidationError(
                _("Enter a year of birth between %(first)s and %(last)s, e.g. 1958.")
                % {"first": year - OLDEST_AGE, "last": year}
            )
        return value

    def clean_postcode(self):
        return "".join(self.cleaned_data["postcode"].split())

    def clean_languages(self):
        codes = [code.strip().lower() for code in re.split(r"[,;\s]+", self.cleaned_data["languages"])]
        codes = [code for code in codes if code]
        wrong = [code for code in codes if not LANGUAGE_RE.match(code)]
        if wrong:
            raise forms.ValidationError(
                _("Use short language codes separated by commas, e.g. nl, fr, ar (not: %(wrong)s).")
                % {"wrong": ", ".join(wrong)}
            )
        return ", ".join(dict.fromkeys(codes))

    def clean_phone(self):
        phone = " ".join(self.cleaned_data["phone"].split())
        if phone and not PHONE_RE.match(phone):
            raise forms.ValidationError(_("Enter a phone number with at least 8 digits, e.g. 0470 12 34 56."))
        return phone

    def clean_consent_date(self):
        value = self.cleaned_data["consent_date"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date of consent cannot be in the future."))
        return value

    def clean(self):
        data = super().clean()
        for name, message in CHANNEL_NEEDS.get(data.get("preferred_channel"), []):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, message)
        if (
            data.get("legal_basis") == LegalBasis.CONSENT
            and not data.get("consent_date")
            and "consent_date" not in self.errors
        ):
            self.add_error("consent_date", _("The legal basis is consent: enter the date of consent."))
        if not data.get("district") and data.get("postcode") and "postcode" not in self.errors:
            data["district"] = selectors.district_for_postcode(
                network_id=self.network_id, postcode=data["postcode"]
            )
        return data


class DuplicateConfirmForm(Form):
    register_anyway = forms.BooleanField(
        label=gettext_lazy("This is a different person: register anyway"),
        required=False,
    )


class ResidentFilterForm(Form):
    q = forms.CharField(label=gettext_lazy("Name or postcode"), required=False, max_length=100)
    district = forms.ModelChoiceField(
        label=gettext_lazy("District"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("All districts"),
    )

    def __init__(self, *args, network_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = selectors.districts_of(network_id=network_id)


class EligibilityForm(ModelForm):
    class Meta:
        model = EligibilityProof
        fields = ["kind", "detail", "seen_on", "valid_until"]
        widgets = {
            "seen_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "kind": gettext_lazy("You saw a document that proves it. Do not copy or upload the document."),
            "detail": gettext_lazy("Only for 'other': which status, in a few words."),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "proof")
        super().__init__(*args, **kwargs)
        self.fields["seen_on"].initial = timezone.localdate
        self.fields["seen_on"].required = False  # left empty: today (services.eligibility_add)

    def clean_seen_on(self):
        value = self.cleaned_data["seen_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The proof cannot have been seen in the future."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("kind") == EligibilityKind.OTHER and not data.get("detail"):
            self.add_error("detail", _("Say which status, in a few words."))
        seen_on, valid_until = data.get("seen_on"), data.get("valid_until")
        if seen_on and valid_until and valid_until < seen_on:
            self.add_error("valid_until", _("'Valid until' cannot be before the day the proof was seen."))
        return data


class EraseForm(Form):
    """The coordinator types a word (translated: WISSEN in Dutch) so an erasure is never a slip."""

    confirm_word = forms.CharField(label="", required=False, max_length=40)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "erase")
        super().__init__(*args, **kwargs)
        self.word = _("ERASE")
        self.fields["confirm_word"].label = _("Type %(word)s to confirm") % {"word": self.word}
        self.fields["confirm_word"].widget.attrs["autocomplete"] = "off"

    def clean_confirm_word(self):
        value = self.cleaned_data["confirm_word"].strip()
        if value.upper() != self.word.upper():
            raise forms.ValidationError(_("Type %(word)s to confirm the erasure.") % {"word": self.word})
        return value
