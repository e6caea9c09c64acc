"""The device list as CSV or XLSX, with the same filters as the page. One query, streamed."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

# Cells a spreadsheet would run as a formula ("=HYPERLINK(...)" typed as a serial number).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _when(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def columns():
    return [
        (_("Asset tag"), lambda d: d.asset_tag),
        (_("Kind"), lambda d: d.get_kind_display()),
        (_("Brand"), lambda d: d.brand),
        (_("Model"), lambda d: d.model),
        (_("Serial number"), lambda d: d.serial),
        (_("Status"), lambda d: d.get_status_display()),
        (_("Status since"), lambda d: _when(d.status_changed_at)),
        (_("Condition"), lambda d: d.get_condition_display() if d.condition else ""),
        (_("Location"), lambda d: d.location.name if d.location else ""),
        (_("Donation batch"), lambda d: d.batch.reference if d.batch else ""),
        (_("Processor"), lambda d: d.cpu),
        (_("Memory (GB)"), lambda d: float(d.ram_gb) if d.ram_gb is not None else ""),
        (_("Storage (GB)"), lambda d: d.storage_gb if d.storage_gb is not None else ""),
        (_("Storage type"), lambda d: d.storage_type),
        (_("Battery health (%)"), lambda d: d.battery_health if d.battery_health is not None else ""),
        (_("Operating system"), lambda d: d.os),
        (_("Keyboard layout"), lambda d: d.keyboard_layout),
        (_("Weight (kg)"), lambda d: float(d.weight_kg) if d.weight_kg is not None else ""),
        (_("Registered at"), lambda d: _when(d.created_at)),
        (_("Last seen at a stock-take"), lambda d: _when(d.last_seen_at)),
    ]


def _rows(devices):
    cols = columns()
    yield [str(header) for header, _get in cols]
    for device in devices.iterator(chunk_size=500):
        yield [_safe(get(device)) for _header, get in cols]


class _Echo:
    def write(self, value):
        return value


def csv_response(devices, filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def stream():
        yield "\ufeff"  # so spreadsheet programs read the accents as UTF-8
        for row in _rows(devices):
            yield writer.writerow(row)

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(devices, filename: str) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Devices")[:31])
    for row in _rows(devices):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
