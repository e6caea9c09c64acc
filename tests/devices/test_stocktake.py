"""Stock-take: scanning confirms where devices are; closing lists what was expected but not seen."""

from django.urls import reverse

from digibank.devices.lifecycle import DeviceStatus as S
from digibank.devices.models import Device, StockTake, StockTakeScan

from .world import add_device


def scan(client, stock_take, code, **extra):
    return client.post(
        reverse("devices:stocktake_detail", kwargs={"pk": stock_take.pk}), {"code": code}, **extra
    )


def test_starting_a_stock_take_opens_the_scanning_page(world, client_for):
    response = client_for(world.desk).post(reverse("devices:stocktakes"), {"location": world.storage.pk})
    stock_take = StockTake.objects.get(location=world.storage)
    assert response["Location"] == reverse("devices:stocktake_detail", kwargs={"pk": stock_take.pk})
    page = client_for(world.desk).get(response["Location"]).content.decode()
    assert "autofocus" in page


def test_a_scan_accepts_the_label_url_a_tag_url_or_the_typed_tag(world, client_for):
    client = client_for(world.desk)
    second = add_device(world.leuven, asset_tag="LEU-000002", location=world.workshop)
    third = add_device(world.leuven, asset_tag="LEU-000003", location=world.workshop)
    label_url = "https://digibank.example" + reverse("devices:detail", kwargs={"pk": world.laptop.pk})
    assert "LEU-000001 is counted." in scan(client, world.stock_take, label_url).content.decode()
    assert "is counted" in scan(client, world.stock_take, "/devices/tag/?tag=LEU-000002").content.decode()
    assert "is counted" in scan(client, world.stock_take, " leu000003 ").content.decode()
    assert set(
        StockTakeScan.objects.filter(stock_take=world.stock_take).values_list("device_id", flat=True)
    ) == {
        world.laptop.pk,
        second.pk,
        third.pk,
    }
    world.laptop.refresh_from_db()
    assert world.laptop.last_seen_at is not None


def test_scanning_twice_counts_once(world, client_for):
    client = client_for(world.desk)
    scan(client, world.stock_take, "LEU-000001")
    assert "was already counted" in scan(client, world.stock_take, "LEU-000001").content.decode()
    assert StockTakeScan.objects.filter(stock_take=world.stock_take).count() == 1


def test_an_unknown_code_or_a_device_of_another_network_is_reported(world, client_for):
    client = client_for(world.desk)
    for code in (
        "LEU-424242",
        "AND-000001",
        "https://x.example" + reverse("devices:detail", kwargs={"pk": world.other_device.pk}),
    ):
        body = scan(client, world.stock_take, code).content.decode()
        assert "No device of this network matches" in body and "Zegers" not in body
    assert not StockTakeScan.objects.exists()


def test_a_device_registered_elsewhere_can_be_moved_here(world, client_for):
    client = client_for(world.desk)
    elsewhere = add_device(world.leuven, asset_tag="LEU-000005", location=world.storage)
    body = scan(client, world.stock_take, "LEU-000005").content.decode()
    assert "is registered at Stockruimte Stadskantoor" in body
    client.post(
        reverse("devices:stocktake_move", kwargs={"pk": world.stock_take.pk}), {"device": elsewhere.pk}
    )
    elsewhere.refresh_from_db()
    assert elsewhere.location == world.workshop
    assert StockTakeScan.objects.get(device=elsewhere).moved_from == world.storage


def test_only_a_scanned_device_can_be_moved(world, client_for):
    elsewhere = add_device(world.leuven, asset_tag="LEU-000005", location=world.storage)
    client_for(world.desk).post(
        reverse("devices:stocktake_move", kwargs={"pk": world.stock_take.pk}), {"device": elsewhere.pk}
    )
    elsewhere.refresh_from_db()
    assert elsewhere.location == world.storage


def test_closing_lists_what_was_expected_but_not_seen(world, client_for):
    client = client_for(world.desk)
    missing = add_device(world.leuven, asset_tag="LEU-000006", location=world.workshop, model="Missing Book")
    lent = add_device(world.leuven, asset_tag="LEU-000007", location=world.workshop)
    Device.objects.filter(pk=lent.pk).update(status=S.ON_LOAN)  # not expected on the shelf
    scan(client, world.stock_take, "LEU-000001")
    url = reverse("devices:stocktake_close", kwargs={"pk": world.stock_take.pk})
    assert client.post(url, {}).status_code == 302  # without confirmation nothing happens
    world.stock_take.refresh_from_db()
    assert world.stock_take.is_open
    client.post(url, {"confirm": "close"})
    world.stock_take.refresh_from_db()
    assert not world.stock_take.is_open and world.stock_take.missing_device_ids == [missing.pk]
    # The report stays what it was, even when the device turns up later elsewhere.
    Device.objects.filter(pk=missing.pk).update(location=world.storage)
    page = client.get(
        reverse("devices:stocktake_detail", kwargs={"pk": world.stock_take.pk})
    ).content.decode()
    assert "Expected here but not seen" in page and "LEU-000006" in page and "LEU-000007" not in page
    # A closed stock-take takes no more scans.
    scan(client, world.stock_take, "LEU-000006")
    assert StockTakeScan.objects.filter(stock_take=world.stock_take).count() == 1


def test_scanning_with_htmx_returns_the_fragment(world, client_for):
    response = scan(client_for(world.desk), world.stock_take, "LEU-000001", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="scanning">') and "<html" not in body


def test_the_device_page_offers_to_count_it_in_an_open_stock_take(world, client_for):
    client = client_for(world.desk)
    page = client.get(reverse("devices:detail", kwargs={"pk": world.laptop.pk})).content.decode()
    assert "count it at Werkplaats Vaartkom" in page
    client.post(reverse("devices:seen", kwargs={"pk": world.laptop.pk}), {"stock_take": world.stock_take.pk})
    assert StockTakeScan.objects.filter(stock_take=world.stock_take, device=world.laptop).exists()


def test_stock_takes_of_another_network_are_not_found_and_digipunt_staff_cannot_count(world, client_for):
    assert (
        client_for(world.desk)
        .get(reverse("devices:stocktake_detail", kwargs={"pk": world.other_stock_take.pk}))
        .status_code
        == 404
    )
    assert scan(client_for(world.digipunt), world.stock_take, "LEU-000001").status_code == 403
    assert not StockTakeScan.objects.exists()
