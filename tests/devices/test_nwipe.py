"""Data wipes from nwipe logs: the parser, matching disks to devices, and the atomic import."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from digibank.devices import nwipe, services
from digibank.devices.models import Device, WipeMethod, WipeRecord

from .helpers import FIXTURES, resave, wipe

LOG = (FIXTURES / "nwipe.log").read_bytes()


def local(*args):
    return timezone.make_aware(datetime.datetime(*args))


def test_it_reads_every_disk_of_every_summary_table():
    log = nwipe.parse(LOG)
    rows = [(d.device_name, d.serial, d.status, d.succeeded, d.method_label) for d in log.disks]
    assert rows == [
        ("sda", "S3YJNB0K512345A", "Erased", True, "DoD Short"),
        ("sdb", "WD-WCC4N1234567", "FAILED", False, "DoD Short"),
        ("nvme0n1", "S4ELNX0M998877", "Erased", True, "DoD Short"),
        # A second session appended to the same file: the same WD disk, now as sda, erased.
        ("sda", "WD-WCC4N1234567", "Erased", True, "PRNG Stream"),
    ]
    assert log.warnings == []


def test_each_disk_gets_the_time_its_wipe_ended_and_the_full_model():
    first, failed, nvme, second = nwipe.parse(LOG).disks
    assert first.performed_at == local(2024, 1, 15, 10, 22, 38)
    assert nvme.performed_at == local(2024, 1, 15, 10, 16, 3)
    assert second.performed_at == local(2024, 1, 15, 15, 31, 5)
    assert first.model == "Samsung SSD 860 EVO 250GB"  # from its "Found" line, not the cut table
    assert (first.tool, first.method, first.duration) == ("nwipe 0.35", WipeMethod.CLEAR, "00:10:07")
    assert "last pass verified" in first.verification


def test_the_usb_stick_that_was_found_but_not_wiped_is_not_listed():
    assert all(d.serial != "4C530001230101116381" for d in nwipe.parse(LOG).disks)


def test_old_logs_with_has_serial_number_lines_and_no_found_lines_are_read():
    text = """[2019/03/02 09:00:01] nwipe: notice: Opened entropy source '/dev/urandom'.
[2019/03/02 09:00:02] nwipe: notice: /dev/sda has serial number WD-WCAV12345678
[2019/03/02 09:00:05] nwipe: notice: Invoking method 'Zero Fill' on device '/dev/sda'.
[2019/03/02 10:30:00] nwipe: notice: Blanked device /dev/sda
********************************************************************************
! Device | Status | Thru-put | HH:MM:SS | Model/Serial Number
--------------------------------------------------------------------------------
  sda    | Erased |  105 MB/s | 01:29:55 | WDC WD2500AAJS-6/WD-WCAV12345678
--------------------------------------------------------------------------------
[2019/03/02 10:30:01] Total Throughput 105 MB/s, Zero Fill, 1R+NB+NV
********************************************************************************
"""
    (disk,) = nwipe.parse(text).disks
    assert (disk.serial, disk.succeeded, disk.method_label, disk.performed_at) == (
        "WD-WCAV12345678",
        True,
        "Zero Fill",
        local(2019, 3, 2, 10, 30, 0),
    )
    assert "not verified" in disk.verification and "no blanking pass" in disk.verification


def test_anonymised_serials_and_aborted_wipes_are_read_as_such():
    found = "Found /dev/sda,  ATA    , ST500LM012 HN-M5, 500 GB, S/N=XXXXXXXXXXXXXXX"
    text = f"""[2024/02/01 08:00:00]  notice: {found}
[2024/02/01 08:40:00]  notice: Starting round 1 of 1 on /dev/sda
********************************* Drive Status *********************************
!   Device | Status | Thru-put | HH:MM:SS | Model/Serial Number
--------------------------------------------------------------------------------
!      sda |UABORTED|   80MB/s | 00:40:00 | ST500LM012 HN-M5/XXXXXXXXXXXXXXX
--------------------------------------------------------------------------------
[2024/02/01 08:40:01] Total Throughput 80MB/s, PRNG Stream, 1R+B+VL
"""
    (disk,) = nwipe.parse(text).disks
    assert (disk.serial, disk.serial_anonymised, disk.succeeded, disk.status) == ("", True, False, "UABORTED")


def test_a_log_without_summary_table_has_no_disks_and_a_warning():
    log = nwipe.parse("[2024/02/01 08:00:00]  notice: Found /dev/sda,  ATA , X, 1 GB, S/N=ABC\n")
    assert log.disks == [] and "Drive Status" in log.warnings[0]


@pytest.mark.parametrize("content", [b"", b"hello world\n", b"\x00\x01\x02binary"])
def test_a_file_that_is_no_nwipe_log_is_refused(content):
    with pytest.raises(nwipe.NwipeError):
        nwipe.parse(content)


@pytest.mark.parametrize(
    ("label", "method"),
    [
        ("DoD Short", WipeMethod.CLEAR),
        ("PRNG Stream", WipeMethod.CLEAR),
        ("Fill With Zeros", WipeMethod.CLEAR),
        ("Gutmann Wipe", WipeMethod.CLEAR),
        ("ATA Secure Erase", WipeMethod.PURGE),
        ("Verify Zeros", None),
    ],
)
def test_nwipe_methods_map_to_nist_sp_800_88(label, method):
    assert nwipe.nist_method(label) == method


# --- matching and importing ----------------------------------------------------------------


@pytest.fixture
def disks(world):
    """The T480 with its NVMe disk known from lshw, and a desktop whose WD disk was wiped before."""
    resave(world.laptop.pk, disk_serials="S4ELNX0M998877, S3YJNB0K512345A-X")
    desktop = Device.objects.create(network=world.leuven, asset_tag="LEU-000040", kind="desktop")
    wipe(desktop, world.desk, disk_serial="wd-wcc4n1234567")
    samsung = Device.objects.create(
        network=world.leuven, asset_tag="LEU-000041", kind="laptop", serial="S3YJNB0K512345A"
    )
    return world.laptop, desktop, samsung


def test_each_disk_is_matched_on_device_serial_disk_serials_or_an_earlier_wipe(world, disks):
    laptop, desktop, samsung = disks
    result = services.nwipe_match(network_id=world.leuven.pk, log=nwipe.parse(LOG))
    assert [(m.disk.serial, m.device and m.device.asset_tag, bool(m.problem)) for m in result.matches] == [
        ("S3YJNB0K512345A", "LEU-000041", False),  # Device.serial (not the "...-X" token of the laptop)
        ("WD-WCC4N1234567", "LEU-000040", False),  # the disk of an earlier wipe, any case
        ("S4ELNX0M998877", "LEU-000001", False),  # a disk serial from lshw
        ("WD-WCC4N1234567", "LEU-000040", False),
    ]


def test_the_import_records_every_matched_disk_and_reports_the_rest(world, disks, client_for):
    laptop, desktop, samsung = disks
    resave(laptop.pk, disk_serials="")  # the NVMe disk is now unknown
    before = WipeRecord.objects.count()
    upload = SimpleUploadedFile("nwipe.log", LOG, content_type="text/plain")
    response = client_for(world.desk).post(reverse("devices:nwipe_import"), {"log_file": upload})
    assert response.status_code == 200
    body = response.content.decode()
    assert "No device of this network has this serial number." in body and "S4ELNX0M998877" in body
    assert WipeRecord.objects.count() == before + 3
    records = WipeRecord.objects.filter(source="nwipe").order_by("performed_at")
    assert [(r.device.asset_tag, r.succeeded, r.disk_serial) for r in records] == [
        ("LEU-000041", True, "S3YJNB0K512345A"),
        ("LEU-000040", False, "WD-WCC4N1234567"),
        ("LEU-000040", True, "WD-WCC4N1234567"),
    ]
    first = records[0]
    assert (first.operator, first.tool, first.method) == (world.desk, "nwipe 0.35", WipeMethod.CLEAR)


def test_importing_the_same_log_twice_records_nothing_new(world, disks):
    log = nwipe.parse(LOG)
    services.wipe_import_nwipe(network=world.leuven, actor=world.desk, log=log)
    count = WipeRecord.objects.count()
    again = services.wipe_import_nwipe(network=world.leuven, actor=world.desk, log=log)
    assert WipeRecord.objects.count() == count
    assert len(again.duplicates) == 4 and again.imported == []


def test_a_dry_run_saves_nothing(world, disks, client_for):
    before = WipeRecord.objects.count()
    upload = SimpleUploadedFile("nwipe.log", LOG, content_type="text/plain")
    response = client_for(world.desk).post(
        reverse("devices:nwipe_import"), {"log_file": upload, "dry_run": "on"}
    )
    assert "Would be recorded" in response.content.decode()
    assert WipeRecord.objects.count() == before


def test_a_serial_that_points_at_two_devices_is_not_guessed(world, disks):
    laptop, desktop, samsung = disks
    resave(desktop.pk, disk_serials="S3YJNB0K512345A")
    result = services.nwipe_match(network_id=world.leuven.pk, log=nwipe.parse(LOG))
    first = result.matches[0]
    assert first.device is None and "LEU-000040, LEU-000041" in first.problem


def test_devices_of_another_network_are_never_matched(world):
    resave(world.other_device.pk, disk_serials="S4ELNX0M998877")
    result = services.nwipe_match(network_id=world.leuven.pk, log=nwipe.parse(LOG))
    assert all(m.device is None for m in result.matches)


def test_the_import_is_all_or_nothing(world, disks, monkeypatch):
    calls = []
    real = services.wipe_record

    def failing_on_the_second(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(services, "wipe_record", failing_on_the_second)
    before = WipeRecord.objects.count()
    with pytest.raises(RuntimeError):
        services.wipe_import_nwipe(network=world.leuven, actor=world.desk, log=nwipe.parse(LOG))
    assert WipeRecord.objects.count() == before


def test_a_file_that_is_no_log_is_a_form_error(world, client_for):
    upload = SimpleUploadedFile("photo.jpg", b"\x00\x01JFIF", content_type="image/jpeg")
    response = client_for(world.desk).post(reverse("devices:nwipe_import"), {"log_file": upload})
    assert response.status_code == 200
    assert "This is not a text file" in response.content.decode()


def test_digipunt_staff_cannot_import(world, client_for):
    upload = SimpleUploadedFile("nwipe.log", LOG, content_type="text/plain")
    assert (
        client_for(world.digipunt).post(reverse("devices:nwipe_import"), {"log_file": upload}).status_code
        == 403
    )
