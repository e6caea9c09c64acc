import datetime
import io

from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from digibank.devices.lifecycle import DeviceStatus

from .factories import DeviceFactory, WipeFactory


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_donor_receipt_names_the_donor_the_devices_and_the_network(world, client_for):
    world.leuven.contact_email = "digibank@leuven.example"
    world.leuven.save()
    DeviceFactory(batch=world.batch, kind="laptop")
    DeviceFactory(batch=world.batch, kind="laptop")
    DeviceFactory(batch=world.batch, kind="screen")
    response = client_for(world.digipunt).get(
        reverse("donations:batch_receipt", kwargs={"pk": world.batch.pk})
    )
    assert response["Content-Disposition"] == 'attachment; filename="receipt-D2026-0001.pdf"'
    text = flat(pdf_text(response))
    assert "Donation receipt" in text
    assert "Brouwerij Proefbier NV" in text
    assert "BE 0403.170.701" in text
    assert "D2026-0001" in text
    assert "Laptop 2" in text and "Screen 1" in text and "Total 3" in text
    assert "Thank you" in text
    assert "Iedereen Digitaal @ Leuven (test)" in text
    assert "digibank@leuven.example" in text


def test_the_receipt_of_a_batch_without_devices_gives_the_announced_number(world, client_for):
    text = flat(
        pdf_text(
            client_for(world.desk).get(reverse("donations:batch_receipt", kwargs={"pk": world.batch.pk}))
        )
    )
    assert "12 devices announced" in text


def test_the_wipe_certificate_lists_serials_method_tool_operator_and_the_devices_not_yet_wiped(
    world, client_for
):
    clean = DeviceFactory(batch=world.batch, serial="5CG7281XYZ", brand="HP", model="EliteBook 840 G5")
    WipeFactory(
        device=clean,
        method="purge",
        tool="hdparm secure erase",
        operator_name="Wout Wisser",
        verification="Verified: full read-back",
        performed_at=timezone.make_aware(datetime.datetime(2026, 2, 3, 10, 30)),
    )
    two_disks = DeviceFactory(batch=world.batch, serial="CZC1234ABC", kind="desktop")
    WipeFactory(device=two_disks, disk_serial="WD-DISK-1", tool="nwipe 0.36")
    WipeFactory(device=two_disks, disk_serial="WD-DISK-2", tool="nwipe 0.36")
    waiting = DeviceFactory(batch=world.batch, serial="PF0NOTYET")
    WipeFactory(device=waiting, succeeded=False, tool="nwipe 0.36 FAILED-RUN")
    recycled = DeviceFactory(
        batch=world.batch,
        serial="RECYC-777",
        status=DeviceStatus.RECYCLED,
        recycler="Recupel",
        recycler_certificate="R-1",
    )
    response = client_for(world.desk).get(
        reverse("donations:batch_certificate", kwargs={"pk": world.batch.pk})
    )
    assert response["Content-Disposition"] == 'attachment; filename="wipe-certificate-D2026-0001.pdf"'
    text = flat(pdf_text(response))
    assert "Data-wipe certificate" in text
    assert "Brouwerij Proefbier NV" in text
    assert "2 wiped, 2 not yet wiped" in text
    wiped_part, not_wiped_part = text.split("Not yet wiped", 1)
    for expected in (
        "5CG7281XYZ",
        clean.asset_tag,
        "NIST SP 800-88 Purge",
        "hdparm secure erase",
        "Wout Wisser",
        "Verified: full read-back",
        "Successful",
        "CZC1234ABC",
        "WD-DISK-1",
        "WD-DISK-2",
    ):
        assert expected in wiped_part, expected
    assert "PF0NOTYET" in not_wiped_part
    assert "RECYC-777" in not_wiped_part and "Recupel" in not_wiped_part
    assert "PF0NOTYET" not in wiped_part
    assert "FAILED-RUN" not in text
    assert recycled.asset_tag in not_wiped_part


def test_a_later_wipe_after_a_loan_is_not_on_the_donors_certificate(world, client_for):
    device = DeviceFactory(batch=world.batch, serial="LOANED-1")
    WipeFactory(
        device=device, tool="first-wipe-tool", performed_at=timezone.now() - datetime.timedelta(days=90)
    )
    WipeFactory(device=device, tool="after-loan-tool", performed_at=timezone.now())
    text = flat(
        pdf_text(
            client_for(world.desk).get(reverse("donations:batch_certificate", kwargs={"pk": world.batch.pk}))
        )
    )
    assert "first-wipe-tool" in text
    assert "after-loan-tool" not in text


def test_an_empty_batch_gets_a_certificate_that_says_so(world, client_for):
    text = flat(
        pdf_text(
            client_for(world.desk).get(reverse("donations:batch_certificate", kwargs={"pk": world.batch.pk}))
        )
    )
    assert "No device of this batch has been wiped yet." in text
