"""QR labels on an A4 sheet (3 × 8 labels of 70 × 37 mm): each opens its device's page.

The QR code encodes the absolute URL of the device page (``SITE_URL`` + path), so any phone
camera opens it; the asset tag is printed beside it for the human eye and for typing.
"""

from __future__ import annotations

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.safestring import mark_safe

from digibank.lib.pdf import render_pdf

COLUMNS = 3
ROWS = 8
PER_SHEET = COLUMNS * ROWS


def device_url(device) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("devices:detail", kwargs={"pk": device.pk})


def qr_svg(text: str) -> str:
    """An inline SVG QR code: the PDF then needs no image file or data: URI to load."""
    # Medium error correction survives a scratched label; the quiet zone is the label's margin too.
    svg = segno.make(text, error="m", micro=False).svg_inline(border=2, omitsize=True)
    return mark_safe(svg)


def sheets(devices, *, skip: int = 0) -> list[list[list[dict | None]]]:
    """Pages of rows of cells; ``skip`` leaves the first labels of a used sheet empty."""
    cells: list[dict | None] = [None] * max(0, min(skip, PER_SHEET - 1))
    for device in devices:
        url = device_url(device)
        cells.append({"device": device, "url": url, "qr": qr_svg(url)})
    pages = []
    for start in range(0, len(cells), PER_SHEET):
        page = cells[start : start + PER_SHEET]
        page += [None] * (PER_SHEET - len(page))
        pages.append([page[r * COLUMNS : (r + 1) * COLUMNS] for r in range(ROWS)])
    return pages


def label_sheet_pdf(*, devices, network, skip: int = 0) -> bytes:
    return render_pdf("devices/pdf/labels.html", {"pages": sheets(devices, skip=skip), "network": network})
