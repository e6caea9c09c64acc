"""Forms of the social internet tariff applications."""

from __future__ import annotations

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from digibank.lib.forms import Form, ModelForm

from ..models import InternetTariffApplication, TariffOutcome
from . import selectors
from .services import OUTCOMES_AFTER_APPLYING

DATE_WIDGET = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}


TARIFF_OFFERS_LIST_ID = "tariff-offers"


class TariffApplicationForm(ModelForm):
    class Meta:
        model = InternetTariffApplication
        fields = ["offer", "eligibility_basis", "applied_on", "outcome", "follow_up_on", "notes", "referral"]
        widgets = {
            "offer": forms.TextInput(attrs={"list": TARIFF_OFFERS_LIST_ID, "autocomplete": "off"}),
            "applied_on": forms.DateInput(**DATE_WIDGET),
            "follow_up_on": forms.DateInput(**DATE_WIDGET),
        }
        help_texts = {
            "offer": gettext_lazy(
                "Type or pick a suggestion. The suggestions are examples only: operators change their offers."
            ),
            "eligibility_basis": gettext_lazy("Filled in from the proof seen; change it if needed."),
            "notes": gettext_lazy(
                "Only what colleagues need to follow up. The resident can ask to read this."
            ),
        }
        labels = {"referral": gettext_lazy("Came from the referral")}

    def __init__(self, *args, membership, resident, **kwargs):
        super().__init__(*args, **kwargs)
        referral = self.fields["referral"]
        referral.queryset = selectors.tariff_referral_choices(membership=membership, resident=resident)
        referral.required = False
        referral.empty_label = gettext_lazy("Not from a referral")
        referral.label_from_instance = _referral_label

    def clean_applied_on(self):
        value = self.cleaned_data["applied_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The application cannot have been sent in the future."))
        return value

    def clean(self):
        data = super().clean()
        if (
            data.get("outcome") in OUTCOMES_AFTER_APPLYING
            and not data.get("applied_on")
            and "applied_on" not in self.errors
        ):
            self.add_error("applied_on", _("Enter the date the application was sent."))
        return data


def _referral_label(referral) -> str:
    return _("%(service)s, sent on %(date)s (%(status)s)") % {
        "service": referral.service.name,
        "date": formats.date_format(timezone.localtime(referral.created_at).date(), "SHORT_DATE_FORMAT"),
        "status": referral.get_status_display(),
    }


class TariffFilterForm(Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"),
        required=False,
        choices=[("", gettext_lazy("All outcomes")), *TariffOutcome.choices],
    )
    due = forms.BooleanField(label=gettext_lazy("Only follow-ups due today or earlier"), required=False)

    def filters(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"outcome": data.get("outcome") or "", "follow_up_due": bool(data.get("due"))}
