"""QR label sheets: the PDF holds the tags, and each QR code decodes to its device's page."""

import io

import pypdfium2
import pytest
import zxingcpp
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from pypdf import PdfReader

from digibank.devices import labels
from digibank.devices.models import Device


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def decoded_qr_codes(content: bytes, page_index: int = 0) -> list[str]:
    pdf = pypdfium2.PdfDocument(content)
    image = pdf[page_index].render(scale=300 / 72).to_pil()
    return sorted(result.text for result in zxingcpp.read_barcodes(image))


@pytest.fixture
def devices(world):
    extra = [
        Device.objects.create(network=world.leuven, asset_tag=f"LEU-0001{i:02d}", kind="laptop", brand="HP")
        for i in range(3)
    ]
    return [world.laptop, *extra]


@override_settings(SITE_URL="https://digibank.leuven.example")
def test_the_label_sheet_has_each_tag_and_a_qr_code_with_the_device_url(world, client_for, devices):
    query = "&".join(f"device={d.pk}" for d in devices)
    response = client_for(world.desk).get(f"{reverse('devices:labels')}?{query}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for device in devices:
        assert device.asset_tag in text
    assert "ThinkPad T480" in text
    expected = sorted(f"https://digibank.leuven.example/devices/{d.pk}/" for d in devices)
    assert decoded_qr_codes(response.content) == expected
    assert expected[0] == settings.SITE_URL + reverse("devices:detail", kwargs={"pk": devices[0].pk})


def test_twenty_five_labels_fill_one_sheet_and_start_another(world, devices):
    many = [
        Device.objects.create(network=world.leuven, asset_tag=f"LEU-0002{i:02d}", kind="tablet")
        for i in range(25)
    ]
    pdf = labels.label_sheet_pdf(devices=many, network=world.leuven)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2
    assert "LEU-000224" in reader.pages[1].extract_text()
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4 in points


def test_skipping_used_labels_shifts_the_first_one(world, devices):
    pages = labels.sheets(devices[:1], skip=5)
    cells = [cell for row in pages[0] for cell in row]
    assert cells[:5] == [None] * 5 and cells[5]["device"] == devices[0]


def test_tags_and_a_batch_select_devices_too(world, client_for, devices):
    Device.objects.filter(pk=devices[1].pk).update(batch=world.batch)
    response = client_for(world.desk).get(
        reverse("devices:labels"), {"tags": "leu-000100, LEU-000102", "batch": world.batch.pk}
    )
    text = pdf_text(response.content)
    assert {"LEU-000100", "LEU-000102"} <= set(text.split())
    assert "LEU-000101" not in text  # device 1 is LEU-000100 (in the batch)


def test_devices_of_another_network_never_get_a_label(world, client_for):
    response = client_for(world.desk).get(
        reverse("devices:labels"), {"device": world.other_device.pk, "tags": "AND-000001"}
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "Choose at least one device" in response.content.decode()


def test_without_a_choice_the_form_is_shown(world, client_for):
    response = client_for(world.desk).get(reverse("devices:labels"))
    assert response.status_code == 200 and b"Make the label sheet" in response.content


def test_digipunt_staff_cannot_print_labels(world, client_for):
    assert (
        client_for(world.digipunt).get(reverse("devices:labels"), {"device": world.laptop.pk}).status_code
        == 403
    )
