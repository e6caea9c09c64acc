"""Serials from real disks: non-ASCII letters and raw control bytes match the same on every database.

Run this file on PostgreSQL too:
DATABASE_URL=postgres://postgres@127.0.0.1:5432/test pytest -n 0 tests/devices/test_serial_keys.py
"""

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from digibank.devices import nwipe, selectors, services
from digibank.devices.models import Device, WipeRecord
from digibank.lib.serials import serial_display, serial_key, serial_keys

from .helpers import register, resave

# The laptop's serial as lshw reads it from the firmware (JSON: a real "ã" and a raw U+0082) ...
FIRMWARE_SERIAL = "PF-\u00e3Q\u00827"
# ... and a disk whose nwipe log line carries an upper-case "Ã" in UTF-8 and a raw byte 0x82 that
# is no UTF-8 at all, exactly as nwipe copies it from the drive.
DISK_SERIAL_IN_DRIVE = "WD-WX\u00e31A\u0082B"
LOG = (
    b"[2026/11/17 09:02:11]  notice: nwipe 0.37\n"
    b"[2026/11/17 09:02:12]  notice: Found /dev/sda,  ATA    , WDC WD5000LPCX-24C6HT0, 500 GB, "
    b"S/N=WD-WX\xc3\x831A\x82B\n"
    b"[2026/11/17 09:02:40]  notice: Invoking method 'PRNG Stream' on /dev/sda\n"
    b"[2026/11/17 10:31:05]  notice: Blanked device /dev/sda\n"
    b"\n"
    b"********************************* Drive Status *********************************\n"
    b"!   Device | Status | Thru-put | HH:MM:SS | Model/Serial Number\n"
    b"--------------------------------------------------------------------------------\n"
    b"       sda | Erased |   95MB/s | 01:28:25 | WDC WD5000LPCX-24/WD-WX\xc3\x831A\x82B\n"
    b"--------------------------------------------------------------------------------\n"
    b"[2026/11/17 10:31:06] Total Throughput 95MB/s, PRNG Stream, 1R+B+VL\n"
)


# --- the one function ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("  5cg1234XYZ \n", "5cg1234xyz"),
        ("PF-\u00c3Q", "pf-\u00e3q"),  # Ã and ã: one key (SQLite's UPPER/LIKE would not fold them)
        ("PF-a\u0303Q", "pf-\u00e3q"),  # a + combining tilde is NFKC-composed to ã
        ("\uff21\uff22\uff11", "ab1"),  # full-width letters from a copy-paste
        ("Stra\u00dfe", "strasse"),  # case-folded, not only lower-cased
        ("A\u0082B", "a\\x82b"),  # a raw control byte is escaped visibly ...
        ("a\\X82b", "a\\x82b"),  # ... and typing what is shown gives the same key
        ("A\u200bB", "a\\u200bb"),  # a zero-width space is no blank either
        ("\u0082X\u001f", "\\x82x\\x1f"),  # control bytes at either end are kept, not stripped
        ("", ""),
        (None, ""),
    ],
)
def test_the_serial_key_normalises_folds_and_escapes(raw, key):
    assert serial_key(raw) == key


def test_the_display_shows_every_invisible_character_escaped_never_as_a_blank():
    assert serial_display(" PF-\u00e3Q\u00827\u200b ") == "PF-\u00e3Q\\x827\\u200b"
    assert serial_display("NBSP\u00a0IN") == "NBSP\\xa0IN"
    assert serial_display(None) == ""


def test_disk_serials_are_split_on_commas_and_plain_whitespace_only():
    assert serial_keys("S4EL, WD-\u00c3\u001fX;  ab\u0082") == ["s4el", "wd-\u00e3\\x1fx", "ab\\x82"]


# --- matching on the database ---------------------------------------------------------------


@pytest.fixture
def field_laptop(world):
    device = register(world, serial=FIRMWARE_SERIAL, brand="Lenovo", model="ThinkPad L15")
    return resave(device.pk, disk_serials=f"{DISK_SERIAL_IN_DRIVE}, S4ELNX0M998877")


def test_the_nwipe_log_with_a_raw_byte_and_an_upper_case_a_tilde_finds_its_device(world, field_laptop):
    log = nwipe.parse(LOG)
    assert log.disks[0].serial == "WD-WX\u00c31A\\x82B"  # the undecodable byte kept visibly
    result = services.wipe_import_nwipe(network=world.leuven, actor=world.desk, log=log)
    assert [(m.device, m.problem) for m in result.matches] == [(field_laptop, "")]
    wipe = WipeRecord.objects.get(device=field_laptop)
    assert wipe.disk_serial_key == serial_key(DISK_SERIAL_IN_DRIVE)
    # And once more: the disk of that wipe now points at the device too, and nothing is doubled.
    again = services.wipe_import_nwipe(network=world.leuven, actor=world.desk, log=nwipe.parse(LOG))
    assert again.matches[0].already_imported and WipeRecord.objects.filter(device=field_laptop).count() == 1


def test_the_device_serial_with_a_tilde_and_a_control_byte_is_unique_however_it_is_written(
    world, field_laptop
):
    for spelling in ["pf-\u00c3q\u00827", "PF-\u00e3Q\\x827", " pf-a\u0303q\\X827 "]:
        with pytest.raises(ValidationError, match=field_laptop.asset_tag):
            register(world, serial=spelling)
    # The database itself refuses it too (the constraint is on the key).
    with pytest.raises(IntegrityError), transaction.atomic():
        Device.objects.create(
            network=world.leuven, asset_tag="LEU-999999", kind="laptop", serial="PF-\u00c3Q\u00827"
        )


def test_search_and_the_tag_box_find_the_serial_typed_as_it_is_shown(world, field_laptop):
    shown = serial_display(FIRMWARE_SERIAL)
    assert shown == "PF-\u00e3Q\\x827"
    membership = world.desk.memberships.get()
    assert selectors.device_for_code(membership=membership, code=shown.upper()) == field_laptop
    assert field_laptop in selectors.device_search(membership=membership, query="\u00c3Q\\x82")
    assert field_laptop in selectors.device_search(membership=membership, query="wd-wx\u00c31a")
    assert list(selectors.device_list(membership=membership, query="f-\u00c3q")) == [field_laptop]


def test_the_device_page_shows_the_control_byte_escaped(world, field_laptop, client_for):
    page = (
        client_for(world.desk).get(reverse("devices:detail", kwargs={"pk": field_laptop.pk})).content.decode()
    )
    assert "PF-\u00e3Q\\x827" in page
    assert "\u0082" not in page


def test_the_data_migration_fills_the_keys_of_existing_rows(world, field_laptop):
    migration = importlib.import_module("digibank.devices.migrations.0003_serial_keys_and_wipe_details")
    Device.objects.filter(pk=field_laptop.pk).update(serial_key="", disk_serial_keys="")
    migration.fill_serial_keys(django_apps, None)
    field_laptop.refresh_from_db()
    assert field_laptop.serial_key == serial_key(FIRMWARE_SERIAL)
    assert f" {serial_key(DISK_SERIAL_IN_DRIVE)} " in field_laptop.disk_serial_keys


def test_the_data_migration_names_devices_whose_serials_now_collide(world, field_laptop):
    migration = importlib.import_module("digibank.devices.migrations.0003_serial_keys_and_wipe_details")
    other = register(world, serial="OTHER-1")
    # Before the keys existed, "PF-Ãq…" and "pf-ãQ…" could both be registered.
    Device.objects.filter(pk=other.pk).update(serial="pf-\u00c3q\u00827", serial_key="")
    Device.objects.filter(pk=field_laptop.pk).update(serial_key="")
    with pytest.raises(RuntimeError, match=other.asset_tag):
        migration.fill_serial_keys(django_apps, None)
