"""The device list (filters, pagination, constant queries), the stock overview and the exports."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from digibank.devices import selectors
from digibank.devices.lifecycle import DeviceStatus as S
from digibank.devices.models import Device, RepairTask

from .world import add_device


def make_devices(world, count, **fields):
    start = Device.objects.filter(network=world.leuven).count() + 100
    return [
        add_device(world.leuven, asset_tag=f"LEU-{start + i:06d}", location=world.storage, **fields)
        for i in range(count)
    ]


def test_the_list_filters_by_status_kind_location_and_text(world, client_for):
    make_devices(world, 2, kind="tablet", brand="Samsung")
    ready = make_devices(world, 1, kind="laptop", brand="Dell", serial="DELL-77")[0]
    Device.objects.filter(pk=ready.pk).update(status=S.READY)
    client = client_for(world.desk)

    def tags(**query):
        body = client.get(reverse("devices:list"), query).content.decode()
        return {
            d.asset_tag for d in Device.objects.filter(network=world.leuven) if f">{d.asset_tag}<" in body
        }

    assert tags(kind="tablet", location=world.storage.pk) == {
        d.asset_tag for d in Device.objects.filter(kind="tablet", network=world.leuven)
    }
    assert tags(status="ready", location=world.storage.pk) == {ready.asset_tag}
    assert tags(q="dell-77") == {ready.asset_tag}
    assert "LEU-000001" in tags(status=["received", "ready"], location=world.workshop.pk)


def test_unknown_filter_values_are_ignored_or_reported_not_crashing(world, client_for):
    response = client_for(world.desk).get(
        reverse("devices:list"), {"status": "bogus", "kind": "toaster", "page": "x"}
    )
    assert response.status_code == 200


def test_the_list_runs_a_constant_number_of_queries(world, client_for, django_assert_max_num_queries):
    client = client_for(world.desk)
    url = reverse("devices:list")
    client.get(url)
    with django_assert_max_num_queries(12) as one:
        client.get(url)
    make_devices(world, 60)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert response.context["page"].paginator.per_page == selectors.DEVICES_PER_PAGE
    assert len(response.context["devices"]) == 50


def test_the_list_with_htmx_returns_only_the_results(world, client_for):
    body = client_for(world.desk).get(reverse("devices:list"), HTTP_HX_REQUEST="true").content.decode()
    assert body.lstrip().startswith('<div id="device-results"') and "<html" not in body


def test_the_csv_export_has_the_filtered_devices_and_neutralises_formulas(world, client_for):
    make_devices(world, 3, kind="tablet", brand='=HYPERLINK("http://evil")')
    response = client_for(world.desk).get(reverse("devices:export_csv"), {"kind": "tablet"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Asset tag", "Kind", "Brand"]
    assert len(rows) == 1 + Device.objects.filter(network=world.leuven, kind="tablet").count()
    assert all(row[2].startswith("'=") for row in rows[1:] if row[2])
    assert "Zegers" not in str(rows)


def test_the_xlsx_export_has_the_same_rows(world, client_for, django_assert_max_num_queries):
    make_devices(world, 5)
    client = client_for(world.digipunt)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("devices:export_xlsx"), {"location": world.storage.pk})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][0] == "Asset tag"
    assert len(values) == 1 + Device.objects.filter(location=world.storage).count()


def test_the_overview_counts_by_status_kind_and_location_and_what_waits(world, client_for):
    make_devices(world, 3, kind="tablet")
    wiping = make_devices(world, 2)
    Device.objects.filter(pk__in=[d.pk for d in wiping]).update(status=S.WIPING)
    RepairTask.objects.create(network=world.leuven, device=wiping[0], title="Fan")
    overview = selectors.stock_overview(membership=world.desk.memberships.get())
    waiting = {group["key"]: group["n"] for group in overview["waiting"]}
    received = Device.objects.filter(
        network=world.leuven, status__in=[S.RECEIVED, S.RETURNED, S.WIPING]
    ).count()
    assert waiting["wipe"] == received
    assert overview["open_tasks"] == 2 and overview["unassigned_tasks"] == 1
    assert overview["total"] == Device.objects.filter(network=world.leuven).count()
    storage = next(row for row in overview["by_location"] if row["id"] == world.storage.pk)
    assert storage["total"] == 5
    page = client_for(world.digipunt).get(reverse("devices:overview")).content.decode()
    assert "Devices by status and kind" in page and "Stockruimte Stadskantoor" in page


def test_the_overview_shows_the_lending_figures_when_lending_provides_them(world, client_for):
    pytest.importorskip("digibank.lending.selectors")
    page = client_for(world.desk).get(reverse("devices:overview")).content.decode()
    assert "Loans due this week" in page and "Median waiting time" in page


def test_the_overview_runs_a_constant_number_of_queries(world, client_for, django_assert_max_num_queries):
    client = client_for(world.desk)
    client.get(reverse("devices:overview"))
    with django_assert_max_num_queries(30) as before:
        client.get(reverse("devices:overview"))
    make_devices(world, 20, kind="screen")
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(reverse("devices:overview"))


def test_volunteers_and_partners_see_no_device_lists(world, client_for):
    for actor in (world.volunteer, world.partner_a, world.steering):
        assert client_for(actor).get(reverse("devices:list")).status_code == 403
        assert client_for(actor).get(reverse("devices:export_csv")).status_code == 403
