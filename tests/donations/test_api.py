"""The donations API router, called through ninja's test client (the lead mounts it at /api/v1/donations)."""

import pytest
from ninja.testing import TestClient

from digibank.accounts.services import api_token_create
from digibank.devices.donations.api import router

from .factories import BatchFactory, DeviceFactory, DonorFactory, WipeFactory


@pytest.fixture
def api():
    client = TestClient(router)

    def get(user, path, network=None, **params):
        network = network or user.memberships.order_by("pk").first().network
        _token, raw = api_token_create(user=user, network=network, name="test")
        return client.get(path, headers={"AUTHORIZATION": f"Bearer {raw}"}, query_params=params or None)

    return get


def test_it_lists_the_networks_donors(world, api):
    response = api(world.desk, "/donors/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["items"][0]["name"] == "Brouwerij Proefbier NV"
    assert body["items"][0]["vat_number"] == "BE0403170701"
    assert body["items"][0]["batch_count"] == 1


def test_it_shows_one_batch_with_its_counts_and_devices(world, api):
    device = DeviceFactory(batch=world.batch, serial="API-1")
    WipeFactory(device=device)
    DeviceFactory(batch=world.batch, serial="API-2")
    response = api(world.digipunt, f"/batches/{world.batch.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == "D2026-0001"
    assert body["donor"]["name"] == "Brouwerij Proefbier NV"
    assert body["collection_point"]["name"] == "Inzamelpunt Stadskantoor"
    assert (body["registered_count"], body["wiped_count"], body["reused_count"]) == (2, 1, 0)
    assert {(d["serial"], d["wiped"]) for d in body["devices"]} == {("API-1", True), ("API-2", False)}


def test_another_networks_donor_or_batch_is_not_found(world, api):
    assert api(world.coordinator, f"/donors/{world.donor_other.pk}").status_code == 404
    assert api(world.coordinator, f"/batches/{world.batch_other.pk}").status_code == 404
    body = api(world.outsider, "/batches/").json()
    assert [b["reference"] for b in body["items"]] == ["D2026-0001"]
    assert body["items"][0]["donor"]["name"] == "Zegers NV"


def test_roles_without_device_access_get_403(world, api):
    assert api(world.partner_a, "/donors/").status_code == 403
    assert api(world.volunteer, f"/batches/{world.batch.pk}").status_code == 403


def test_batches_filter_by_year_and_donor(world, api):
    import datetime

    other_donor = DonorFactory(network=world.leuven)
    BatchFactory(donor=other_donor, reference="D2025-0003", received_on=datetime.date(2025, 4, 1))
    assert [b["reference"] for b in api(world.desk, "/batches/", year=2025).json()["items"]] == ["D2025-0003"]
    assert [b["reference"] for b in api(world.desk, "/batches/", donor=world.donor.pk).json()["items"]] == [
        "D2026-0001"
    ]
    assert api(world.desk, "/batches/", donor=world.donor_other.pk).status_code == 404


def test_api_lists_run_a_constant_number_of_queries(world, api, django_assert_max_num_queries):
    with django_assert_max_num_queries(20) as one:
        api(world.desk, "/batches/")
        api(world.desk, "/donors/")
    for n in range(8):
        batch = BatchFactory(donor=DonorFactory(network=world.leuven, name=f"Firma {n}"))
        WipeFactory(device=DeviceFactory(batch=batch))
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert api(world.desk, "/batches/").json()["count"] == 9
        assert api(world.desk, "/donors/").json()["count"] == 9
