"""Specs from ``lshw -json``: the parser and the upload on the device page."""

import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from digibank.devices import lshw
from digibank.devices.models import Device

from .helpers import FIXTURES

THINKPAD = (FIXTURES / "lshw-thinkpad-t480.json").read_bytes()


def test_it_reads_brand_model_serial_processor_memory_disks_and_battery():
    specs = lshw.parse(THINKPAD)
    assert (specs.brand, specs.model, specs.serial, specs.kind) == (
        "LENOVO",
        "ThinkPad T480 (20L5000UMH)",
        "PF1ABCDE",
        "laptop",
    )
    assert specs.cpu == "Intel(R) Core(TM) i5-8250U CPU @ 1.60GHz"
    assert specs.ram_gb == Decimal("16.0")
    assert (specs.storage_gb, specs.storage_type, specs.disk_serials) == (256, "NVMe", "S4ELNX0M998877")
    assert specs.battery == "SMP 01AV421 24000 mWh"


def test_the_usb_stick_the_live_system_runs_from_is_not_counted():
    specs = lshw.parse(THINKPAD)
    assert "4C530001230101116381" not in specs.disk_serials


def test_a_list_of_nodes_works_like_one_tree():
    tree = json.loads(THINKPAD)
    assert lshw.parse(json.dumps([tree])).device_values() == lshw.parse(THINKPAD).device_values()


def test_old_lshw_output_without_brackets_is_read():
    tree = json.loads(THINKPAD)
    core = tree["children"][0]
    memory, cpu = core["children"][0], core["children"][2]
    text = json.dumps(memory) + ",\n" + json.dumps(cpu)
    specs = lshw.parse(text)
    assert (specs.ram_gb, specs.cpu) == (Decimal("16.0"), "Intel(R) Core(TM) i5-8250U CPU @ 1.60GHz")


def test_memory_without_a_total_is_the_sum_of_its_banks_and_placeholders_are_empty():
    tree = {
        "id": "desktop",
        "class": "system",
        "product": "To Be Filled By O.E.M.",
        "vendor": "Default string",
        "serial": "System Serial Number",
        "configuration": {"chassis": "desktop"},
        "children": [
            {
                "id": "memory",
                "class": "memory",
                "description": "System Memory",
                "children": [
                    {"id": "bank:0", "class": "memory", "size": 4294967296, "units": "bytes"},
                    {"id": "bank:1", "class": "memory", "size": 4294967296, "units": "bytes"},
                ],
            },
            {
                "id": "disk",
                "class": "disk",
                "product": "ST500DM002-1BD142",
                "size": 500107862016,
                "units": "bytes",
            },
            {"id": "cdrom", "class": "disk", "description": "DVD-RAM writer"},
        ],
    }
    specs = lshw.parse(json.dumps(tree))
    assert (specs.brand, specs.model, specs.serial, specs.kind) == ("", "", "", "desktop")
    assert (specs.ram_gb, specs.storage_gb, specs.storage_type) == (Decimal("8.0"), 500, "")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe\x00garbage", "not text"),
        (b"[1, 2, 3]", "does not look like lshw"),
        (b'{"hello": "world"}', "does not look like lshw"),
        (b'{"id": "x", "class": "system"}', "No hardware details"),
    ],
)
def test_a_file_that_is_not_lshw_output_gets_a_clear_message(content, message):
    with pytest.raises(lshw.LshwError, match=message):
        lshw.parse(content)


def test_uploading_lshw_output_fills_in_the_specs(world, client_for):
    upload = SimpleUploadedFile("specs.json", THINKPAD, content_type="application/json")
    url = reverse("devices:specs", kwargs={"pk": world.laptop.pk})
    response = client_for(world.desk).post(url, {"lshw_file": upload, "overwrite": "on"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("devices:detail", kwargs={"pk": world.laptop.pk})
    assert "Battery found: SMP 01AV421 24000 mWh" in response.content.decode()
    device = Device.objects.get(pk=world.laptop.pk)
    assert (device.ram_gb, device.storage_gb, device.disk_serials) == (Decimal("16.0"), 256, "S4ELNX0M998877")
    assert device.brand == "LENOVO"


def test_without_overwrite_only_empty_fields_are_filled(world, client_for):
    upload = SimpleUploadedFile("specs.json", THINKPAD, content_type="application/json")
    client_for(world.desk).post(
        reverse("devices:specs", kwargs={"pk": world.laptop.pk}), {"lshw_file": upload}
    )
    device = Device.objects.get(pk=world.laptop.pk)
    assert (device.brand, device.ram_gb) == ("Lenovo", Decimal("16.0"))


def test_bad_json_is_a_form_error_and_saves_nothing(world, client_for):
    upload = SimpleUploadedFile(
        "specs.json", b'{"id": "laptop", "children": [', content_type="application/json"
    )
    response = client_for(world.desk).post(
        reverse("devices:specs", kwargs={"pk": world.laptop.pk}), {"lshw_file": upload, "overwrite": "on"}
    )
    assert response.status_code == 200
    assert "This is not valid JSON" in response.content.decode()
    device = Device.objects.get(pk=world.laptop.pk)
    assert (device.cpu, device.ram_gb) == ("", None)


def test_a_serial_of_another_device_is_refused_and_saves_nothing(world, client_for):
    """The world's laptop already carries the serial in the lshw file."""
    other = Device.objects.create(network=world.leuven, asset_tag="LEU-000050", kind="laptop")
    upload = SimpleUploadedFile("specs.json", THINKPAD, content_type="application/json")
    response = client_for(world.desk).post(
        reverse("devices:specs", kwargs={"pk": other.pk}), {"lshw_file": upload, "overwrite": "on"}
    )
    assert response.status_code == 200
    assert "LEU-000001" in response.content.decode()
    other.refresh_from_db()
    assert (other.serial, other.cpu) == ("", "")


# --- values no real machine has --------------------------------------------------------------


def _absurd(change) -> bytes:
    tree = json.loads(THINKPAD)
    core = tree["children"][0]
    nodes = {n["id"]: n for n in core["children"]}
    change(tree, core, nodes)
    return json.dumps(tree, allow_nan=True).encode()


def _huge_disk(tree, core, nodes):
    nodes["pci"]["children"][1]["children"][0]["children"][0]["size"] = 10**30


def _negative_memory(tree, core, nodes):
    nodes["memory"]["size"] = -8589934592


def _infinite_bank(tree, core, nodes):
    del nodes["memory"]["size"]
    nodes["memory"]["children"][0]["size"] = float("inf")


def _absurd_cores(tree, core, nodes):
    nodes["cpu"].setdefault("configuration", {})["cores"] = "250000"


def _thousands_of_processors(tree, core, nodes):
    core["children"] += [dict(nodes["cpu"], id=f"cpu:{i}") for i in range(2000)]


ABSURD = [
    (_huge_disk, "a disk a size of 1000000000000000000000000000000 bytes"),
    (_negative_memory, "the memory a size of -8589934592 bytes"),
    (_infinite_bank, "the memory a size of inf bytes"),
    (_absurd_cores, "a processor 250000 cores"),
    (_thousands_of_processors, "2001 processors"),
]


@pytest.mark.parametrize(("change", "message"), ABSURD, ids=[c.__name__ for c, _m in ABSURD])
def test_the_parser_refuses_values_no_real_machine_has(change, message):
    with pytest.raises(lshw.LshwError, match=message) as refused:
        lshw.parse(_absurd(change))
    assert "Nothing was changed." in str(refused.value)


@pytest.mark.parametrize(("change", "message"), ABSURD, ids=[c.__name__ for c, _m in ABSURD])
def test_uploading_an_absurd_value_is_a_form_message_and_changes_nothing(world, client_for, change, message):
    before = Device.objects.filter(pk=world.laptop.pk).values().get()
    upload = SimpleUploadedFile("specs.json", _absurd(change), content_type="application/json")
    response = client_for(world.desk).post(
        reverse("devices:specs", kwargs={"pk": world.laptop.pk}), {"lshw_file": upload, "overwrite": "on"}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Device.objects.filter(pk=world.laptop.pk).values().get() == before


def test_registering_with_an_absurd_lshw_file_is_a_form_message_and_registers_nothing(world, client_for):
    count = Device.objects.in_network(world.leuven).count()
    upload = SimpleUploadedFile("specs.json", _absurd(_huge_disk), content_type="application/json")
    response = client_for(world.desk).post(reverse("devices:create"), {"kind": "laptop", "lshw_file": upload})
    assert response.status_code == 200
    assert "which no real device has" in response.content.decode()
    assert Device.objects.in_network(world.leuven).count() == count


def test_large_but_real_values_are_read():
    specs = lshw.parse(_absurd(lambda tree, core, nodes: nodes["memory"].update(size=2 * 1024**4)))
    assert specs.ram_gb == Decimal("2048.0")
