"""Forms of the catalogue, the intake rules and the social internet tariff.

Friendly messages here; services.py checks the same rules again (the API and the demo call
it too) and the database constraints make them true.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from digibank.lib.forms import Form, ModelForm
from digibank.organisations.models import Organisation

from . import selectors
from .models import Service, ServiceKind, criterion_choices
from .services import SERVICE_FIELDS


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
