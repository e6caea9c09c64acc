import datetime
import io
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from digibank.devices.donations import services
from digibank.devices.lifecycle import DeviceStatus
from digibank.devices.models import Device, DeviceEvent, DonationBatch

from .factories import BatchFactory, DeviceFactory, LocationFactory, WipeFactory


def batch_data(world, **overrides):
    data = {
        "donor": world.donor.pk,
        "received_on": "2026-02-03",
        "collection_point": world.collection_point.pk,
        "expected_count": "5",
        "notes": "",
    }
    return {**data, **overrides}


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    """The world's batches are of 2026; keep "today" after them."""
    monkeypatch.setattr(timezone, "localdate", lambda *a: datetime.date(2026, 6, 1))


def test_it_registers_a_batch_with_the_next_reference_of_its_year(world, client_for):
    response = client_for(world.desk).post(reverse("donations:batch_create"), batch_data(world))
    batch = DonationBatch.objects.get(network=world.leuven, reference="D2026-0002")
    assert response.status_code == 302
    assert response["Location"] == reverse("donations:batch_detail", kwargs={"pk": batch.pk})
    assert (batch.donor, batch.expected_count, batch.created_by) == (world.donor, 5, world.desk)


def test_references_count_per_network_and_per_year(world):
    make = lambda network, donor, day: services.batch_create(  # noqa: E731
        network=network, actor=None, data={"donor": donor, "received_on": day}
    )
    assert make(world.leuven, world.donor, datetime.date(2025, 12, 30)).reference == "D2025-0001"
    assert make(world.leuven, world.donor, datetime.date(2026, 1, 2)).reference == "D2026-0002"
    assert make(world.other, world.donor_other, datetime.date(2026, 1, 2)).reference == "D2026-0002"
    BatchFactory(donor=world.donor, reference="D2026-0041")
    BatchFactory(donor=world.donor, reference="D2026-9x")
    assert make(world.leuven, world.donor, datetime.date(2026, 3, 1)).reference == "D2026-0042"


def test_a_reference_taken_at_the_same_moment_is_retried(world):
    # A colleague's batch got "D2026-0002" between our look-up and our insert.
    BatchFactory(donor=world.donor, reference="D2026-0002")
    with mock.patch.object(services, "batch_reference_next", side_effect=["D2026-0002", "D2026-0003"]):
        batch = services.batch_create(
            network=world.leuven,
            actor=None,
            data={"donor": world.donor, "received_on": datetime.date(2026, 2, 1)},
        )
    assert batch.reference == "D2026-0003"


def test_it_refuses_a_batch_received_in_the_future(world, client_for):
    response = client_for(world.desk).post(
        reverse("donations:batch_create"), batch_data(world, received_on="2026-06-02")
    )
    assert response.status_code == 200
    assert "cannot be received in the future" in response.text
    assert DonationBatch.objects.filter(network=world.leuven).count() == 1


def test_it_refuses_a_donor_or_collection_point_of_another_network(world, client_for):
    client = client_for(world.desk)
    response = client.post(reverse("donations:batch_create"), batch_data(world, donor=world.donor_other.pk))
    assert response.status_code == 200
    response = client.post(
        reverse("donations:batch_create"), batch_data(world, collection_point=world.collection_point_other.pk)
    )
    assert response.status_code == 200
    assert "Zegers" not in response.text
    assert DonationBatch.objects.filter(network=world.leuven).count() == 1
    with pytest.raises(ValidationError):
        services.batch_create(
            network=world.leuven,
            actor=None,
            data={
                "donor": world.donor,
                "received_on": datetime.date(2026, 1, 1),
                "collection_point": world.collection_point_other,
            },
        )


def test_it_edits_a_batch_and_keeps_its_reference(world, client_for):
    response = client_for(world.coordinator).post(
        reverse("donations:batch_edit", kwargs={"pk": world.batch.pk}),
        batch_data(world, received_on="2025-12-01", expected_count="20", notes="Twee dozen"),
    )
    assert response.status_code == 302
    world.batch.refresh_from_db()
    assert (world.batch.reference, world.batch.expected_count, world.batch.notes) == (
        "D2026-0001",
        20,
        "Twee dozen",
    )


def test_the_batch_page_shows_expected_registered_wiped_and_reused(world, client_for):
    wiped = DeviceFactory(batch=world.batch, serial="WIPED-1")
    WipeFactory(device=wiped)
    lent = DeviceFactory(batch=world.batch, serial="LENT-1")
    WipeFactory(device=lent)
    DeviceEvent.objects.create(network=world.leuven, device=lent, from_status="ready", to_status="on_loan")
    DeviceFactory(batch=world.batch, serial="NEW-1")
    failed = DeviceFactory(batch=world.batch, serial="FAILED-1")
    WipeFactory(device=failed, succeeded=False)
    response = client_for(world.digipunt).get(
        reverse("donations:batch_detail", kwargs={"pk": world.batch.pk})
    )
    assert response.status_code == 200
    batch = response.context["batch"]
    assert (batch.expected_count, batch.registered_count, batch.wiped_count, batch.reused_count) == (
        12,
        4,
        2,
        1,
    )
    assert "8 announced devices are not registered yet" in response.text
    assert "NEW-1" in response.text
    # Digipunt staff may look, not register.
    assert "Register a device of this batch" not in response.text


def test_the_batch_list_shows_counts_in_a_constant_number_of_queries(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.desk)
    url = reverse("donations:batch_list")
    with django_assert_max_num_queries(15) as one:
        client.get(url)
    for _n in range(10):
        batch = BatchFactory(donor=world.donor, collection_point=LocationFactory(network=world.leuven))
        WipeFactory(device=DeviceFactory(batch=batch))
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.context["batches"]) == 11


def test_the_batch_list_filters_by_year(world, client_for):
    BatchFactory(donor=world.donor, reference="D2025-0007", received_on=datetime.date(2025, 5, 5))
    response = client_for(world.desk).get(reverse("donations:batch_list"), {"year": "2025"})
    assert "D2025-0007" in response.text
    assert "D2026-0001" not in response.text


def test_it_registers_a_device_against_the_batch_with_a_generated_asset_tag(world, client_for):
    client = client_for(world.desk)
    url = reverse("donations:batch_device_add", kwargs={"pk": world.batch.pk})
    client.post(url, {"kind": "laptop", "brand": "Lenovo", "model": "ThinkPad T480", "serial": "PF1ABC"})
    response = client.post(url, {"kind": "tablet", "brand": "Apple", "model": "iPad 6", "serial": ""})
    assert response.status_code == 302
    first, second = Device.objects.filter(batch=world.batch).order_by("asset_tag")
    # The devices app generates the tags: the network's prefix and the next free numbers.
    assert first.asset_tag.startswith("LEU-") and second.asset_tag.startswith("LEU-")
    assert int(second.asset_tag[4:]) == int(first.asset_tag[4:]) + 1
    assert first.status == DeviceStatus.RECEIVED
    assert first.location == world.collection_point
    event = first.events.get()
    assert (event.from_status, event.to_status, event.actor) == ("", "received", world.desk)


def test_a_duplicate_serial_is_refused_whatever_its_case(world, client_for):
    owner = DeviceFactory(batch=world.batch, serial="PF1ABC")
    response = client_for(world.desk).post(
        reverse("donations:batch_device_add", kwargs={"pk": world.batch.pk}),
        {"kind": "laptop", "serial": "pf1abc "},
    )
    assert response.status_code == 200
    assert f"already registered as device {owner.asset_tag}" in response.text
    assert Device.objects.filter(batch=world.batch).count() == 1


def test_a_serial_of_another_network_is_no_conflict(world):
    DeviceFactory(batch=world.batch_other, serial="SHARED-1")
    device = services.batch_device_register(
        batch=world.batch, actor=None, data={"kind": "laptop", "serial": "SHARED-1"}
    )
    assert device.network == world.leuven


def test_registering_with_htmx_returns_the_devices_part_with_a_fresh_form(world, client_for):
    response = client_for(world.desk).post(
        reverse("donations:batch_device_add", kwargs={"pk": world.batch.pk}),
        {"kind": "laptop", "brand": "HP", "serial": "HTMX-1"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="batch-devices"' in response.text
    device = Device.objects.get(serial="HTMX-1")
    assert f"{device.asset_tag} is registered" in response.text
    assert 'value="HTMX-1"' not in response.text


def test_an_empty_registration_changes_nothing(world, client_for):
    response = client_for(world.desk).post(
        reverse("donations:batch_device_add", kwargs={"pk": world.batch.pk}), {}
    )
    assert response.status_code == 200
    assert not Device.objects.filter(batch=world.batch).exists()


def test_only_device_managers_register_devices(world, client_for):
    url = reverse("donations:batch_device_add", kwargs={"pk": world.batch.pk})
    assert client_for(world.digipunt).post(url, {"kind": "laptop"}).status_code == 403
    assert client_for(world.volunteer).post(url, {"kind": "laptop"}).status_code == 403
    assert not Device.objects.filter(batch=world.batch).exists()


def test_a_batch_of_another_network_is_not_found(world, client_for):
    client = client_for(world.coordinator)
    for name in ("batch_detail", "batch_edit", "batch_receipt", "batch_certificate", "batch_export"):
        assert (
            client.get(reverse(f"donations:{name}", kwargs={"pk": world.batch_other.pk})).status_code == 404
        )
    response = client.post(
        reverse("donations:batch_device_add", kwargs={"pk": world.batch_other.pk}), {"kind": "laptop"}
    )
    assert response.status_code == 404
    assert not Device.objects.filter(batch=world.batch_other).exists()


def test_it_exports_a_batchs_devices_as_csv_and_xlsx(world, client_for):
    from openpyxl import load_workbook

    WipeFactory(device=DeviceFactory(batch=world.batch, serial="=CMD()", brand="Dell"))
    client = client_for(world.digipunt)
    url = reverse("donations:batch_export", kwargs={"pk": world.batch.pk})
    csv_text = client.get(url, {"format": "csv"}).content.decode("utf-8-sig")
    header, row = csv_text.strip().splitlines()
    assert header.startswith("Asset tag;Kind;Brand")
    assert "'=CMD()" in row  # never a formula in the desk's spreadsheet
    assert row.endswith(";yes")
    response = client.get(url, {"format": "xlsx"})
    assert response["Content-Disposition"] == 'attachment; filename="devices-D2026-0001.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Asset tag"
    assert sheet["E2"].value == "'=CMD()"  # the same rule as the CSV (digibank.lib.exports)
    assert sheet["E2"].data_type == "s"


def test_it_exports_the_batch_list(world, client_for):
    from openpyxl import load_workbook

    client = client_for(world.desk)
    csv_text = client.get(reverse("donations:batch_list_export"), {"format": "csv"}).content.decode(
        "utf-8-sig"
    )
    assert (
        "D2026-0001;Brouwerij Proefbier NV;Company or organisation;14/01/2026;"
        "Inzamelpunt Stadskantoor;12;0;0;0;" in csv_text
    )
    assert "Zegers" not in csv_text
    response = client.get(reverse("donations:batch_list_export"), {"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][:2] == ("D2026-0001", "Brouwerij Proefbier NV")
