"""Donors, donation batches, their PDFs and exports, and the bulk import of devices and donations."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from digibank.lib import exports
from digibank.lib.forms import add_errors
from digibank.lib.pdf import pdf_response, render_pdf
from digibank.networks.access import staff_view

from ..models import DonationBatch, Donor, DonorKind, ImportKind
from . import imports, selectors, services
from .forms import BatchForm, ColumnMappingForm, DeviceQuickForm, DonorForm, DonorSearchForm, ImportUploadForm

# Between the dry run and "confirm" the uploaded file (at most 2 MB) waits in the session,
# which is stored server-side (database sessions), with its SHA-256; the confirm form posts
# that hash back. We keep the file rather than the checked rows because confirm checks the
# whole file again (the database may have changed meanwhile) and only then writes, in one
# transaction. Nothing is kept after a failed dry run, a failed import or a success.
IMPORT_SESSION_KEY = "donations_import"


def _year(value: str) -> int | None:
    return int(value) if value.isdigit() and 1990 <= int(value) <= 2100 else None


# --- donors --------------------------------------------------------------------------------


@staff_view("device.view")
def donor_list(request: HttpRequest) -> HttpResponse:
    form = DonorSearchForm(request.GET or None)
    q = request.GET.get("q", "")
    donors = selectors.donor_list(membership=request.membership, q=q)
    template = "donations/donor_list.html#results" if request.htmx else "donations/donor_list.html"
    return render(request, template, {"donors": donors, "form": form, "q": q})


@staff_view("device.manage")
def donor_create(request: HttpRequest) -> HttpResponse:
    form = DonorForm(request.POST or None, initial={"kind": DonorKind.ORGANISATION})
    if request.method == "POST" and form.is_valid():
        try:
            donor = services.donor_create(network=request.network, actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("%(name)s is added.") % {"name": donor.name})
            return redirect("donations:donor_detail", pk=donor.pk)
    return render(request, "donations/donor_form.html", {"form": form, "donor": None})


@staff_view("device.view", model=Donor)
def donor_detail(request: HttpRequest, donor: Donor) -> HttpResponse:
    batches = selectors.batch_list(membership=request.membership, donor=donor)
    return render(request, "donations/donor_detail.html", {"donor": donor, "batches": batches})


@staff_view("device.manage", model=Donor)
def donor_edit(request: HttpRequest, donor: Donor) -> HttpResponse:
    form = DonorForm(request.POST or None, instance=donor)
    if request.method == "POST" and form.is_valid():
        try:
            services.donor_update(donor=donor, actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The donor is saved."))
            return redirect("donations:donor_detail", pk=donor.pk)
    donor.refresh_from_db()
    return render(request, "donations/donor_form.html", {"form": form, "donor": donor})


@require_POST
@staff_view("device.manage", model=Donor)
def donor_anonymise(request: HttpRequest, donor: Donor) -> HttpResponse:
    if request.POST.get("confirm") != "yes":
        # An empty POST changes nothing.
        messages.error(request, _("Tick the box to confirm the anonymisation."))
        return redirect("donations:donor_detail", pk=donor.pk)
    try:
        services.donor_anonymise(donor=donor, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The donor's name and contact data are erased."))
    return redirect("donations:donor_detail", pk=donor.pk)


# --- batches -------------------------------------------------------------------------------


@staff_view("device.view")
def batch_list(request: HttpRequest) -> HttpResponse:
    year = _year(request.GET.get("year", ""))
    batches = selectors.batch_list(membership=request.membership, year=year)
    context = {
        "batches": batches,
        "year": year,
        "years": selectors.batch_years(membership=request.membership),
    }
    template = "donations/batch_list.html#results" if request.htmx else "donations/batch_list.html"
    return render(request, template, context)


@staff_view("device.view")
def batch_list_export(request: HttpRequest) -> HttpResponse:
    year = _year(request.GET.get("year", ""))
    batches = selectors.batch_list(membership=request.membership, year=year)
    headers = [
        _("Reference"),
        _("Donor"),
        _("Donor kind"),
        _("Received on"),
        _("Collection point"),
        _("Expected"),
        _("Registered"),
        _("Wiped"),
        _("Reused"),
        _("Notes"),
    ]
    rows = (
        [
            b.reference,
            b.donor.name,
            b.donor.get_kind_display(),
            b.received_on,
            b.collection_point.name if b.collection_point else "",
            b.expected_count,
            b.registered_count,
            b.wiped_count,
            b.reused_count,
            b.notes,
        ]
        for b in batches
    )
    filename = f"donation-batches-{year}" if year else "donation-batches"
    return exports.table_response(
        fmt=request.GET.get("format", "csv"),
        filename=filename,
        headers=headers,
        rows=rows,
        title=_("Batches"),
    )


@staff_view("device.manage")
def batch_create(request: HttpRequest) -> HttpResponse:
    initial = {}
    if donor_id := request.GET.get("donor", ""):
        donor = (
            selectors.donor_choices(network=request.network).filter(pk=donor_id).first()
            if donor_id.isdigit()
            else None
        )
        if donor is not None:
            initial["donor"] = donor
    form = BatchForm(request.POST or None, initial=initial, network=request.network)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.batch_create(network=request.network, actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("Batch %(reference)s is registered.") % {"reference": batch.reference}
            )
            return redirect("donations:batch_detail", pk=batch.pk)
    return render(request, "donations/batch_form.html", {"form": form, "batch": None})


def _batch_page(request: HttpRequest, batch_pk: int, *, device_form=None, just_added=None, status=200):
    batch = selectors.batch_with_counts(membership=request.membership, pk=batch_pk)
    devices = list(selectors.batch_devices(membership=request.membership, batch=batch))
    context = {
        "batch": batch,
        "devices": devices,
        "kind_counts": selectors.batch_kind_counts(devices=devices),
        "device_form": device_form or DeviceQuickForm(network=request.network, auto_id="device_%s"),
        "just_added": just_added,
        "missing": max(0, batch.expected_count - batch.registered_count),
    }
    template = "donations/batch_detail.html#devices" if request.htmx else "donations/batch_detail.html"
    return render(request, template, context, status=status)


@staff_view("device.view", model=DonationBatch)
def batch_detail(request: HttpRequest, batch: DonationBatch) -> HttpResponse:
    return _batch_page(request, batch.pk)


@staff_view("device.manage", model=DonationBatch)
def batch_edit(request: HttpRequest, batch: DonationBatch) -> HttpResponse:
    form = BatchForm(request.POST or None, instance=batch, network=request.network)
    if request.method == "POST" and form.is_valid():
        try:
            services.batch_update(batch=batch, actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The batch is saved."))
            return redirect("donations:batch_detail", pk=batch.pk)
    batch.refresh_from_db()
    return render(request, "donations/batch_form.html", {"form": form, "batch": batch})


@require_POST
@staff_view("device.manage", model=DonationBatch)
def batch_device_add(request: HttpRequest, batch: DonationBatch) -> HttpResponse:
    """Register one device against the batch, then show an empty form again for the next one."""
    form = DeviceQuickForm(request.POST, network=request.network, auto_id="device_%s")
    if form.is_valid():
        try:
            device = services.batch_device_register(batch=batch, actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            if request.htmx:
                return _batch_page(request, batch.pk, just_added=device)
            messages.success(request, _("%(tag)s is registered.") % {"tag": device.asset_tag})
            return redirect("donations:batch_detail", pk=batch.pk)
    return _batch_page(request, batch.pk, device_form=form)


@staff_view("device.view", model=DonationBatch)
def batch_receipt(request: HttpRequest, batch: DonationBatch) -> HttpResponse:
    devices = list(selectors.batch_devices(membership=request.membership, batch=batch))
    context = {
        "batch": batch,
        "donor": batch.donor,
        "network": request.network,
        "devices_count": len(devices),
        "kind_counts": selectors.batch_kind_counts(devices=devices),
        "issued_on": timezone.localdate(),
    }
    pdf = render_pdf("donations/pdf/receipt.html", context, request=request)
    return pdf_response(pdf, f"receipt-{batch.reference}.pdf")


@staff_view("device.view", model=DonationBatch)
def batch_certificate(request: HttpRequest, batch: DonationBatch) -> HttpResponse:
    wiped, not_wiped = selectors.certificate_devices(batch=batch)
    context = {
        "batch": batch,
        "donor": batch.donor,
        "network": request.network,
        "wiped": wiped,
        "not_wiped": not_wiped,
        "issued_on": timezone.localdate(),
    }
    pdf = render_pdf("donations/pdf/wipe_certificate.html", context, request=request)
    return pdf_response(pdf, f"wipe-certificate-{batch.reference}.pdf")


@staff_view("device.view", model=DonationBatch)
def batch_export(request: HttpRequest, batch: DonationBatch) -> HttpResponse:
    devices = selectors.batch_devices(membership=request.membership, batch=batch)
    headers = [
        _("Asset tag"),
        _("Kind"),
        _("Brand"),
        _("Model"),
        _("Serial number"),
        _("Status"),
        _("Location"),
        _("Condition"),
        _("Wiped"),
    ]
    rows = (
        [
            d.asset_tag,
            d.get_kind_display(),
            d.brand,
            d.model,
            d.serial,
            d.get_status_display(),
            d.location.name if d.location else "",
            d.get_condition_display(),
            _("yes") if d.wiped else _("no"),
        ]
        for d in devices
    )
    return exports.table_response(
        fmt=request.GET.get("format", "csv"),
        filename=f"devices-{batch.reference}",
        headers=headers,
        rows=rows,
        title=batch.reference,
    )


# --- bulk import ---------------------------------------------------------------------------


def _import_page(
    request: HttpRequest, *, form, plan=None, mapping_form=None, status: int = 200
) -> HttpResponse:
    if plan is not None and plan.unmapped and not plan.file_errors and mapping_form is None:
        mapping_form = ColumnMappingForm(unmapped=plan.unmapped, kind=plan.kind)
    context = {
        "form": form,
        "plan": plan,
        "mapping_form": mapping_form,
        "runs": selectors.import_runs(membership=request.membership),
        "kinds": ImportKind.choices,
    }
    return render(request, "donations/import.html", context, status=status)


@staff_view("device.manage")
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload → dry run: every row is checked and nothing is written."""
    form = ImportUploadForm(request.POST or None, request.FILES or None, initial={"kind": ImportKind.DEVICES})
    plan = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        plan = imports.plan_import(
            network_id=request.network.pk,
            kind=form.cleaned_data["kind"],
            content=content,
            filename=upload.name,
        )
        _keep_pending(request, plan, content)
    return _import_page(request, form=form if plan is None or not plan.ok else ImportUploadForm(), plan=plan)


def _keep_pending(request: HttpRequest, plan, content: bytes) -> None:
    """Keep the file for "confirm" (a clean dry run) or for the mapping step (unknown columns)."""
    request.session.pop(IMPORT_SESSION_KEY, None)
    if plan.ok or (plan.unmapped and not plan.file_errors):
        request.session[IMPORT_SESSION_KEY] = {
            "sha256": plan.sha256,
            "kind": plan.kind,
            "filename": plan.filename,
            "content": base64.b64encode(content).decode("ascii"),
        }


@require_POST
@staff_view("device.manage")
def import_mapping(request: HttpRequest) -> HttpResponse:
    """The mapping step: say what the unknown columns hold, remember it, check the file again."""
    pending = request.session.get(IMPORT_SESSION_KEY)
    if not pending or pending.get("sha256") != request.POST.get("sha256"):
        messages.error(request, _("There is no checked file waiting to be imported; upload it again."))
        return redirect("donations:import")
    content = base64.b64decode(pending["content"])
    plan = imports.plan_import(
        network_id=request.network.pk, kind=pending["kind"], content=content, filename=pending["filename"]
    )
    mapping_form = ColumnMappingForm(request.POST, unmapped=plan.unmapped, kind=plan.kind)
    if plan.unmapped and mapping_form.is_valid():
        try:
            imports.column_mappings_save(
                network=request.network, actor=request.user, kind=plan.kind, answers=mapping_form.answers()
            )
        except ValidationError as error:
            add_errors(mapping_form, error)
            return _import_page(request, form=ImportUploadForm(), plan=plan, mapping_form=mapping_form)
        messages.success(request, _("The columns are remembered for the next file."))
        plan = imports.plan_import(
            network_id=request.network.pk, kind=pending["kind"], content=content, filename=pending["filename"]
        )
        mapping_form = None
    _keep_pending(request, plan, content)
    return _import_page(
        request, form=ImportUploadForm(initial={"kind": plan.kind}), plan=plan, mapping_form=mapping_form
    )


@require_POST
@staff_view("device.manage")
def import_confirm(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(IMPORT_SESSION_KEY)
    if not pending or pending.get("sha256") != request.POST.get("sha256"):
        # An empty or stale POST writes nothing.
        messages.error(request, _("There is no checked file waiting to be imported; upload it again."))
        return redirect("donations:import")
    content = base64.b64decode(pending["content"])
    try:
        run = imports.import_run_create(
            network=request.network,
            actor=request.user,
            kind=pending["kind"],
            content=content,
            filename=pending["filename"],
        )
    except imports.ImportFailed as failed:
        request.session.pop(IMPORT_SESSION_KEY, None)
        messages.error(request, _("Nothing was imported: the file has problems (see below)."))
        return _import_page(request, form=ImportUploadForm(), plan=failed.plan)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("donations:import")
    request.session.pop(IMPORT_SESSION_KEY, None)
    if run.kind == ImportKind.DEVICES:
        text = ngettext("%(count)s device is imported.", "%(count)s devices are imported.", run.row_count)
    else:
        text = ngettext(
            "%(count)s donation batch is imported.", "%(count)s donation batches are imported.", run.row_count
        )
    messages.success(request, text % {"count": run.row_count})
    return redirect("donations:batch_list" if run.kind == ImportKind.DONATIONS else "donations:import")


@staff_view("device.manage")
def import_template(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", ImportKind.DEVICES)
    if kind not in ImportKind.values:
        kind = ImportKind.DEVICES
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(imports.template_xlsx(kind), content_type=exports.XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="digibank-{kind}-template.xlsx"'
    else:
        response = HttpResponse(imports.template_csv(kind), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="digibank-{kind}-template.csv"'
    return response
