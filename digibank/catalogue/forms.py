"""Forms of the catalogue, the intake rules and the social internet tariff.

Friendly messages here; services.py checks the same rules again (the API and the demo call
it too) and the database constraints make them true.
"""

from __future__ import annotations

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from digibank.lib.forms import Form, ModelForm
from digibank.organisations.models import Organisation
from digibank.referrals.models import IntakeSettings, InternetTariffApplication, TariffOutcome

from . import selectors
from .models import Service, ServiceKind, criterion_choices
from .services import OUTCOMES_AFTER_APPLYING, SERVICE_FIELDS

DATE_WIDGET = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}
TARIFF_OFFERS_LIST_ID = "tariff-offers"


class ServiceForm(ModelForm):
    criteria = forms.MultipleChoiceField(
        label=gettext_lazy("Eligibility criteria"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "One ticked criterion is enough. Tick none when the service is open to everyone."
        ),
    )

    class Meta:
        model = Service
        fields = list(SERVICE_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "capacity": forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
        }
        help_texts = {
            "criteria_text": gettext_lazy('In plain words, e.g. "Leuven residents with a low income".'),
            "capacity": gettext_lazy("How many people at a time. Empty: no fixed limit."),
            "is_public": gettext_lazy("Residents can find it in the public directory."),
        }

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.network = network
        self.fields["criteria"].choices = criterion_choices()
        if self.instance.pk:
            self.initial["criteria"] = self.instance.criteria_codes()
        self.fields["organisation"].queryset = selectors.service_organisation_choices(
            network=network, current_id=self.instance.organisation_id
        )
        self.fields["capacity"].validators.append(_min_one)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if selectors.service_name_taken(network_id=self.network.pk, name=name, exclude_pk=self.instance.pk):
            raise forms.ValidationError(_("This network already has a service with this name."))
        return name


def _min_one(value):
    if value is not None and value < 1:
        raise forms.ValidationError(_("Enter at least 1, or leave it empty for no fixed limit."))


class ServiceFilterForm(Form):
    """The filters above the list. Lenient: an unknown value shows everything rather than an error."""

    ACTIVE_CHOICES = [
        ("", gettext_lazy("On offer or not")),
        ("yes", gettext_lazy("On offer")),
        ("no", gettext_lazy("No longer on offer")),
    ]

    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        required=False,
        choices=[("", gettext_lazy("All kinds")), *ServiceKind.choices],
    )
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Provided by"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=gettext_lazy("All organisations"),
    )
    active = forms.ChoiceField(label=gettext_lazy("Status"), required=False, choices=ACTIVE_CHOICES)

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.in_network(network).order_by("name")

    def filters(self) -> dict:
        """The valid filters only: a wrong value in the URL drops that filter."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        active = {"yes": True, "no": False}.get(data.get("active") or "")
        return {"kind": data.get("kind") or "", "organisation": data.get("organisation"), "active": active}


class IntakeSettingsForm(ModelForm):
    class Meta:
        model = IntakeSettings
        fields = ["open_request_cap", "unreferred_alert_days"]
        help_texts = {
            "open_request_cap": gettext_lazy(
                "So that one partner cannot fill the whole queue. Empty: no cap. "
                "Exceptions per organisation are below."
            ),
            "unreferred_alert_days": gettext_lazy(
                "Requests without any referral after this many days are flagged in the work views."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["open_request_cap"].validators.append(_cap_min_one)
        self.fields["open_request_cap"].widget.attrs.update({"min": 1, "inputmode": "numeric"})
        self.fields["unreferred_alert_days"].widget.attrs.update({"min": 1, "max": 365})

    def clean_unreferred_alert_days(self):
        value = self.cleaned_data["unreferred_alert_days"]
        if value is not None and not 1 <= value <= 365:
            raise forms.ValidationError(_("Enter a number of days between 1 and 365."))
        return value


def _cap_min_one(value):
    if value is not None and value < 1:
        raise forms.ValidationError(_("Enter at least 1, or leave it empty for no cap."))


class OrganisationCapForm(Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    cap = forms.IntegerField(
        label=gettext_lazy("Maximum open requests"),
        required=False,
        help_text=gettext_lazy("Empty: no cap for this organisation."),
        widget=forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
        validators=[_cap_min_one],
    )

    def __init__(self, *args, network, **kwargs):
        kwargs.setdefault("prefix", "cap")
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.in_network(network).order_by("name")


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
