"""Forms of the intake rules (the network's cap and the exceptions per organisation)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from digibank.lib.forms import Form, ModelForm
from digibank.organisations.models import Organisation

from ..models import IntakeSettings


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
