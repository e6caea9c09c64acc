"""The device API: list (filters, pagination, constant queries), detail with history, register
and status changes, with the same scoping and rules as the pages."""

import pytest
from openapi_spec_validator import validate

from digibank.accounts.services import api_token_create
from digibank.devices import nwipe, services
from digibank.devices.lifecycle import DeviceStatus as S
from digibank.devices.models import Device, DeviceEvent

from .helpers import FIXTURES, make_ready, resave
from .world import add_device

BASE = "/api/v1/devices"


@pytest.fixture
def api_for(client):
    def make(user, network):
        _token, raw = api_token_create(user=user, network=network, name="test")
        return lambda method, path, **kw: getattr(client, method)(
            BASE + path, HTTP_AUTHORIZATION=f"Bearer {raw}", content_type="application/json", **kw
        )

    return make


def test_the_list_is_paginated_filtered_and_scoped(world, api_for):
    call = api_for(world.digipunt, world.leuven)
    for i in range(3):
        add_device(world.leuven, asset_tag=f"LEU-00050{i}", kind="tablet", location=world.storage)
    body = call("get", "/", data={"kind": "tablet", "limit": 2}).json()
    assert body["count"] == 3 and len(body["items"]) == 2 and body["limit"] == 2
    item = body["items"][0]
    assert (item["kind"], item["status"], item["location"]["name"]) == (
        "tablet",
        "received",
        "Stockruimte Stadskantoor",
    )
    assert item["url"].endswith(f"/devices/{item['id']}/")
    everything = call("get", "/", data={"limit": 100}).json()
    assert "AND-000001" not in {d["asset_tag"] for d in everything["items"]}
    assert (
        call(
            "get", "/", data={"status": ["received"], "q": "thinkpad", "location": world.workshop.pk}
        ).json()["count"]
        == 1
    )


def test_the_list_runs_a_constant_number_of_queries(world, api_for, django_assert_max_num_queries):
    call = api_for(world.desk, world.leuven)
    call("get", "/")
    with django_assert_max_num_queries(10) as few:
        call("get", "/", data={"limit": 100})
    for i in range(30):
        add_device(world.leuven, asset_tag=f"LEU-0006{i:02d}", location=world.storage)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(call("get", "/", data={"limit": 100}).json()["items"]) >= 31


def test_the_detail_has_the_history_that_replays_to_the_status(world, api_for):
    make_ready(world.laptop, world.desk)
    body = api_for(world.desk, world.leuven)("get", f"/{world.laptop.pk}").json()
    assert body["status"] == "ready"
    assert [e["to_status"] for e in body["events"]] == ["received", "wiping", "quality_check", "ready"]
    assert body["events"][0]["from_status"] is None
    assert body["wipes"][0]["succeeded"] is True and body["quality_checks"][0]["passed"] is True
    assert body["repair_tasks"][0]["title"] == "Replace the keyboard"


def test_another_networks_device_is_404(world, api_for):
    response = api_for(world.desk, world.leuven)("get", f"/{world.other_device.pk}")
    assert response.status_code == 404 and "Zegers" not in response.content.decode()


def test_roles_without_device_view_get_403(world, api_for):
    for actor in (world.volunteer, world.partner_a, world.steering):
        assert api_for(actor, world.leuven)("get", "/").status_code == 403


def test_registering_gives_the_next_tag(world, api_for):
    call = api_for(world.desk, world.leuven)
    response = call(
        "post",
        "/",
        data={
            "kind": "laptop",
            "brand": "HP",
            "serial": "CND1234",
            "ram_gb": 8,
            "location": world.storage.pk,
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["asset_tag"] == "LEU-000002" and response.json()["ram_gb"] == 8.0
    duplicate = call("post", "/", data={"kind": "laptop", "serial": "cnd1234"})
    assert duplicate.status_code == 422 and "serial" in duplicate.json()["errors"]
    foreign = call("post", "/", data={"kind": "laptop", "location": world.other_location.pk})
    assert foreign.status_code == 422
    assert api_for(world.digipunt, world.leuven)("post", "/", data={"kind": "laptop"}).status_code == 403


def test_a_transition_follows_the_table_and_a_forbidden_one_changes_nothing(world, api_for):
    call = api_for(world.desk, world.leuven)
    response = call("post", f"/{world.laptop.pk}/transition", data={"to_status": "ready"})
    assert response.status_code == 422
    assert "cannot become" in response.json()["errors"]["__all__"][0]
    assert Device.objects.get(pk=world.laptop.pk).status == S.RECEIVED
    assert call("post", f"/{world.laptop.pk}/transition", data={"to_status": "on_loan"}).status_code == 422
    ok = call("post", f"/{world.laptop.pk}/transition", data={"to_status": "wiping", "reason": "API"})
    assert ok.status_code == 200 and ok.json()["status"] == "wiping"
    assert DeviceEvent.objects.filter(device=world.laptop, reason="API", actor=world.desk).exists()
    assert (
        call("post", f"/{world.other_device.pk}/transition", data={"to_status": "wiping"}).status_code == 404
    )


def test_the_openapi_document_with_the_device_router_is_valid(world, client):
    schema = client.get("/api/v1/openapi.json").json()
    validate(schema)
    assert schema["paths"]["/api/v1/devices/{pk}"]["get"]["x-permission"] == "device.view"


def test_a_wipe_in_the_api_carries_what_the_nwipe_log_said(world, api_for):
    log = (FIXTURES / "nwipe.log").read_bytes()
    resave(world.laptop.pk, disk_serials="S4ELNX0M998877")
    services.wipe_import_nwipe(network=world.leuven, actor=world.desk, log=nwipe.parse(log))
    wipe = api_for(world.desk, world.leuven)("get", f"/{world.laptop.pk}").json()["wipes"][0]
    assert (wipe["tool_version"], wipe["tool_method"], wipe["passes"], wipe["rounds"]) == (
        "0.35",
        "DoD Short",
        3,
        1,
    )
    assert (wipe["verify_mode"], wipe["blanking"], wipe["result"]) == ("last", True, "Erased")
    assert wipe["started_at"] < wipe["performed_at"]
