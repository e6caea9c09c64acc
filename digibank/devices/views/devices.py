"""The device list, register/edit, the device page with its history, status changes and exports."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from digibank.lib.forms import add_errors
from digibank.networks.access import staff_view

from .. import exports, readiness, selectors, services
from ..forms import (
    DeviceFilterForm,
    DeviceForm,
    NwipeImportForm,
    QualityCheckForm,
    SpecsUploadForm,
    StatusForm,
)
from ..lifecycle import DeviceStatus, allowed_next
from ..models import Device, StockTake


def _filters(request: HttpRequest) -> tuple[DeviceFilterForm, dict]:
    form = DeviceFilterForm(request.GET or None, network=request.network)
    return form, form.filters() if request.GET else {}


@require_GET
@staff_view("device.view")
def device_list(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    devices = selectors.device_list(membership=request.membership, **filters)
    page = Paginator(devices, selectors.DEVICES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "devices": list(page.object_list), "query": query.urlencode()}
    template = "devices/list.html#results" if request.htmx else "devices/list.html"
    return render(request, template, context)


@require_GET
@staff_view("device.view")
def device_export_csv(request: HttpRequest) -> HttpResponse:
    _form, filters = _filters(request)
    devices = selectors.device_list(membership=request.membership, **filters)
    return exports.device_table_response(
        devices, fmt="csv", filename=f"devices-{timezone.localdate():%Y-%m-%d}"
    )


@require_GET
@staff_view("device.view")
def device_export_xlsx(request: HttpRequest) -> HttpResponse:
    _form, filters = _filters(request)
    devices = selectors.device_list(membership=request.membership, **filters)
    return exports.device_table_response(
        devices, fmt="xlsx", filename=f"devices-{timezone.localdate():%Y-%m-%d}"
    )


@require_http_methods(["GET", "POST"])
@staff_view("device.manage")
def device_create(request: HttpRequest) -> HttpResponse:
    initial = {}
    if (batch := request.GET.get("batch", "")).isdigit():
        initial["batch"] = int(batch)
    form = DeviceForm(request.POST or None, request.FILES or None, network=request.network, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.device_register(
                network=request.network, actor=request.user, data=form.device_data()
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Device %(tag)s is registered. Write the tag on it or print its label.")
                % {"tag": device.asset_tag},
            )
            if "another" in request.POST:
                return redirect(f"{request.path}?batch={device.batch_id or ''}")
            return redirect("devices:detail", pk=device.pk)
    return render(request, "devices/form.html", {"form": form, "device": None})


@require_http_methods(["GET", "POST"])
@staff_view("device.manage", model=Device)
def device_edit(request: HttpRequest, device: Device) -> HttpResponse:
    # The form works on a copy: a ModelForm writes into its instance while validating, and the
    # service must compare against what is stored.
    form = DeviceForm(
        request.POST or None, instance=copy.copy(device), network=request.network, with_lshw=False
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.device_update(device=device, actor=request.user, data=form.device_data())
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The changes are saved.") if changed else _("Nothing was changed."))
            return redirect("devices:detail", pk=device.pk)
    return render(request, "devices/form.html", {"form": form, "device": device})


@require_GET
@staff_view("device.view", model=Device)
def device_detail(request: HttpRequest, device: Device) -> HttpResponse:
    return _render_detail(request, device)


def _render_detail(request: HttpRequest, device: Device, *, status_form: StatusForm | None = None):
    membership = request.membership
    can_manage = membership.has("device.manage")
    context = {
        "device": device,
        "history": selectors.device_history(device=device, membership=membership),
        "can_manage": can_manage,
        "next_step": readiness.next_step(device),
    }
    if can_manage:
        context["nwipe_form"] = NwipeImportForm()
        context["check_form"] = QualityCheckForm(device=device)
        context["status_form"] = status_form or StatusForm(device=device)
        context["readiness_problems"] = (
            services.readiness_problems(device) if DeviceStatus.READY in allowed_next(device.status) else []
        )
        context["open_stock_takes"] = selectors.open_stock_takes(membership=membership)
    return render(request, "devices/detail.html", context)


@require_http_methods(["GET", "POST"])
@staff_view("device.manage", model=Device)
def device_status(request: HttpRequest, device: Device) -> HttpResponse:
    """Change the status (GET shows the device page with the form). A refused change changes nothing."""
    if request.method == "GET":
        return redirect("devices:detail", pk=device.pk)
    form = StatusForm(request.POST, device=device)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.device_change_status(
                device=device,
                to_status=data["to_status"],
                actor=request.user,
                reason=data["reason"],
                recycler=data["recycler"],
                certificate=data["recycler_certificate"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                add_errors(form, exc)
            else:
                form.add_error("to_status", exc)
            device.refresh_from_db()
        else:
            messages.success(
                request,
                _("%(tag)s is now “%(status)s”.")
                % {"tag": device.asset_tag, "status": device.get_status_display()},
            )
            return redirect("devices:detail", pk=device.pk)
    return _render_detail(request, device, status_form=form)


@require_http_methods(["GET", "POST"])
@staff_view("device.manage", model=Device)
def device_specs(request: HttpRequest, device: Device) -> HttpResponse:
    """Fill the specs from an ``lshw -json`` upload. A file that cannot be read changes nothing."""
    form = SpecsUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.device_apply_specs(
                device=device, actor=request.user, specs=form.specs, overwrite=form.cleaned_data["overwrite"]
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            if changed:
                messages.success(request, _("The specs are filled in from lshw."))
            else:
                messages.info(request, _("lshw told us nothing new about this device."))
            if form.specs.battery:
                messages.info(
                    request,
                    _("Battery found: %(battery)s. lshw does not measure its wear: enter the battery health.")
                    % {"battery": form.specs.battery},
                )
            return redirect("devices:detail", pk=device.pk)
    return render(request, "devices/specs.html", {"form": form, "device": device})


@require_GET
@staff_view("device.view")
def device_by_tag(request: HttpRequest) -> HttpResponse:
    """``?tag=LEU-000123`` opens that device's page (labels and typed tags)."""
    tag = request.GET.get("tag", "").strip()
    device = selectors.device_for_code(membership=request.membership, code=tag) if tag else None
    if device is not None:
        return redirect("devices:detail", pk=device.pk)
    return render(request, "devices/by_tag.html", {"tag": tag}, status=404 if tag else 200)


@require_POST
@staff_view("device.manage", model=Device)
def device_seen(request: HttpRequest, device: Device) -> HttpResponse:
    """From the device page (opened by a phone camera on its label): seen in an open stock-take."""
    stock_take_id = request.POST.get("stock_take", "")
    stock_take = (
        StockTake.objects.visible_to(request.membership)
        .filter(pk=stock_take_id, closed_at__isnull=True)
        .first()
        if stock_take_id.isdigit()
        else None
    )
    if stock_take is None:
        messages.error(request, _("Choose an open stock-take."))
        return redirect("devices:detail", pk=device.pk)
    try:
        outcome = services.stocktake_scan(stock_take=stock_take, device=device, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(tag)s is counted at %(location)s.")
            % {"tag": device.asset_tag, "location": stock_take.location},
        )
        if outcome.elsewhere is not None:
            return redirect("devices:stocktake_detail", pk=stock_take.pk)
    return redirect("devices:detail", pk=device.pk)
