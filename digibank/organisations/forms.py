from django import forms
from django.utils.translation import gettext_lazy as _

from digibank.lib.forms import ModelForm

from .models import ContactPerson, Organisation, OrganisationType
from .services import organisation_name_taken


class OrganisationForm(ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "type", "description", "email", "phone", "website", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.network = network

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if organisation_name_taken(network_id=self.network.pk, name=name, exclude_pk=self.instance.pk):
            raise forms.ValidationError(_("This network already has an organisation with this name."))
        return name


class ContactPersonForm(ModelForm):
    class Meta:
        model = ContactPerson
        fields = ["name", "function", "email", "phone"]


class OrganisationFilterForm(forms.Form):
    """The type filter above the list. Not validated strictly: an unknown type shows everything."""

    type = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("All types")), *OrganisationType.choices],
    )
