"""Forms of the device pages. They check input; the rules live in services.py."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from digibank.lib.forms import Form, ModelForm

from . import checklist, lshw, nwipe
from .lifecycle import LENDING_ONLY, DeviceStatus, allowed_next
from .models import (
    Device,
    DeviceKind,
    DonationBatch,
    Location,
    RepairStatus,
    RepairTask,
    WipeMethod,
    WipeRecord,
)
from .services import serial_owner

MAX_UPLOAD = 20 * 1024 * 1024


def _batches(network_id: int):
    return (
        DonationBatch.objects.in_network(network_id).select_related("donor").order_by("-received_on", "-pk")
    )


class BatchChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        # The reference and date only: a private donor's name does not belong in every dropdown.
        return f"{obj.reference} ({obj.received_on:%d/%m/%Y})"


def _read_upload(upload, limit: int) -> bytes:
    if upload.size > limit:
        raise forms.ValidationError(_("The file is too large."))
    return upload.read()


class DeviceForm(ModelForm):
    """Register or edit a device. On registration, an lshw file may fill in the specs."""

    lshw_file = forms.FileField(
        label=_("Specs from lshw (optional)"),
        required=False,
        help_text=_("The output of “sudo lshw -json > specs.json” taken on the device fills in the specs."),
    )

    class Meta:
        model = Device
        fields = [
            "kind",
            "brand",
            "model",
            "serial",
            "condition",
            "location",
            "batch",
            "cpu",
            "ram_gb",
            "storage_gb",
            "storage_type",
            "disk_serials",
            "battery_health",
            "os",
            "keyboard_layout",
            "weight_kg",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "storage_type": _("For example SSD, HDD, NVMe or eMMC"),
            "keyboard_layout": _("For example AZERTY (BE) or QWERTY (US)"),
        }

    def __init__(self, *args, network, with_lshw: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.network = network
        self.specs: lshw.Specs | None = None
        if not with_lshw:
            del self.fields["lshw_file"]
        self.fields["kind"].required = False  # lshw may tell; checked in clean()
        self.fields["kind"].choices = [("", _("Choose a kind")), *DeviceKind.choices]
        current_location = self.instance.location_id if self.instance.pk else None
        # Locations no longer in use are offered only to a device that is still registered there.
        self.fields["location"].queryset = Location.objects.in_network(network).filter(
            Q(is_active=True) | Q(pk=current_location)
        )
        batches = _batches(network.pk)
        if batches is None:
            del self.fields["batch"]
        else:
            self.fields["batch"] = BatchChoiceField(
                queryset=batches, required=False, label=_("Donation batch"), empty_label=_("No batch")
            )
        self.fields["battery_health"].widget.attrs.update({"min": 0, "max": 100})

    def clean_lshw_file(self):
        upload = self.cleaned_data.get("lshw_file")
        if upload:
            try:
                self.specs = lshw.parse(_read_upload(upload, lshw.MAX_BYTES))
            except lshw.LshwError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return upload

    def clean(self):
        data = super().clean()
        if self.specs is not None:
            # The form's own values win; lshw fills what was left empty.
            for key, value in self.specs.device_values().items():
                if key in self.fields and data.get(key) in ("", None):
                    data[key] = value
            if not data.get("kind") and self.specs.kind:
                data["kind"] = self.specs.kind
        if not data.get("kind") and "kind" not in self.errors:
            self.add_error("kind", _("Choose the kind of device."))
        serial = (data.get("serial") or "").strip()
        owner = serial_owner(network_id=self.network.pk, serial=serial, exclude_pk=self.instance.pk)
        if owner is not None:
            self.add_error(
                "serial" if "serial" not in self.errors else None,
                _("This serial number is already registered as device %(tag)s.") % {"tag": owner.asset_tag},
            )
        return data

    def device_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "lshw_file"}


class SpecsUploadForm(Form):
    lshw_file = forms.FileField(
        label=_("lshw output (JSON)"),
        help_text=_("Run “sudo lshw -json > specs.json” on the device (for example from a live USB stick)."),
    )
    overwrite = forms.BooleanField(
        label=_("Also replace values that are already filled in"), required=False, initial=True
    )

    def clean_lshw_file(self):
        upload = self.cleaned_data["lshw_file"]
        try:
            self.specs = lshw.parse(_read_upload(upload, lshw.MAX_BYTES))
        except lshw.LshwError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload


class StatusChoiceField(forms.ChoiceField):
    """Shows the allowed next statuses, but accepts any status: a forbidden one then gets the
    lifecycle's own clear message from the service instead of a generic "not a valid choice"."""

    def valid_value(self, value) -> bool:
        return value in DeviceStatus.values


class StatusForm(Form):
    to_status = StatusChoiceField(label=_("New status"), widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Reason or note"), max_length=300, required=False)
    recycler = forms.CharField(
        label=_("Recycler"),
        max_length=150,
        required=False,
        help_text=_("Only when retiring the device: required for “recycled”."),
    )
    recycler_certificate = forms.CharField(
        label=_("Recycler's certificate number"),
        max_length=100,
        required=False,
        help_text=_("Only when retiring the device: required for “recycled”."),
    )

    def __init__(self, *args, device: Device, **kwargs):
        super().__init__(*args, **kwargs)
        # Reserved and lent devices change status from their offer or loan (lending), not here.
        allowed = frozenset() if device.status in LENDING_ONLY else allowed_next(device.status) - LENDING_ONLY
        self.fields["to_status"].choices = [(s.value, s.label) for s in DeviceStatus if s in allowed]
        self.has_choices = bool(allowed)


class WipeForm(ModelForm):
    succeeded = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("1", _("Successful")), ("0", _("Failed"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    performed_at = forms.DateTimeField(
        label=_("Performed at"),
        # To the second: readiness needs a wipe after the device came in (received or returned),
        # and a wipe done in the same minute must not look older than that moment.
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "step": "1"}, format="%Y-%m-%dT%H:%M:%S"),
    )

    class Meta:
        model = WipeRecord
        fields = ["method", "tool", "performed_at", "succeeded", "verification", "disk_serial"]
        widgets = {"method": forms.RadioSelect}
        help_texts = {
            "tool": _("For example nwipe 0.35, ShredOS, Blancco, the manufacturer's secure-erase tool"),
            "verification": _("How the result was verified, e.g. “last pass read back: all zeros”"),
            "disk_serial": _("When the device has several disks, the serial number of the disk wiped"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = WipeMethod.choices
        if not self.is_bound:
            self.initial.setdefault("performed_at", timezone.localtime().replace(microsecond=0))
            self.initial.setdefault("method", WipeMethod.CLEAR)


class NwipeImportForm(Form):
    log_file = forms.FileField(
        label=_("nwipe log file"), help_text=_("The file nwipe wrote with --logfile (plain text).")
    )
    dry_run = forms.BooleanField(
        label=_("Only check: show what would be imported, save nothing"), required=False
    )

    def clean_log_file(self):
        upload = self.cleaned_data["log_file"]
        try:
            self.log = nwipe.parse(_read_upload(upload, nwipe.MAX_BYTES))
        except nwipe.NwipeError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload


class QualityCheckForm(Form):
    notes = forms.CharField(label=_("Notes"), max_length=300, required=False)

    def __init__(self, *args, device: Device, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = checklist.items_for(device.kind)
        notes = self.fields.pop("notes")
        for item in self.items:
            self.fields[f"item_{item.key}"] = forms.BooleanField(label=item.label, required=False)
        self.fields["notes"] = notes

    def answers(self) -> dict[str, bool]:
        return {item.key: bool(self.cleaned_data.get(f"item_{item.key}")) for item in self.items}


class VolunteerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class RepairTaskForm(ModelForm):
    class Meta:
        model = RepairTask
        fields = ["title", "assigned_to"]

    def __init__(self, *args, volunteers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"] = VolunteerChoiceField(
            queryset=volunteers,
            required=False,
            label=_("Assigned to"),
            empty_label=_("Nobody yet"),
            help_text=_("Volunteers (PC doctors) of this network"),
        )


class RepairWorkForm(ModelForm):
    class Meta:
        model = RepairTask
        fields = ["diagnosis", "parts_used", "minutes_spent"]
        widgets = {"diagnosis": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"minutes_spent": _("In total, for this task")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["minutes_spent"].widget.attrs.update({"min": 0, "max": 100000, "inputmode": "numeric"})
        self.fields["minutes_spent"].max_value = 100000


class RepairFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *RepairStatus.choices]
    )


class LocationForm(ModelForm):
    class Meta:
        model = Location
        fields = ["name", "address", "is_active"]

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.network = network

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = (
            Location.objects.in_network(self.network).filter(name__iexact=name).exclude(pk=self.instance.pk)
        )
        if taken.exists():
            raise forms.ValidationError(_("This network already has a location with this name."))
        return name


class StockTakeStartForm(Form):
    location = forms.ModelChoiceField(label=_("Location"), queryset=Location.objects.none())

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = Location.objects.in_network(network).filter(is_active=True)


class ScanForm(Form):
    code = forms.CharField(
        label=_("Scan the QR code or type the asset tag"),
        max_length=300,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "off", "autocapitalize": "characters"}
        ),
    )


class DeviceFilterForm(forms.Form):
    """The filters above the device list and its exports. Unknown values are ignored."""

    q = forms.CharField(label=_("Tag, serial, brand or model"), required=False, max_length=100)
    status = forms.MultipleChoiceField(
        label=_("Status"), required=False, choices=DeviceStatus.choices, widget=forms.CheckboxSelectMultiple
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *DeviceKind.choices]
    )
    location = forms.ModelChoiceField(
        label=_("Location"), required=False, queryset=Location.objects.none(), empty_label=_("All locations")
    )
    batch = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = Location.objects.in_network(network)

    def filters(self) -> dict:
        """Keyword arguments for selectors.device_list (empty when the form is not valid)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "statuses": data["status"],
            "kind": data["kind"],
            "location_id": data["location"].pk if data["location"] else None,
            "batch_id": data["batch"],
            "query": data["q"],
        }


class LabelsForm(Form):
    tags = forms.CharField(
        label=_("Asset tags"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Separated by spaces, commas or new lines"),
    )
    skip = forms.IntegerField(
        label=_("Labels already used on the sheet"),
        required=False,
        min_value=0,
        max_value=23,
        initial=0,
        help_text=_("Printing starts after this many labels (left to right, top to bottom)"),
    )

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        batches = _batches(network.pk)
        if batches is not None:
            self.fields["batch"] = BatchChoiceField(
                queryset=batches, required=False, label=_("Every device of a donation batch"), empty_label="—"
            )
            self.order_fields(["batch", "tags", "skip"])
