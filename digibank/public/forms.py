"""Forms of the public site (few fields, plain language) and of the team's inbox.

Every public form carries a one-time token (hidden) and a honeypot field that people never
see (hidden with CSS) and robots fill in. The resident part of "I need help" is checked by the
residents capability's own form (ResidentForm), so the rules stay in one place.
"""

from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from digibank.catalogue.models import Need
from digibank.devices.models import Donor
from digibank.digipunten.models import HELP_LANGUAGES
from digibank.lib.forms import Form
from digibank.networks.models import District
from digibank.residents.forms import PHONE_RE, ResidentForm
from digibank.residents.models import postcode_validator

from .models import (
    APPLICATION_TRANSITIONS,
    OFFER_TRANSITIONS,
    ApplicationStatus,
    Availability,
    DeviceKind,
    Handover,
    OfferDonorKind,
    OfferStatus,
    VolunteerRole,
)

HONEYPOT = "homepage"
SPOKEN_LANGUAGES = [(code, label) for code, label in HELP_LANGUAGES if code != "other"]


class PublicForm(Form):
    """Base of the public forms: the one-time token and the honeypot."""

    form_token = forms.UUIDField(required=False, widget=forms.HiddenInput)
    homepage = forms.CharField(
        label=gettext_lazy("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    # Required only as "one of them": not marked "(optional)" on the page.
    one_of = ("phone", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4())
        elif not _is_uuid(self.data.get("form_token")):
            # A POST without a token still gets one, so that its next attempt is guarded.
            self.data = self.data.copy()
            self.data["form_token"] = str(uuid.uuid4())

    @property
    def is_spam(self) -> bool:
        """A robot filled in the field people cannot see."""
        return bool(self.is_bound and (self.data.get(HONEYPOT) or "").strip())

    def token(self) -> uuid.UUID:
        """The form's one-time token; a fresh one when the POST carried none (no double-submit guard then)."""
        value = self.cleaned_data.get("form_token") if hasattr(self, "cleaned_data") else None
        return value or uuid.uuid4()

    def visible_fields(self):
        return [f for f in super().visible_fields() if f.name != HONEYPOT]

    @property
    def honeypot(self):
        return self[HONEYPOT]


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _required(message):
    return {"required": message}


def _clean_phone(value: str) -> str:
    phone = " ".join((value or "").split())
    if phone and not PHONE_RE.match(phone):
        raise ValidationError(_("Enter a phone number with at least 8 digits, e.g. 0470 12 34 56."))
    return phone


def _name_field():
    return forms.CharField(
        label=gettext_lazy("Your name"),
        max_length=150,
        error_messages=_required(gettext_lazy("Enter your name.")),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


def _phone_field():
    return forms.CharField(
        label=gettext_lazy("Phone number"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )


def _email_field():
    return forms.EmailField(
        label=gettext_lazy("E-mail address"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


def _consent_field():
    return forms.BooleanField(
        label="", required=True, error_messages=_required(gettext_lazy("Tick the box to agree."))
    )


class ContactMixin:
    """Phone or e-mail: at least one, the error next to the phone field."""

    def clean_phone(self):
        return _clean_phone(self.cleaned_data.get("phone"))

    def check_contact(self, data):
        if (
            not data.get("phone")
            and not data.get("email")
            and "phone" not in self.errors
            and "email" not in self.errors
        ):
            self.add_error("phone", _("Give a phone number or an e-mail address."))


# --- I need help / a computer ----------------------------------------------------------------------


class HelpRequestForm(ContactMixin, PublicForm):
    needs = forms.MultipleChoiceField(
        label=gettext_lazy("What do you need?"),
        choices=Need.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Tick at least one thing you need.")},
    )
    description = forms.CharField(
        label=gettext_lazy("Tell us more"),
        required=False,
        max_length=1000,
        help_text=gettext_lazy("For example: my laptop is broken, or I cannot log in to my bank."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    first_name = forms.CharField(
        label=gettext_lazy("First name"),
        max_length=100,
        error_messages=_required(gettext_lazy("Enter your first name.")),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=gettext_lazy("Last name"),
        max_length=100,
        error_messages=_required(gettext_lazy("Enter your last name.")),
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    birth_year = forms.IntegerField(
        label=gettext_lazy("Year of birth"),
        error_messages={
            "required": gettext_lazy("Enter your year of birth, for example 1958."),
            "invalid": gettext_lazy("Enter your year of birth in numbers, for example 1958."),
        },
        help_text=gettext_lazy("For example: 1958"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "bday-year", "maxlength": 4}),
    )
    postcode = forms.CharField(
        label=gettext_lazy("Postcode"),
        max_length=4,
        error_messages=_required(gettext_lazy("Enter your postcode, for example 3000.")),
        help_text=gettext_lazy("4 digits, for example 3000"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code", "maxlength": 4}),
    )
    phone = _phone_field()
    email = _email_field()
    language = forms.ChoiceField(
        label=gettext_lazy("Which language do you speak best?"),
        choices=HELP_LANGUAGES,
        error_messages=_required(gettext_lazy("Choose a language.")),
    )
    consent = _consent_field()

    # The fields the residents capability checks (ResidentForm), with the same names.
    RESIDENT_FIELDS = ["first_name", "last_name", "birth_year", "postcode", "phone", "email"]

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.network = network
        self.fields["phone"].help_text = gettext_lazy("Give a phone number or an e-mail address, or both.")
        self.fields["consent"].label = _(
            "I agree that %(network)s keeps these details to help me, and gives them to the organisation "
            "that will help me."
        ) % {"network": network.name}

    def clean(self):
        data = super().clean()
        self.check_contact(data)
        # The residents capability's own rules (postcode, year of birth, phone, e-mail); a
        # field that already has an error keeps only its first message.
        resident = ResidentForm(
            data={
                "first_name": data.get("first_name", ""),
                "last_name": data.get("last_name", ""),
                "birth_year": data.get("birth_year") or "",
                "postcode": data.get("postcode", ""),
                "languages": self.spoken_language(),
                "preferred_channel": "phone" if data.get("phone") else "email" if data.get("email") else "",
                "phone": data.get("phone", ""),
                "email": data.get("email", ""),
                "legal_basis": "consent",
                "consent_date": timezone.localdate().isoformat(),
            },
            network_id=self.network.pk,
        )
        if not resident.is_valid():
            for name, errors in resident.errors.items():
                if name in self.RESIDENT_FIELDS and name not in self.errors:
                    self.add_error(name, errors)
                elif name not in self.fields:
                    self.add_error(None, errors)
        else:
            data["postcode"] = resident.cleaned_data["postcode"]
        return data

    def spoken_language(self) -> str:
        code = (self.cleaned_data or {}).get("language", "") if hasattr(self, "cleaned_data") else ""
        return "" if code == "other" else code


# --- I want to volunteer -----------------------------------------------------------------------------


class VolunteerForm(ContactMixin, PublicForm):
    roles = forms.MultipleChoiceField(
        label=gettext_lazy("How do you want to help?"),
        choices=VolunteerRole.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one way to help.")},
    )
    name = _name_field()
    phone = _phone_field()
    email = _email_field()
    languages = forms.MultipleChoiceField(
        label=gettext_lazy("Which languages do you speak?"),
        choices=SPOKEN_LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    districts = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Where can you help?"),
        queryset=District.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    availability = forms.MultipleChoiceField(
        label=gettext_lazy("When can you help?"),
        choices=Availability.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    motivation = forms.CharField(
        label=gettext_lazy("Why do you want to help?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = _consent_field()

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["districts"].queryset = District.objects.in_network(network).order_by("name")
        self.fields["phone"].help_text = gettext_lazy("Give a phone number or an e-mail address, or both.")
        self.fields["consent"].label = _(
            "I agree that %(network)s keeps these details to contact me about volunteering."
        ) % {"network": network.name}
        if not self.fields["districts"].queryset.exists():
            del self.fields["districts"]

    def clean(self):
        data = super().clean()
        self.check_contact(data)
        return data


# --- I want to donate devices ----------------------------------------------------------------------


class DonationForm(ContactMixin, PublicForm):
    donor_kind = forms.ChoiceField(
        label=gettext_lazy("Who gives the devices?"),
        choices=OfferDonorKind.choices,
        widget=forms.RadioSelect,
        error_messages=_required(gettext_lazy("Choose who gives the devices.")),
    )
    organisation_name = forms.CharField(
        label=gettext_lazy("Name of the company or organisation"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Only for a company or organisation."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    name = _name_field()
    phone = _phone_field()
    email = _email_field()
    device_count = forms.IntegerField(
        label=gettext_lazy("How many devices?"),
        error_messages={
            "required": gettext_lazy("Enter how many devices you want to give."),
            "invalid": gettext_lazy("Enter a number, for example 5."),
        },
        min_value=1,
        max_value=10_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    device_kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Which devices?"),
        choices=DeviceKind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one kind of device.")},
    )
    handover = forms.ChoiceField(
        label=gettext_lazy("How do the devices get to us?"),
        choices=Handover.choices,
        widget=forms.RadioSelect,
        error_messages=_required(gettext_lazy("Choose pick-up or drop-off.")),
    )
    postcode = forms.CharField(
        label=gettext_lazy("Postcode where we pick them up"),
        required=False,
        max_length=4,
        validators=[postcode_validator],
        help_text=gettext_lazy("Only if we pick them up."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code", "maxlength": 4}),
    )
    message = forms.CharField(
        label=gettext_lazy("Anything else we should know?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = _consent_field()

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].help_text = gettext_lazy("Give a phone number or an e-mail address, or both.")
        self.fields["consent"].label = _(
            "I agree that %(network)s keeps these details to contact me about my donation."
        ) % {"network": network.name}

    def clean(self):
        data = super().clean()
        self.check_contact(data)
        if (
            data.get("donor_kind") == OfferDonorKind.ORGANISATION
            and not (data.get("organisation_name") or "").strip()
        ):
            self.add_error("organisation_name", _("Give the name of the company or organisation."))
        if data.get("donor_kind") == OfferDonorKind.PERSON:
            data["organisation_name"] = ""
        if (
            data.get("handover") == Handover.PICKUP
            and not data.get("postcode")
            and "postcode" not in self.errors
        ):
            self.add_error("postcode", _("Give the postcode where we can pick up the devices."))
        return data


# --- booking a help hour ------------------------------------------------------------------------------


class BookingForm(ContactMixin, PublicForm):
    slot = forms.ChoiceField(
        label=gettext_lazy("Choose a time"),
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose a time."),
            "invalid_choice": gettext_lazy("This time is no longer free. Choose another time."),
        },
    )
    name = _name_field()
    phone = _phone_field()
    email = _email_field()
    theme = forms.ModelChoiceField(
        label=gettext_lazy("What do you need help with?"), queryset=None, required=False
    )

    def __init__(self, *args, slots, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.slots = slots
        self.fields["slot"].choices = [(s.key, s.key) for s in slots]
        self.fields["theme"].queryset = themes
        self.fields["theme"].label_from_instance = lambda theme: theme.label
        self.fields["theme"].empty_label = _("I do not know / something else")
        self.fields["phone"].help_text = gettext_lazy(
            "We send you a confirmation by text message or e-mail. Give at least one."
        )

    def clean(self):
        data = super().clean()
        self.check_contact(data)
        return data

    def chosen(self):
        key = self.cleaned_data.get("slot")
        return next((s for s in self.slots if s.key == key), None)


# --- the team's side -------------------------------------------------------------------------------


class PublicTextForm(Form):
    text = forms.CharField(
        label=gettext_lazy("Text"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "Write short sentences in plain language. Leave empty to show the standard text."
        ),
    )


class StatusForm(Form):
    """Change the status of an application or offer, with a note for colleagues."""

    status = forms.ChoiceField(label=gettext_lazy("Status"))
    note = forms.CharField(
        label=gettext_lazy("Note for colleagues"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, current: str, statuses, transitions, excluded=(), **kwargs):
        super().__init__(*args, **kwargs)
        allowed = {current, *transitions.get(current, ())} - set(excluded)
        self.fields["status"].choices = [
            (value, label) for value, label in statuses.choices if value in allowed
        ]
        self.fields["status"].initial = current


def application_status_form(data=None, *, application):
    return StatusForm(
        data, current=application.status, statuses=ApplicationStatus, transitions=APPLICATION_TRANSITIONS
    )


def offer_status_form(data=None, *, offer):
    return StatusForm(
        data,
        current=offer.status,
        statuses=OfferStatus,
        transitions=OFFER_TRANSITIONS,
        excluded=[OfferStatus.RECEIVED],
    )


class ReceiveForm(Form):
    """The offered devices came in: register a donor and a batch."""

    received_on = forms.DateField(
        label=gettext_lazy("Received on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    expected_count = forms.IntegerField(
        label=gettext_lazy("Number of devices received"), min_value=0, max_value=10_000, required=False
    )
    donor = forms.ModelChoiceField(
        label=gettext_lazy("Existing donor"),
        queryset=None,
        required=False,
        help_text=gettext_lazy("Leave empty to register a new donor with the details of the offer."),
    )

    def __init__(self, *args, membership, offer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["donor"].queryset = Donor.objects.visible_to(membership).order_by("name", "pk")
        self.fields["received_on"].initial = timezone.localdate
        self.fields["expected_count"].initial = offer.device_count

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise ValidationError(_("The devices cannot be received in the future."))
        return value


class InboxFilterForm(Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)

    def __init__(self, *args, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All")), *statuses.choices]
