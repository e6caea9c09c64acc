from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from digibank.lib.forms import Form, ModelForm

from ..models import Device, DeviceKind, DonationBatch, Donor, DonorKind, ImportKind
from ..services import serial_owner
from . import selectors
from .imports import MAX_FILE_BYTES, mapping_choices
from .services import donor_person_problems, vat_normalise


class DonorForm(ModelForm):
    class Meta:
        model = Donor
        fields = ["kind", "name", "vat_number", "contact_name", "email", "phone", "address"]
        widgets = {"kind": forms.RadioSelect}
        help_texts = {
            "vat_number": _("Companies and organisations only, e.g. BE 0403.170.701."),
            "contact_name": _("Companies and organisations only."),
            "address": _("Companies and organisations only: it appears on the receipt and certificate."),
            "email": _("For a private person: e-mail or phone is enough, or nothing at all."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = DonorKind.choices
        if self.instance.pk and self.instance.vat_number:
            self.initial["vat_number"] = self.instance.vat_display

    def clean_vat_number(self):
        return self.cleaned_data["vat_number"].strip()

    def clean(self):
        cleaned = super().clean()
        for field, message in donor_person_problems(cleaned).items():
            self.add_error(field, message)
        if cleaned.get("kind") == DonorKind.ORGANISATION and cleaned.get("vat_number"):
            try:
                cleaned["vat_number"] = vat_normalise(cleaned["vat_number"])
            except ValidationError as error:
                self.add_error("vat_number", error)
        return cleaned

    def _post_clean(self):
        # Model validation runs in the service, with the normalised VAT number.
        pass


class DonorSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or VAT number"), required=False)


class BatchForm(ModelForm):
    class Meta:
        model = DonationBatch
        fields = ["donor", "received_on", "collection_point", "expected_count", "notes"]
        widgets = {
            "received_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        self.fields["donor"].queryset = selectors.donor_choices(network=network, current_id=instance.donor_id)
        self.fields["collection_point"].queryset = selectors.location_choices(
            network=network, current_id=instance.collection_point_id
        )
        if not instance.pk:
            self.initial.setdefault("received_on", timezone.localdate())

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on > timezone.localdate():
            raise ValidationError(_("A batch cannot be received in the future."))
        return received_on

    def _post_clean(self):
        pass


class DeviceQuickForm(ModelForm):
    """Registering a device against a batch in a few seconds: kind, brand, model, serial."""

    class Meta:
        model = Device
        fields = ["kind", "brand", "model", "serial"]

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.network = network
        self.fields["kind"].choices = DeviceKind.choices
        self.fields["kind"].initial = DeviceKind.LAPTOP
        self.fields["serial"].help_text = _("As printed on the sticker; leave empty if there is none.")

    def clean_serial(self):
        serial = self.cleaned_data["serial"].strip()
        if owner := serial_owner(network_id=self.network.pk, serial=serial):
            raise ValidationError(
                _("This serial number is already registered as device %(tag)s."),
                params={"tag": owner.asset_tag},
            )
        return serial

    def _post_clean(self):
        pass


class ImportUploadForm(Form):
    kind = forms.ChoiceField(
        label=_("What does the file hold?"), choices=ImportKind.choices, widget=forms.RadioSelect
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "XLSX or CSV (as Excel saves it: any encoding, commas, semicolons or tabs), at most 2 MB. "
            "A title above the column names is fine."
        ),
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(_("The file is larger than 2 MB; split it into smaller files."))
        return upload


class ColumnMappingForm(Form):
    """The mapping step: for each column the import does not know, what it holds (or nothing).

    Built from the uploaded file's unknown columns, never from posted names: the answers are
    remembered for the network (``imports.column_mappings_save``).
    """

    def __init__(self, *args, unmapped: list[tuple[str, str]], kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.unmapped = unmapped
        for index, (_key, label) in enumerate(unmapped):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=label, choices=mapping_choices(kind), required=False
            )

    def answers(self) -> dict[str, str]:
        return {
            key: self.cleaned_data[f"column_{index}"] for index, (key, _label) in enumerate(self.unmapped)
        }
