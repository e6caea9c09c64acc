"""Forms of the lending desk. Friendly messages here; the rules are enforced again in services.py
and, where it matters most (one active loan per device), by the database."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from digibank.devices.models import Condition, DeviceKind
from digibank.lib.forms import Form, KeyChoiceField
from digibank.residents.models import EligibilityKind

from .models import LoanKind, LoanStatus, PriorityCategory
from .selectors import LOAN_FILTERS

DATE_WIDGET = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
MAX_DAYS = 3650


def _euro_field(label, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal("0"),
        max_value=Decimal("10000"),
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        **kwargs,
    )


class ConfirmForm(Form):
    """A button's only field: an empty POST (a mistake, a crawler) must change nothing."""

    confirm = forms.CharField(widget=forms.HiddenInput, initial="yes")

    def clean_confirm(self):
        if self.cleaned_data["confirm"] != "yes":
            raise forms.ValidationError(_("Please confirm."))
        return "yes"


class LendingSettingsForm(Form):
    eligible_statuses = forms.MultipleChoiceField(
        label=_("Statuses that make someone eligible"),
        choices=EligibilityKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("A resident with valid proof of one of these may borrow a device."),
    )
    referral_makes_eligible = forms.BooleanField(
        label=_("A referral by a partner organisation makes someone eligible"), required=False
    )
    loan_days = forms.IntegerField(label=_("Loan period (days)"), min_value=1, max_value=MAX_DAYS)
    extension_days = forms.IntegerField(label=_("Extension (days)"), min_value=1, max_value=MAX_DAYS)
    offer_days = forms.IntegerField(
        label=_("Days to accept an offer"),
        min_value=1,
        max_value=60,
        help_text=_("After this, the device is offered to the next person on the waiting list."),
    )
    reminder_days_before = forms.IntegerField(
        label=_("Reminder before the due date (days)"), min_value=0, max_value=90
    )
    deposit = _euro_field(_("Deposit (EUR)"), help_text=_("0 for no deposit."))

    @classmethod
    def initial_from(cls, settings) -> dict:
        return {
            "eligible_statuses": settings.eligible_statuses,
            "referral_makes_eligible": settings.referral_makes_eligible,
            "loan_days": settings.loan_days,
            "extension_days": settings.extension_days,
            "offer_days": settings.offer_days,
            "reminder_days_before": settings.reminder_days_before,
            "deposit": Decimal(settings.deposit_cents) / 100,
        }

    def as_service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["deposit_cents"] = int(data.pop("deposit") * 100)
        return data


class CategoryForm(Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    rank = forms.IntegerField(
        label=_("Rank"), min_value=0, max_value=999, initial=10, help_text=_("Lower is served first.")
    )


class ResidentSearchForm(Form):
    q = forms.CharField(label=_("Name or postcode"), max_length=100, required=False)


class _EligibilityOverrideMixin:
    """Adds "exception to the rules" for an ineligible resident, only for who may make one."""

    def add_override(self, *, eligible: bool, may_override: bool) -> None:
        if not eligible and may_override:
            self.fields["override_reason"] = forms.CharField(
                label=_("Exception to the lending rules: why?"),
                max_length=300,
                required=False,
                help_text=_(
                    "This resident does not meet the rules. As coordinator you may make an exception; "
                    "the reason is recorded."
                ),
            )


class WaitingForm(_EligibilityOverrideMixin, Form):
    category = forms.ModelChoiceField(label=_("Priority category"), queryset=PriorityCategory.objects.none())
    device_kind = forms.ChoiceField(label=_("Device wanted"), choices=DeviceKind.choices, initial="laptop")
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        help_text=_("Only what the desk needs, e.g. “needs an AZERTY keyboard”."),
    )

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories


class HandoverForm(_EligibilityOverrideMixin, Form):
    kind = forms.ChoiceField(
        label=_("Kind of hand-over"),
        choices=LoanKind.choices,
        initial=LoanKind.LOAN,
        widget=forms.RadioSelect,
        help_text=_("A gift (schenking) is for good: no due date, the resident becomes the owner."),
    )
    asset_tag = KeyChoiceField(
        key="asset_tag",
        label=_("Asset tag of the device"),
        help_text=_("Scan or type the tag on the device's label."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        error_messages={"invalid_choice": _("No device with this asset tag in this network.")},
    )
    started_on = forms.DateField(label=_("Handed over on"), **DATE_WIDGET)
    due_on = forms.DateField(
        label=_("Due on"),
        required=False,
        help_text=_("Empty: the loan period of the network. Not used for a gift."),
        **DATE_WIDGET,
    )
    deposit = _euro_field(_("Deposit (EUR)"))
    condition = forms.ChoiceField(label=_("Condition at hand-over"), choices=Condition.choices)
    condition_notes = forms.CharField(
        label=_("Remarks on the condition"),
        max_length=200,
        required=False,
        help_text=_("E.g. “small scratch on the lid”, “with charger and bag”."),
    )

    def __init__(self, *args, devices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["asset_tag"].queryset = devices

    ADDRESS_FIELDS = ("street", "postcode", "city")

    def add_address(self, resident) -> None:
        """The agreement names the resident's address: when it is missing, ask for it right here
        (what is known, e.g. the postcode, filled in).

        Left as it was, the hand-over goes ahead (someone without a fixed address can borrow too).
        The residents service validates and saves it, in the hand-over's transaction.
        """
        self._address_known = {name: getattr(resident, name) or "" for name in self.ADDRESS_FIELDS}
        for name, value in self._address_known.items():
            self.initial.setdefault(name, value)
        self.fields["street"] = forms.CharField(
            label=_("Street and number"),
            max_length=200,
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
        )
        self.fields["postcode"] = forms.CharField(
            label=_("Postcode"),
            max_length=10,  # "3 000" is cleaned to 3000; the residents service checks the four digits
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
        )
        self.fields["city"] = forms.CharField(
            label=_("Municipality"),
            max_length=100,
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
        )

    def clean_postcode(self):
        return "".join(self.cleaned_data["postcode"].split())

    def address(self) -> dict | None:
        """The address typed in (None when the fields were not shown or nothing was changed)."""
        if "street" not in self.fields:
            return None
        values = {name: self.cleaned_data.get(name, "").strip() for name in self.ADDRESS_FIELDS}
        return values if any(values.values()) and values != self._address_known else None

    def clean_started_on(self):
        started_on = self.cleaned_data["started_on"]
        if started_on > timezone.localdate():
            raise forms.ValidationError(_("The hand-over date cannot be in the future."))
        return started_on

    def clean(self):
        data = super().clean()
        started_on, due_on = data.get("started_on"), data.get("due_on")
        if data.get("kind") == LoanKind.LOAN and started_on and due_on and due_on < started_on:
            self.add_error("due_on", _("The due date cannot be before the hand-over date."))
        address = self.address()
        if address:
            for name in self.ADDRESS_FIELDS:
                if not address[name] and name not in self.errors:
                    self.add_error(name, _("Fill in the whole address, or leave it empty."))
        return data

    def condition_text(self) -> str:
        label = str(Condition(self.cleaned_data["condition"]).label)
        notes = self.cleaned_data.get("condition_notes", "").strip()
        return f"{label}: {notes}" if notes else label


class ExtendForm(Form):
    due_on = forms.DateField(label=_("New due date"), **DATE_WIDGET)

    def __init__(self, *args, loan, **kwargs):
        super().__init__(*args, **kwargs)
        self.loan = loan

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if self.loan.due_on and due_on <= self.loan.due_on:
            raise forms.ValidationError(_("The new due date must be later than the current one."))
        return due_on


class ReturnForm(Form):
    returned_on = forms.DateField(label=_("Returned on"), **DATE_WIDGET)
    condition = forms.ChoiceField(label=_("Condition at return"), choices=Condition.choices)
    condition_notes = forms.CharField(
        label=_("Remarks on the condition"),
        max_length=200,
        required=False,
        help_text=_("What is missing or damaged, e.g. “charger missing”."),
    )
    deposit_refunded = forms.BooleanField(label=_("Deposit refunded"), required=False)

    def __init__(self, *args, loan, **kwargs):
        super().__init__(*args, **kwargs)
        self.loan = loan
        if not loan.deposit_cents:
            del self.fields["deposit_refunded"]

    def clean_returned_on(self):
        returned_on = self.cleaned_data["returned_on"]
        if returned_on > timezone.localdate():
            raise forms.ValidationError(_("The return date cannot be in the future."))
        if returned_on < self.loan.started_on:
            raise forms.ValidationError(_("The return date cannot be before the hand-over date."))
        return returned_on

    def condition_text(self) -> str:
        label = str(Condition(self.cleaned_data["condition"]).label)
        notes = self.cleaned_data.get("condition_notes", "").strip()
        return f"{label}: {notes}" if notes else label


class LostForm(Form):
    status = forms.ChoiceField(
        label=_("What happened?"),
        choices=[(LoanStatus.LOST, _("Lost")), (LoanStatus.STOLEN, _("Stolen"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=200,
        required=False,
        help_text=_("For a theft: the police report number."),
    )


class OfferDeviceForm(Form):
    asset_tag = KeyChoiceField(
        key="asset_tag",
        label=_("Asset tag of a ready device"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        error_messages={"invalid_choice": _("No device with this asset tag in this network.")},
    )

    def __init__(self, *args, devices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["asset_tag"].queryset = devices


class LoanFilterForm(Form):
    show = forms.ChoiceField(label=_("Show"), choices=list(LOAN_FILTERS.items()), required=False)


class WaitingFilterForm(Form):
    kind = forms.ChoiceField(
        label=_("Device"), choices=[("", _("All kinds")), *DeviceKind.choices], required=False
    )


class CallDoneForm(Form):
    reminder = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class LettersForm(Form):
    day = forms.DateField(label=_("Day"), required=False, **DATE_WIDGET)

    def day_or_today(self) -> datetime.date:
        if self.is_valid() and self.cleaned_data.get("day"):
            return self.cleaned_data["day"]
        return timezone.localdate()
