"""A real nwipe log from the workshop: everything it says is kept, and the import says per disk
whether the wipe counts towards "ready" (wiped after the batch came in: yes, even before the
device was registered; before it came in, or failed: no, with the reason)."""

import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from digibank.devices import nwipe, services
from digibank.devices.lifecycle import DeviceStatus as S
from digibank.devices.models import DeviceEvent, DonationBatch, VerifyMode, WipeRecord

from .helpers import FIXTURES, register

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
FIELD_LOG = (FIXTURES / "nwipe-field.log").read_bytes()
# The log's wipes ran on 17 November 2026; the batch came in on the 16th, the devices were
# registered on the 18th (refurbishers wipe first and register later).
REGISTERED = datetime.datetime(2026, 11, 18, 10, 0, tzinfo=BRUSSELS)


def at(day, hour, minute, second=0):
    return datetime.datetime(2026, 11, day, hour, minute, second, tzinfo=BRUSSELS)


@pytest.fixture
def workshop(world):
    """Two laptops of a batch received on 16 November, one desktop registered without a batch."""
    with time_machine.travel(REGISTERED, tick=False):
        batch = DonationBatch.objects.create(
            network=world.leuven,
            reference="D2026-0417",
            donor=world.donor,
            received_on=datetime.date(2026, 11, 16),
        )
        two_disks = register(world, batch=batch, brand="Lenovo", model="ThinkPad L15", serial="PF2LQR7K")
        two_disks.disk_serials = "S62ANJ0R834211K, TE85113Q0N8XYZ"
        two_disks.save(update_fields=["disk_serials"])
        nvme = register(world, batch=batch, brand="Dell", model="Latitude 5410", serial="X0EPC1XLQ7SZ")
        loose = register(world, kind="desktop", brand="HP", model="ProDesk 400", serial="CZC9XK2")
        loose.disk_serials = "WFK0ABCD"
        loose.save(update_fields=["disk_serials"])
    return two_disks, nvme, loose


def test_the_parser_keeps_version_method_passes_rounds_verification_blanking_start_end_and_result():
    log = nwipe.parse(FIELD_LOG)
    rows = [
        (
            d.device_name,
            d.serial,
            d.status,
            d.version,
            d.method_label,
            d.passes,
            d.rounds,
            d.verify_mode,
            d.blanking,
        )
        for d in log.disks
    ]
    assert rows == [
        ("sda", "S62ANJ0R834211K", "Erased", "0.37", "DoD Short", 3, 1, "last", True),
        ("sdb", "TE85113Q0N8XYZ", "FAILED", "0.37", "DoD Short", 3, 1, "last", True),
        ("nvme0n1", "X0EPC1XLQ7SZ", "Erased", "0.37", "DoD Short", 3, 1, "last", True),
        ("sda", "WFK0ABCD", "Erased", "0.37", "PRNG Stream", 2, 2, "all", False),
    ]
    assert [(d.started_at, d.performed_at) for d in log.disks] == [
        (at(17, 9, 2, 40), at(17, 10, 14, 52)),
        (at(17, 9, 2, 40), at(17, 12, 31, 47)),
        (at(17, 9, 2, 41), at(17, 9, 12, 15)),
        (at(17, 13, 10, 20), at(17, 18, 52, 5)),
    ]
    assert [d.succeeded for d in log.disks] == [True, False, True, True]
    assert log.warnings == []


def test_dod_short_is_three_passes_per_round_even_without_pass_lines():
    log = nwipe.parse((FIXTURES / "nwipe.log").read_bytes())  # an older log: no "Starting pass" lines
    assert [(d.method_label, d.rounds, d.passes) for d in log.disks][:1] == [("DoD Short", 1, 3)]


def test_a_start_without_its_log_lines_is_the_end_minus_the_duration():
    text = "\n".join(
        line
        for line in FIELD_LOG.decode().splitlines()
        if not ("/dev/sda" in line and ("Invoking" in line or "Starting" in line))
    )
    disk = nwipe.parse(text).disks[0]
    assert disk.started_at == disk.performed_at - datetime.timedelta(hours=1, minutes=12, seconds=12)


def test_the_import_keeps_everything_and_says_per_disk_whether_it_counts(world, workshop, client_for):
    two_disks, nvme, loose = workshop
    with time_machine.travel(REGISTERED + datetime.timedelta(minutes=30), tick=False):
        response = client_for(world.desk).post(
            reverse("devices:nwipe_import"),
            {"log_file": SimpleUploadedFile("nwipe.log", FIELD_LOG, content_type="text/plain")},
        )
    assert response.status_code == 200
    page = " ".join(response.content.decode().split())

    nvme_wipe = WipeRecord.objects.get(device=nvme)
    assert (
        nvme_wipe.tool,
        nvme_wipe.tool_version,
        nvme_wipe.tool_method,
        nvme_wipe.passes,
        nvme_wipe.rounds,
        nvme_wipe.verify_mode,
        nvme_wipe.blanking,
        nvme_wipe.started_at,
        nvme_wipe.performed_at,
        nvme_wipe.result,
        nvme_wipe.succeeded,
        nvme_wipe.source,
    ) == (
        "nwipe 0.37",
        "0.37",
        "DoD Short",
        3,
        1,
        VerifyMode.LAST,
        True,
        at(17, 9, 2, 41),
        at(17, 9, 12, 15),
        "Erased",
        True,
        "nwipe",
    )
    failed = WipeRecord.objects.get(device=two_disks, disk_serial="TE85113Q0N8XYZ")
    assert (failed.succeeded, failed.result, failed.passes) == (False, "FAILED", 3)
    prng = WipeRecord.objects.get(device=loose)
    assert (prng.tool_method, prng.passes, prng.rounds, prng.verify_mode, prng.blanking) == (
        "PRNG Stream",
        2,
        2,
        VerifyMode.ALL,
        False,
    )

    # Per disk: the failed one and the one wiped before its (batch-less) device came in do not count.
    assert page.count("Does not count towards “Ready”:") == 2
    assert "The wipe did not succeed: the disk still has to be wiped." in page
    assert "before the device came in (registered on" in page
    assert page.count("Counts towards “Ready”.") == 2

    # The lifecycle moved by itself where the facts allow it, and only there.
    for device in workshop:
        device.refresh_from_db()
    assert nvme.status == S.QUALITY_CHECK  # wiped the day after the batch came in: it counts
    assert two_disks.status == S.RECEIVED  # one of its two disks failed
    assert loose.status == S.RECEIVED  # wiped before it came in
    steps = list(
        DeviceEvent.objects.filter(device=nvme, from_status__gt="").values_list("to_status", "actor")
    )
    assert steps == [(S.WIPING, world.desk.pk), (S.QUALITY_CHECK, world.desk.pk)]
    assert "The last wipe of disk TE85113Q0N8XYZ failed" in " ".join(services.readiness_problems(two_disks))


def test_the_device_page_and_the_certificate_show_what_the_log_said(world, workshop, client_for):
    _two_disks, nvme, _loose = workshop
    with time_machine.travel(REGISTERED + datetime.timedelta(minutes=30), tick=False):
        services.wipe_import_nwipe(network=world.leuven, actor=world.desk, log=nwipe.parse(FIELD_LOG))
    page = " ".join(
        client_for(world.desk).get(reverse("devices:detail", kwargs={"pk": nvme.pk})).content.decode().split()
    )
    for text in [
        "DoD Short",
        "3 overwrite passes",
        "1 round",
        "last pass verified",
        "blanking pass",
        "result: Erased",
    ]:
        assert text in page, text
    certificate = client_for(world.desk).get(
        reverse("donations:batch_certificate", kwargs={"pk": nvme.batch_id})
    )
    assert certificate.status_code == 200
    text = " ".join(
        "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(certificate.content)).pages).split()
    )
    for expected in ["X0EPC1XLQ7SZ", "DoD Short", "3 overwrite passes", "last pass verified"]:
        assert expected in text, expected


def test_a_dry_run_says_what_would_count_and_changes_nothing(world, workshop, client_for):
    with time_machine.travel(REGISTERED + datetime.timedelta(minutes=30), tick=False):
        response = client_for(world.desk).post(
            reverse("devices:nwipe_import"),
            {"log_file": SimpleUploadedFile("nwipe.log", FIELD_LOG), "dry_run": "on"},
        )
    assert "Does not count towards “Ready”:" in response.content.decode()
    assert not WipeRecord.objects.filter(device__in=workshop).exists()
    assert {d.status for d in workshop} == {S.RECEIVED}


def test_from_the_device_page_a_clean_import_returns_to_the_device(world, workshop, client_for):
    _two_disks, nvme, _loose = workshop
    one_disk = b"\n".join(
        line
        for line in FIELD_LOG.split(b"Creating PDF report")[0].splitlines()
        if b"/dev/sda" not in line
        and b"/dev/sdb" not in line
        and not line.lstrip().startswith((b"sda", b"!      sdb"))
    )
    with time_machine.travel(REGISTERED + datetime.timedelta(minutes=30), tick=False):
        response = client_for(world.desk).post(
            reverse("devices:device_nwipe_import", kwargs={"pk": nvme.pk}),
            {"log_file": SimpleUploadedFile("nwipe.log", one_disk)},
        )
    assert response.status_code == 302 and response.url == reverse("devices:detail", kwargs={"pk": nvme.pk})
    nvme.refresh_from_db()
    assert nvme.status == S.QUALITY_CHECK


def test_from_the_device_page_a_log_with_other_disks_shows_the_result(world, workshop, client_for):
    _two_disks, nvme, _loose = workshop
    with time_machine.travel(REGISTERED + datetime.timedelta(minutes=30), tick=False):
        response = client_for(world.desk).post(
            reverse("devices:device_nwipe_import", kwargs={"pk": nvme.pk}),
            {"log_file": SimpleUploadedFile("nwipe.log", FIELD_LOG)},
        )
    assert response.status_code == 200
    assert "Does not count towards “Ready”:" in response.content.decode()


def test_a_volunteer_cannot_import_from_a_device_page(world, workshop, client_for):
    response = client_for(world.volunteer).post(
        reverse("devices:device_nwipe_import", kwargs={"pk": workshop[1].pk}),
        {"log_file": SimpleUploadedFile("nwipe.log", FIELD_LOG)},
    )
    assert response.status_code in (403, 404)
    assert not WipeRecord.objects.filter(device__in=workshop).exists()


def test_from_the_device_page_an_unknown_disk_is_that_devices_and_a_known_one_stays_with_its_own(
    world, workshop, client_for
):
    two_disks, nvme, loose = workshop
    unknown = FIELD_LOG.replace(b"X0EPC1XLQ7SZ", b"UNKNOWN0DISK1")  # the nvme disk, not on record anywhere
    with time_machine.travel(REGISTERED + datetime.timedelta(minutes=30), tick=False):
        client_for(world.desk).post(
            reverse("devices:device_nwipe_import", kwargs={"pk": nvme.pk}),
            {"log_file": SimpleUploadedFile("nwipe.log", unknown)},
        )
    assert list(WipeRecord.objects.filter(device=nvme).values_list("disk_serial", flat=True)) == [
        "UNKNOWN0DISK1"
    ]
    assert WipeRecord.objects.filter(device=two_disks).count() == 2
    assert WipeRecord.objects.filter(device=loose).count() == 1
    # From the general import page the same disk is only reported.
    result = services.nwipe_match(
        network_id=world.leuven.pk, log=nwipe.parse(unknown.replace(b"UNKNOWN0", b"OTHER0"))
    )
    assert [m.problem for m in result.matches if m.disk.serial == "OTHER0DISK1"] == [
        "No device of this network has this serial number."
    ]
