"""Stock: locations, stock-takes, the stock overview, the impact figures and QR label sheets."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from digibank.figures import FiguresPolicy
from digibank.lib.exports import figures_response
from digibank.lib.pdf import pdf_response
from digibank.networks.access import staff_view
from digibank.plugins.panels import panels_for

from .. import labels, selectors, services
from ..forms import LabelsForm, LocationForm, ScanForm, StockTakeStartForm
from ..impact import CO2E_AVOIDED_KG, DEFAULT_WEIGHT_KG, shown_impact, shown_table
from ..models import Device, DeviceKind, Location, StockTake

# A label sheet for more devices than this is split by the person printing (and the PDF stays small).
MAX_LABELS = 480


# --- locations -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_view("device.manage")
def location_list(request: HttpRequest) -> HttpResponse:
    form = LocationForm(request.POST or None, network=request.network)
    if request.method == "POST" and form.is_valid():
        services.location_create(network=request.network, actor=request.user, data=form.cleaned_data)
        messages.success(request, _("The location is added."))
        return redirect("devices:locations")
    locations = selectors.location_list(membership=request.membership)
    return render(request, "devices/locations.html", {"form": form, "locations": locations})


@require_http_methods(["GET", "POST"])
@staff_view("device.manage", model=Location)
def location_edit(request: HttpRequest, location: Location) -> HttpResponse:
    form = LocationForm(request.POST or None, instance=location, network=request.network)
    if request.method == "POST" and form.is_valid():
        services.location_update(location=location, actor=request.user, data=form.cleaned_data)
        messages.success(request, _("The changes are saved."))
        return redirect("devices:locations")
    return render(request, "devices/location_form.html", {"form": form, "location": location})


# --- stock-take ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_view("device.manage")
def stocktake_list(request: HttpRequest) -> HttpResponse:
    form = StockTakeStartForm(request.POST or None, network=request.network)
    if request.method == "POST" and form.is_valid():
        stock_take = services.stocktake_start(location=form.cleaned_data["location"], actor=request.user)
        return redirect("devices:stocktake_detail", pk=stock_take.pk)
    stock_takes = selectors.stock_take_list(membership=request.membership)[:50]
    return render(request, "devices/stocktake_list.html", {"form": form, "stock_takes": stock_takes})


def _render_stocktake(request, stock_take: StockTake, *, form=None, outcome=None, unknown: str = ""):
    context = {
        "stock_take": stock_take,
        "report": selectors.stock_take_report(stock_take=stock_take),
        "form": form or ScanForm(),
        "outcome": outcome,
        "unknown": unknown,
    }
    template = "devices/stocktake_detail.html#scanning" if request.htmx else "devices/stocktake_detail.html"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@staff_view("device.manage", model=StockTake)
def stocktake_detail(request: HttpRequest, stock_take: StockTake) -> HttpResponse:
    """The scanning page: each scan (a QR code read by a scanner, or a typed tag) confirms a device."""
    if request.method == "GET" or not stock_take.is_open:
        return _render_stocktake(request, stock_take)
    form = ScanForm(request.POST)
    if not form.is_valid():
        return _render_stocktake(request, stock_take, form=form)
    code = form.cleaned_data["code"]
    device = selectors.device_for_code(membership=request.membership, code=code)
    if device is None:
        return _render_stocktake(request, stock_take, unknown=code)
    try:
        outcome = services.stocktake_scan(stock_take=stock_take, device=device, actor=request.user)
    except ValidationError as exc:
        form.add_error("code", exc)
        return _render_stocktake(request, stock_take, form=form)
    # A fresh, empty field for the next scan.
    return _render_stocktake(request, stock_take, outcome=outcome)


@require_POST
@staff_view("device.manage", model=StockTake)
def stocktake_move(request: HttpRequest, stock_take: StockTake) -> HttpResponse:
    """A scanned device was registered elsewhere: register it here."""
    device_id = request.POST.get("device", "")
    device = (
        Device.objects.visible_to(request.membership)
        .filter(pk=device_id, pk__in=stock_take.scans.values("device_id"))
        .first()
        if device_id.isdigit()
        else None
    )
    if device is None or not stock_take.is_open:
        messages.error(request, _("Scan the device in this open stock-take first."))
    else:
        services.stocktake_move_here(stock_take=stock_take, device=device, actor=request.user)
        messages.success(
            request,
            _("%(tag)s is now registered at %(location)s.")
            % {"tag": device.asset_tag, "location": stock_take.location},
        )
    return redirect("devices:stocktake_detail", pk=stock_take.pk)


@require_POST
@staff_view("device.manage", model=StockTake)
def stocktake_close(request: HttpRequest, stock_take: StockTake) -> HttpResponse:
    if request.POST.get("confirm") != "close":
        messages.error(request, _("Confirm that you want to close the stock-take."))
        return redirect("devices:stocktake_detail", pk=stock_take.pk)
    try:
        services.stocktake_close(stock_take=stock_take, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The stock-take is closed."))
    return redirect("devices:stocktake_detail", pk=stock_take.pk)


# --- overview, impact, labels --------------------------------------------------------------


@require_GET
@staff_view("device.view")
def stock_overview(request: HttpRequest) -> HttpResponse:
    context = selectors.stock_overview(membership=request.membership)
    # What other capabilities add about the stock (lending: loans due, waiting list).
    context["panels"] = panels_for(page="stock_overview", request=request, obj=request.network)
    return render(request, "devices/overview.html", context)


@require_GET
@staff_view("figures.view")
def impact(request: HttpRequest) -> HttpResponse:
    return render(request, "devices/impact.html", _impact_context(request))


@require_GET
@staff_view("figures.view")
def impact_export(request: HttpRequest) -> HttpResponse:
    """The impact page as CSV or XLSX: what it shows, under the same figures policy."""
    return figures_response(
        request,
        template="devices/impact.html",
        context=_impact_context(request),
        fmt=request.GET.get("format", "csv"),
        filename="impact-of-reuse",
        title=_("Impact of reuse"),
    )


def _impact_context(request: HttpRequest) -> dict:
    report = selectors.impact_report(network=request.network)
    policy = FiguresPolicy.for_member(request.membership)
    factors = [
        {"kind": kind.label, "weight": DEFAULT_WEIGHT_KG[kind], "co2e": CO2E_AVOIDED_KG[kind]}
        for kind in DeviceKind
    ]
    by_batch = sorted(
        (
            (report.batches.get(pk, str(pk)) if pk else _("without a batch"), figures)
            for pk, figures in report.figures.by_batch.items()
        ),
        key=lambda pair: str(pair[0]),
    )
    by_kind = [
        (kind.label, report.figures.by_kind[kind]) for kind in DeviceKind if kind in report.figures.by_kind
    ]
    total = report.figures.total
    return {
        "report": report,
        "suppressing": policy.suppress,
        "total": shown_impact(total, policy),
        "tonnes_co2e": policy.amount(total.tonnes_co2e_avoided, resting_on=policy.count(total.devices)),
        "by_year": shown_table([(year, report.figures.by_year[year]) for year in report.years], policy),
        "by_batch": shown_table(by_batch, policy),
        "by_kind": shown_table(by_kind, policy),
        "factors": factors,
    }


@require_GET
@staff_view("device.manage")
def label_sheet(request: HttpRequest) -> HttpResponse:
    """A4 label sheet PDF for ``?device=1&device=2``, ``?tags=...`` or ``?batch=3``; else the form."""
    membership = request.membership
    form = LabelsForm(request.GET or None, network=request.network)
    device_ids = [i for i in request.GET.getlist("device") if i.isdigit()]
    if not request.GET or not form.is_valid():
        return render(request, "devices/labels.html", {"form": form})
    data = form.cleaned_data
    devices = Device.objects.visible_to(membership)
    tags = [t for t in data["tags"].replace(",", " ").split() if t]
    if device_ids or tags or data.get("batch"):
        wanted = Q(pk__in=device_ids) | Q(asset_tag__in=[t.upper() for t in tags])
        if data.get("batch"):
            wanted |= Q(batch=data["batch"])
        devices = devices.filter(wanted).order_by("asset_tag")[: MAX_LABELS + 1]
        chosen = list(devices)
    else:
        chosen = []
    if not chosen:
        form.add_error(
            None, _("Choose at least one device: a batch, asset tags, or tick devices in the list.")
        )
        return render(request, "devices/labels.html", {"form": form})
    if len(chosen) > MAX_LABELS:
        form.add_error(None, _("Print at most %(n)d labels at a time.") % {"n": MAX_LABELS})
        return render(request, "devices/labels.html", {"form": form})
    pdf = labels.label_sheet_pdf(devices=chosen, network=request.network, skip=data.get("skip") or 0)
    return pdf_response(pdf, f"labels-{timezone.localdate():%Y-%m-%d}.pdf", inline=True)
