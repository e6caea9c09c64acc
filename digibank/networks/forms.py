"""Forms of the network settings page: the network itself and its members."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from digibank.lib.forms import Form, ModelForm

from .models import Membership, Network
from .roles import ROLES_WITH_ORGANISATION, Role


class NetworkSettingsForm(ModelForm):
    class Meta:
        model = Network
        fields = ["name", "city", "contact_email", "contact_phone", "require_two_factor"]
        labels = {"require_two_factor": _("Two-factor authentication mandatory for every member")}


class RoleOrganisationForm(Form):
    """Role and organisation; the organisation list holds only this network's organisations."""

    role = forms.ChoiceField(label=_("Role"), choices=[("", _("Choose a role")), *Role.choices])
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=None,
        required=False,
        help_text=_("Required for partner workers and course providers."),
        error_messages={"invalid_choice": _("Choose an organisation of this network.")},
    )

    def __init__(self, *args, network: Network, current_organisation_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.network = network
        # The organisations of this network a member can work for: active ones, and the one they
        # have now. Read through our own foreign key: organisations build on networks, not back.
        organisations = Membership._meta.get_field("organisation").related_model.objects
        self.fields["organisation"].queryset = (
            organisations.in_network(network)
            .filter(Q(is_active=True) | Q(pk=current_organisation_id))
            .order_by("name")
        )

    def clean(self):
        cleaned = super().clean()
        needs_organisation = cleaned.get("role") in ROLES_WITH_ORGANISATION
        # An invalid choice already has its own message; don't add a second one.
        if needs_organisation and not cleaned.get("organisation") and "organisation" not in self.errors:
            self.add_error("organisation", _("This role needs an organisation of this network."))
        return cleaned


class MemberInviteForm(RoleOrganisationForm):
    """Someone new to the platform: an account is created and they choose their own password."""

    field_order = ["first_name", "last_name", "email", "username", "role", "organisation"]

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail"), help_text=_("We send a link to choose a password to this address.")
    )
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Used to log in. Letters, digits and @/./+/-/_ only, e.g. firstname.lastname"),
    )

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(
                _(
                    "This username is taken. If this person already works in another network, "
                    "invite them as an existing user instead."
                )
            )
        return username


class MemberAddExistingForm(RoleOrganisationForm):
    """Someone who already has an account (e.g. in another network) joins this one."""

    field_order = ["username", "role", "organisation"]

    username = forms.CharField(
        label=_("Username"), max_length=150, help_text=_("Ask the person for the username they log in with.")
    )


class MembershipForm(RoleOrganisationForm):
    """Change a member's role and organisation."""
