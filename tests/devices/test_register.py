"""Registering and editing devices: asset tags per network, serial numbers, specs from lshw."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from digibank.devices import services
from digibank.devices.lifecycle import DeviceStatus
from digibank.devices.models import Device, DeviceEvent

from .helpers import FIXTURES, register, resave


def test_the_asset_tag_is_the_next_number_with_the_networks_prefix(world):
    first = register(world, brand="HP")
    second = register(world, brand="Dell")
    assert services.asset_tag_prefix(world.leuven) == "LEU"
    # The world already holds LEU-000001.
    assert (first.asset_tag, second.asset_tag) == ("LEU-000002", "LEU-000003")


def test_asset_tags_count_per_network(world):
    device = services.device_register(network=world.other, actor=world.outsider, data={"kind": "tablet"})
    assert device.asset_tag == "AND-000002"


def test_numbers_past_six_digits_keep_counting(world):
    Device.objects.create(network=world.leuven, asset_tag="LEU-999999", kind="laptop")
    assert register(world).asset_tag == "LEU-1000000"
    assert register(world).asset_tag == "LEU-1000001"


def test_a_tag_taken_at_the_same_moment_is_retried_with_the_next_number(world, monkeypatch):
    """Two desks compute the same next tag: the unique constraint refuses one, which takes the next."""
    real_next = services._next_asset_tag
    calls = []

    def stale_next(network):
        calls.append(1)
        # The first attempt proposes a tag another desk has just stored.
        return "LEU-000001" if len(calls) == 1 else real_next(network)

    monkeypatch.setattr(services, "_next_asset_tag", stale_next)
    before = Device.objects.filter(network=world.leuven).count()
    device = register(world, brand="Acer")
    assert device.asset_tag == "LEU-000002"
    assert len(calls) == 2
    assert Device.objects.filter(network=world.leuven).count() == before + 1


def test_registration_records_the_first_event_of_the_history(world):
    device = register(world)
    event = DeviceEvent.objects.get(device=device)
    assert (event.from_status, event.to_status, event.actor) == ("", DeviceStatus.RECEIVED, world.desk)
    assert device.status == DeviceStatus.RECEIVED


def test_a_serial_number_is_registered_once_per_network(world):
    with pytest.raises(services.ValidationError, match="LEU-000001"):
        register(world, serial="pf1abcde")
    # Another network may hold the same serial.
    services.device_register(
        network=world.other, actor=world.outsider, data={"kind": "laptop", "serial": "PF1ABCDE"}
    )


def test_the_database_refuses_a_duplicate_serial_too(world):
    with pytest.raises(IntegrityError):
        Device.objects.create(network=world.leuven, asset_tag="LEU-000777", kind="laptop", serial="PF1ABCDE")


def test_the_desk_registers_a_device_with_the_form(world, client_for):
    client = client_for(world.desk)
    response = client.post(
        reverse("devices:create"),
        {
            "kind": "laptop",
            "brand": "Dell",
            "model": "Latitude 5490",
            "serial": "7XK2Q52",
            "location": world.workshop.pk,
        },
    )
    device = Device.objects.get(network=world.leuven, serial="7XK2Q52")
    assert response.status_code == 302 and response["Location"] == reverse(
        "devices:detail", kwargs={"pk": device.pk}
    )
    assert (device.asset_tag, device.location) == ("LEU-000002", world.workshop)


def test_registering_with_lshw_fills_in_the_specs_and_the_kind(world, client_for):
    client = client_for(world.desk)
    before = Device.objects.filter(network=world.leuven).count()
    with open(FIXTURES / "lshw-thinkpad-t480.json", "rb") as upload:
        response = client.post(reverse("devices:create"), {"kind": "", "brand": "", "lshw_file": upload})
    assert response.status_code == 200
    # The world's laptop already carries serial PF1ABCDE: lshw's serial is refused, nothing is saved.
    assert "LEU-000001" in response.content.decode()
    assert Device.objects.filter(network=world.leuven).count() == before

    resave(world.laptop.pk, serial="OTHER-1")
    with open(FIXTURES / "lshw-thinkpad-t480.json", "rb") as upload:
        client.post(reverse("devices:create"), {"kind": "", "brand": "", "lshw_file": upload})
    device = Device.objects.get(network=world.leuven, serial="PF1ABCDE")
    assert device.kind == "laptop"
    assert (device.brand, device.model) == ("LENOVO", "ThinkPad T480 (20L5000UMH)")
    assert device.cpu.startswith("Intel(R) Core(TM) i5-8250U")
    assert (str(device.ram_gb), device.storage_gb, device.storage_type) == ("16.0", 256, "NVMe")
    assert device.disk_serials == "S4ELNX0M998877"


def test_a_form_with_errors_is_shown_again_and_saves_nothing(world, client_for):
    before = Device.objects.count()
    response = client_for(world.desk).post(reverse("devices:create"), {"kind": "", "battery_health": "140"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'aria-invalid="true"' in body
    assert Device.objects.count() == before


def test_a_location_of_another_network_cannot_be_chosen(world, client_for):
    before = Device.objects.count()
    response = client_for(world.desk).post(
        reverse("devices:create"), {"kind": "laptop", "location": world.other_location.pk}
    )
    assert response.status_code == 200
    assert Device.objects.count() == before


def test_editing_keeps_the_tag_and_the_status(world, client_for):
    response = client_for(world.desk).post(
        reverse("devices:edit", kwargs={"pk": world.laptop.pk}),
        {
            "kind": "laptop",
            "brand": "Lenovo",
            "model": "ThinkPad T480s",
            "serial": "PF1ABCDE",
            "os": "Linux Mint 22",
        },
    )
    assert response.status_code == 302
    world.laptop.refresh_from_db()
    assert (world.laptop.model, world.laptop.os, world.laptop.asset_tag) == (
        "ThinkPad T480s",
        "Linux Mint 22",
        "LEU-000001",
    )
    assert world.laptop.status == DeviceStatus.RECEIVED


def test_digipunt_staff_see_devices_but_do_not_manage_them(world, client_for):
    client = client_for(world.digipunt)
    assert client.get(reverse("devices:detail", kwargs={"pk": world.laptop.pk})).status_code == 200
    assert client.get(reverse("devices:create")).status_code == 403
    assert (
        client.post(reverse("devices:edit", kwargs={"pk": world.laptop.pk}), {"kind": "tablet"}).status_code
        == 403
    )
    world.laptop.refresh_from_db()
    assert world.laptop.kind == "laptop"


def test_a_device_of_another_network_is_not_found(world, client_for):
    client = client_for(world.desk)
    for name in ("devices:detail", "devices:edit", "devices:specs", "devices:wipe_add", "devices:check_add"):
        assert client.get(reverse(name, kwargs={"pk": world.other_device.pk})).status_code == 404


def test_a_tag_opens_the_device_page(world, client_for):
    client = client_for(world.digipunt)
    response = client.get(reverse("devices:by_tag"), {"tag": "leu-000001"})
    assert response["Location"] == reverse("devices:detail", kwargs={"pk": world.laptop.pk})
    assert client.get(reverse("devices:by_tag"), {"tag": "AND-000001"}).status_code == 404
