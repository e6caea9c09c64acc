"""Printable one-page flyers (PDF) for people who are not online: per district the nearest
digipunten with their help hours, a phone number and a QR code to the site; per digipunt the
same for one place. Rendered in the language that is active when called."""

from __future__ import annotations

import segno
from django.urls import reverse

from digibank.lib.pdf import render_pdf

from . import hsds, selectors


def qr_data_uri(url: str) -> str:
    """A QR code as an SVG data URI (WeasyPrint draws it; nothing is fetched)."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def _context(network, rows, *, title: str, url: str, language: str) -> dict:
    phone = network.contact_phone or next((r.digipunt.phone for r in rows if r.digipunt.phone), "")
    return {
        "network": network,
        "rows": rows,
        "title": title,
        "url": url,
        "qr": qr_data_uri(url),
        "phone": phone,
        "language": language,
    }


def district_flyer(*, network, district, language: str) -> bytes:
    rows = selectors.site_rows(network=network)
    nearest = selectors.nearest_rows(rows=rows, district=district)
    url = hsds.absolute(reverse("public:home", kwargs={"network_slug": network.slug}))
    context = _context(network, nearest, title=district.name, url=url, language=language)
    context["district"] = district
    return render_pdf("public/pdf/flyer.html", context)


def digipunt_flyer(*, network, digipunt, language: str) -> bytes:
    rows = [r for r in selectors.site_rows(network=network) if r.digipunt.pk == digipunt.pk]
    url = hsds.absolute(reverse("public:digipunt", kwargs={"network_slug": network.slug, "pk": digipunt.pk}))
    context = _context(network, rows, title=digipunt.name, url=url, language=language)
    context["digipunt"] = digipunt
    return render_pdf("public/pdf/flyer.html", context)
