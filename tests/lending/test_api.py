"""The lending API router (digibank.lending.api), mounted on a test API like the lead mounts it:
``api.add_router("/lending", router)`` with the API's error handlers."""

import datetime

import pytest
from django.utils import timezone
from ninja import NinjaAPI
from ninja.testing import TestClient

from digibank.apikit.errors import install_error_handlers
from digibank.devices.lifecycle import DeviceStatus
from digibank.lending import services
from digibank.lending.api import router
from digibank.lending.models import Loan, LoanStatus

from ..api.conftest import token_for
from ..factories import ResidentFactory
from .helpers import make_eligible, ready_device

_api = NinjaAPI(urls_namespace="lending-api-test", docs_url=None)
install_error_handlers(_api)
_api.add_router("/lending", router, url_name_prefix="lending-test")


@pytest.fixture
def api():
    def make(user, network=None):
        token = token_for(user, network)
        client = TestClient(_api, headers={"Authorization": f"Bearer {token}"})
        return client

    return make


def eligible(world):
    resident = ResidentFactory(network=world.leuven)
    make_eligible(resident)
    return resident


def test_the_loan_list_shows_the_networks_loans_with_resident_and_device(world, api):
    response = api(world.desk).get("/lending/loans/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["number"] == world.loan.number
    assert item["resident"]["full_name"] == "Bart Bosmans"
    assert item["device"]["serial"] == "LNTSN1"
    assert "Zegers" not in response.content.decode()


def test_the_loan_list_runs_a_constant_number_of_queries(world, api, django_assert_max_num_queries):
    client = api(world.desk)
    client.get("/lending/loans/?show=all")
    with django_assert_max_num_queries(20) as one:
        client.get("/lending/loans/?show=all")
    for _ in range(8):
        services.loan_create(resident=eligible(world), device=ready_device(world.leuven), actor=None)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get("/lending/loans/?show=all")
    assert response.json()["count"] == 9


def test_the_waiting_list_runs_a_constant_number_of_queries(world, api, django_assert_max_num_queries):
    client = api(world.desk)
    services.waiting_add(resident=eligible(world), category=world.category, device_kind="laptop", actor=None)
    client.get("/lending/waiting-list/")
    with django_assert_max_num_queries(20) as one:
        client.get("/lending/waiting-list/")
    for _ in range(6):
        services.waiting_add(
            resident=eligible(world), category=world.category, device_kind="laptop", actor=None
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get("/lending/waiting-list/?device_kind=laptop")
    items = response.json()["items"]
    assert [i["position"] for i in items] == list(range(1, 8))
    assert items[0]["category"]["name"] == "Leerlingen en studenten"


def test_a_loan_of_another_network_is_not_found(world, api):
    response = api(world.desk).get(f"/lending/loans/{world.loan_other.pk}")
    assert response.status_code == 404
    assert "Zegers" not in response.content.decode()


def test_roles_without_loan_view_are_refused(world, api):
    for actor in (world.partner_a, world.steering, world.digipunt):
        assert api(actor).get("/lending/loans/").status_code == 403
        assert api(actor).get("/lending/waiting-list/").status_code == 403


def test_lending_through_the_api_follows_the_same_rules(world, api):
    client = api(world.desk)
    resident = eligible(world)
    device = ready_device(world.leuven)
    assert client.post("/lending/loans/", json={}).status_code == 422
    response = client.post("/lending/loans/", json={"resident": resident.pk, "asset_tag": device.asset_tag})
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "active"
    again = client.post(
        "/lending/loans/", json={"resident": eligible(world).pk, "asset_tag": device.asset_tag}
    )
    assert again.status_code == 422
    assert "only a ready device" in again.content.decode()
    ineligible = ResidentFactory(network=world.leuven)
    refused = client.post(
        "/lending/loans/", json={"resident": ineligible.pk, "asset_tag": ready_device(world.leuven).asset_tag}
    )
    assert refused.status_code == 422
    hidden = client.post(
        "/lending/loans/", json={"resident": world.borrower_other.pk, "asset_tag": device.asset_tag}
    )
    assert hidden.status_code == 404


def test_taking_back_through_the_api(world, api):
    client = api(world.desk)
    url = f"/lending/loans/{world.loan.pk}/return"
    assert client.post(url, json={}).status_code == 422  # an empty body changes nothing
    assert Loan.objects.get(pk=world.loan.pk).status == LoanStatus.ACTIVE
    response = client.post(url, json={"condition_in": "B, charger missing", "deposit_refunded": False})
    assert response.status_code == 200
    assert response.json()["status"] == "returned"
    world.loan.device.refresh_from_db()
    assert world.loan.device.status == DeviceStatus.RETURNED


def test_the_outsider_cannot_take_back_a_leuven_loan(world, api):
    response = api(world.outsider, world.other).post(
        f"/lending/loans/{world.loan.pk}/return", json={"condition_in": "x"}
    )
    assert response.status_code == 404
    assert Loan.objects.get(pk=world.loan.pk).status == LoanStatus.ACTIVE


def test_overdue_filter(world, api):
    today = timezone.localdate()
    late = services.loan_create(
        resident=eligible(world),
        device=ready_device(world.leuven),
        actor=None,
        started_on=today - datetime.timedelta(days=40),
        due_on=today - datetime.timedelta(days=2),
    )
    body = api(world.desk).get("/lending/loans/?show=overdue").json()
    assert [i["id"] for i in body["items"]] == [late.pk]
