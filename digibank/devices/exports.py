"""The device list as CSV or XLSX, with the same filters as the page, in one query.

Times are passed as they are: digibank.lib.exports makes them real date cells (local time).
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _

from digibank.lib.exports import table_response


def columns():
    return [
        (_("Asset tag"), lambda d: d.asset_tag),
        (_("Kind"), lambda d: d.get_kind_display()),
        (_("Brand"), lambda d: d.brand),
        (_("Model"), lambda d: d.model),
        (_("Serial number"), lambda d: d.serial),
        (_("Status"), lambda d: d.get_status_display()),
        (_("Status since"), lambda d: d.status_changed_at),
        (_("Condition"), lambda d: d.get_condition_display() if d.condition else ""),
        (_("Location"), lambda d: d.location.name if d.location else ""),
        (_("Donation batch"), lambda d: d.batch.reference if d.batch else ""),
        (_("Processor"), lambda d: d.cpu),
        (_("Memory (GB)"), lambda d: d.ram_gb),
        (_("Storage (GB)"), lambda d: d.storage_gb),
        (_("Storage type"), lambda d: d.storage_type),
        (_("Battery health (%)"), lambda d: d.battery_health),
        (_("Operating system"), lambda d: d.os),
        (_("Keyboard layout"), lambda d: d.keyboard_layout),
        (_("Weight (kg)"), lambda d: d.weight_kg),
        (_("Registered at"), lambda d: d.created_at),
        (_("Last seen at a stock-take"), lambda d: d.last_seen_at),
    ]


def device_table_response(devices, *, fmt: str, filename: str) -> HttpResponse:
    """The filtered device list as a CSV or XLSX download (digibank.lib.exports)."""
    cols = columns()
    headers = [str(header) for header, _get in cols]
    rows = ([get(device) for _header, get in cols] for device in devices.iterator(chunk_size=500))
    return table_response(fmt=fmt, filename=filename, headers=headers, rows=rows, title=str(_("Devices")))
