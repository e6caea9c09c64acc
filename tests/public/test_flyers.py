"""Printable flyers: one page, the nearest digipunten with their help hours, a phone number and a
QR code that leads to the site."""

import io

import pypdfium2
import zxingcpp
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from .conftest import always_open


def pdf(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


def text_of(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def qr_codes(content: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(content)
    image = document[0].render(scale=3).to_pil()
    return [result.text for result in zxingcpp.read_barcodes(image)]


def test_a_district_flyer_lists_its_digipunten_first_with_help_hours_a_phone_and_a_qr_code(site, english):
    always_open(site.leuven, name="Verre Hoek", latitude="51.500000", longitude="5.500000")
    url = reverse("public:flyer_district", kwargs={"network_slug": site.leuven.slug, "pk": site.kessel_lo.pk})
    content = pdf(english, url + "?lang=en")
    assert len(PdfReader(io.BytesIO(content)).pages) == 1
    text = " ".join(text_of(content).split())
    assert "Kessel-Lo" in text and "Open Huis Kessel-Lo" in text and "Bibliotheek Tweebronnen (test)" in text
    assert text.index("Open Huis Kessel-Lo") < text.index("Bibliotheek Tweebronnen (test)")
    assert "18:00–20:00" in text or "18:00-20:00" in text
    assert "016 00 00 00" in text  # the network's phone number
    assert "Free help with computers" in text
    home = settings.SITE_URL.rstrip("/") + reverse("public:home", kwargs={"network_slug": site.leuven.slug})
    assert qr_codes(content) == [home]
    assert "Zegers" not in text


def test_a_digipunt_flyer_leads_to_the_digipunt_page(site, english):
    url = reverse("public:flyer_digipunt", kwargs={"network_slug": site.leuven.slug, "pk": site.open_dp.pk})
    content = pdf(english, url + "?lang=fr")
    text = text_of(content)
    assert "Open Huis Kessel-Lo" in text and "Bibliotheek Tweebronnen" not in text
    page = settings.SITE_URL.rstrip("/") + reverse(
        "public:digipunt", kwargs={"network_slug": site.leuven.slug, "pk": site.open_dp.pk}
    )
    assert qr_codes(content) == [page]


def test_the_flyer_of_another_networks_district_or_digipunt_is_not_found(site, english):
    from digibank.networks.models import District

    elsewhere = District.objects.create(network=site.other, name="Zegerswijk")
    slug = site.leuven.slug
    assert (
        english.get(
            reverse("public:flyer_district", kwargs={"network_slug": slug, "pk": elsewhere.pk})
        ).status_code
        == 404
    )
    assert (
        english.get(
            reverse("public:flyer_digipunt", kwargs={"network_slug": slug, "pk": site.dp_other.pk})
        ).status_code
        == 404
    )


def test_the_flyer_page_links_every_district_and_digipunt_in_each_language(site, english):
    html = english.get(reverse("public:flyers", kwargs={"network_slug": site.leuven.slug})).content.decode()
    for code, _name in settings.LANGUAGES:
        assert f"district-{site.kessel_lo.pk}.pdf?lang={code}" in html
        assert f"digipunten/{site.open_dp.pk}/flyer.pdf?lang={code}" in html
