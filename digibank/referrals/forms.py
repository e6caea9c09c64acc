"""Forms of the referral flow. Friendly messages here; the rules are enforced again in services.py."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from digibank.catalogue import ports
from digibank.catalogue.models import Service
from digibank.lib.forms import Form
from digibank.networks.roles import Role
from digibank.organisations.models import Organisation

from .models import Channel, Need, NoteVisibility, ReferralStatus, RequestStatus, Urgency
from .services import DEFAULT_FOLLOW_UP_DAYS

# The channels staff choose from; "web" is only set by the public site.
STAFF_CHANNELS = [Channel.PHONE, Channel.WALK_IN, Channel.PARTNER, Channel.DIGIPUNT]
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def fixed_channel(membership) -> tuple[str, int | None] | None:
    """(channel, referring organisation id) for roles that do not choose; None: they choose."""
    if membership.role == Role.PARTNER_WORKER:
        return Channel.PARTNER, membership.organisation_id
    if membership.role == Role.DIGIPUNT_STAFF:
        return Channel.DIGIPUNT, None
    return None


class RequestForm(Form):
    """The need, for every channel. Partner workers and digipunt staff do not choose the channel.

    Field names differ from the resident registration form's, so both live in one <form>.
    """

    needs = forms.MultipleChoiceField(
        label=gettext_lazy("What does the resident need?"),
        choices=Need.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=gettext_lazy("In their own words"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("What the resident asks, briefly. Only what a partner needs to help."),
    )
    urgency = forms.ChoiceField(
        label=gettext_lazy("Urgency"),
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        widget=forms.RadioSelect,
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Came in through"),
        choices=[(c.value, c.label) for c in STAFF_CHANNELS],
        initial=Channel.PHONE,
    )
    referred_by = forms.ModelChoiceField(
        label=gettext_lazy("Referred by organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=gettext_lazy("Only for a partner referral."),
    )
    consent_to_share = forms.BooleanField(
        label=gettext_lazy(
            "The resident agrees that the organisations we refer them to receive their name "
            "and contact details"
        ),
        required=False,
    )

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership
        if fixed_channel(membership) is not None:
            del self.fields["channel"], self.fields["referred_by"]
        else:
            self.fields["referred_by"].queryset = Organisation.objects.in_network(
                membership.network_id
            ).filter(is_active=True)

    def clean(self):
        data = super().clean()
        if (
            "channel" in self.fields
            and data.get("channel") == Channel.PARTNER
            and not data.get("referred_by")
            and "referred_by" not in self.errors
        ):
            self.add_error("referred_by", _("Choose the organisation that referred the resident."))
        return data

    def channel_and_referrer(self) -> tuple[str, Organisation | None]:
        fixed = fixed_channel(self.membership)
        if fixed is not None:
            channel, organisation_id = fixed
            return channel, (self.membership.organisation if organisation_id else None)
        channel = self.cleaned_data["channel"]
        referred_by = self.cleaned_data.get("referred_by") if channel == Channel.PARTNER else None
        return channel, referred_by


class ResidentSearchForm(Form):
    q = forms.CharField(label=gettext_lazy("Name or postcode"), required=False, max_length=100)


class AssignForm(Form):
    NOBODY = "nobody"

    assigned_to = forms.ChoiceField(label=gettext_lazy("Assign to"))

    def __init__(self, *args, colleagues, **kwargs):
        kwargs.setdefault("prefix", "assign")
        super().__init__(*args, **kwargs)
        self.colleagues = {str(m.user_id): m.user for m in colleagues}
        self.fields["assigned_to"].choices = [
            (self.NOBODY, _("Nobody")),
            *((pk, str(user)) for pk, user in self.colleagues.items()),
        ]

    def assignee(self):
        return self.colleagues.get(self.cleaned_data["assigned_to"])


class ReferForm(Form):
    services = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Refer to"), queryset=Service.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    follow_up_on = forms.DateField(label=gettext_lazy("Follow up on"), widget=DATE_WIDGET)
    handover_contact = forms.CharField(
        label=gettext_lazy("How the organisation reaches the resident"),
        required=False,
        max_length=300,
        help_text=gettext_lazy(
            "Without consent to share, the organisation sees only the first name and this: "
            "e.g. “through the neighbourhood centre, ask for Anna” or “the resident will call you”."
        ),
    )
    note = forms.CharField(
        label=gettext_lazy("Note for the referral"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    note_visibility = forms.ChoiceField(
        label=gettext_lazy("Who may read the note"),
        choices=NoteVisibility.choices,
        initial=NoteVisibility.ALL,
        required=False,
    )

    def __init__(self, *args, network_id: int, **kwargs):
        kwargs.setdefault("prefix", "refer")
        super().__init__(*args, **kwargs)
        self.fields["services"].queryset = (
            Service.objects.in_network(network_id).filter(is_active=True).select_related("organisation")
        )
        self.fields["follow_up_on"].initial = timezone.localdate() + datetime.timedelta(
            days=DEFAULT_FOLLOW_UP_DAYS
        )
        # The questions of the capabilities that deliver a kind of service (a device loan: which
        # device, which waiting-list category), asked when such a service is chosen.
        self.delivery_fields = {}
        for kind in sorted(ports.delivery_kinds()):
            for name, field in ports.delivery_for(kind).form_fields(network_id=network_id).items():
                self.fields[name] = field
                self.delivery_fields[name] = kind

    def delivery_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.delivery_fields}

    def clean_follow_up_on(self):
        value = self.cleaned_data["follow_up_on"]
        if value and value < timezone.localdate():
            raise forms.ValidationError(_("The follow-up date cannot be in the past."))
        return value


class TransitionForm(Form):
    to_status = forms.ChoiceField(label=gettext_lazy("New status"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("Required for declined and cancelled. The referring partner reads it."),
    )
    follow_up_on = forms.DateField(
        label=gettext_lazy("Next follow-up"),
        required=False,
        widget=DATE_WIDGET,
        help_text=gettext_lazy("Optional: when to look at this referral again."),
    )

    def __init__(self, *args, allowed: list[str], **kwargs):
        kwargs.setdefault("prefix", "status")
        super().__init__(*args, **kwargs)
        labels = dict(ReferralStatus.choices)
        self.fields["to_status"].choices = [(status, labels[status]) for status in allowed]


class NoteForm(Form):
    text = forms.CharField(
        label=gettext_lazy("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    visibility = forms.ChoiceField(label=gettext_lazy("Who may read it"))

    def __init__(self, *args, visibilities: list[str], **kwargs):
        kwargs.setdefault("prefix", "note")
        super().__init__(*args, **kwargs)
        labels = dict(NoteVisibility.choices)
        self.fields["visibility"].choices = [(v, labels[v]) for v in visibilities]


class FollowUpForm(Form):
    follow_up_on = forms.DateField(label=gettext_lazy("Follow up on"), widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "followup")
        super().__init__(*args, **kwargs)


class CloseForm(Form):
    reason = forms.CharField(label=gettext_lazy("Why is the request closed?"), max_length=300)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "close")
        super().__init__(*args, **kwargs)


class ReopenForm(Form):
    confirm = forms.BooleanField(label=gettext_lazy("Reopen this request"), required=True)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "reopen")
        super().__init__(*args, **kwargs)


class ConsentForm(Form):
    consent_to_share = forms.ChoiceField(
        label=gettext_lazy("Consent to share with the organisations we refer to"),
        choices=[
            ("yes", gettext_lazy("Given: they may receive the resident's name and contact details")),
            ("no", gettext_lazy("Not given (or withdrawn): they see only the first name")),
        ],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "consent")
        super().__init__(*args, **kwargs)


class TriageFilterForm(Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    channel = forms.ChoiceField(
        label=gettext_lazy("Came in through"),
        required=False,
        choices=[("", gettext_lazy("All channels")), *Channel.choices],
    )
    assigned = forms.ChoiceField(
        label=gettext_lazy("Assigned"),
        required=False,
        choices=[
            ("", gettext_lazy("Everyone's")),
            ("me", gettext_lazy("Assigned to me")),
            ("nobody", gettext_lazy("Not assigned")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            ("", _("All open")),
            *((s.value, s.label) for s in RequestStatus if s != RequestStatus.CLOSED),
        ]


class RequestFilterForm(Form):
    reference = forms.CharField(label=gettext_lazy("Reference"), required=False, max_length=20)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("All")), *RequestStatus.choices],
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Came in through"),
        required=False,
        choices=[("", gettext_lazy("All channels")), *Channel.choices],
    )


class FiguresForm(Form):
    since = forms.DateField(label=gettext_lazy("Received from"), required=False, widget=DATE_WIDGET)
    until = forms.DateField(label=gettext_lazy("Received until"), required=False, widget=DATE_WIDGET)

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("The end cannot be before the start."))
        return data
