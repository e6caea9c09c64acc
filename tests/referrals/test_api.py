"""The requests and referrals API: scoping, a partner's case system pushing referrals in, status changes."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from digibank.referrals.models import IntakeSettings, Referral, ReferralEvent, Request
from tests.api.conftest import token_for
from tests.residents.data import resident_data

from .helpers import make_request, refer

BASE = "/api/v1"


def api(user, network=None):
    return Client(headers={"Authorization": f"Bearer {token_for(user, network)}", "Accept-Language": "en"})


def post(client, path, body):
    return client.post(BASE + path, data=json.dumps(body), content_type="application/json")


def test_the_document_of_the_router_declares_permissions_and_models():
    from digibank.api.api import api as project_api

    document = project_api.get_openapi_schema()
    for path, item in document["paths"].items():
        if not path.startswith(("/api/v1/requests", "/api/v1/referrals")):
            continue
        for operation in item.values():
            assert operation["x-permission"], path
            if "{pk}" in path:
                assert operation["x-model"] in {"referrals.Request", "referrals.Referral"}


@pytest.mark.parametrize(
    ("actor", "status"),
    [
        ("desk", 200),
        ("partner_a", 200),
        ("partner_c", 200),
        ("partner_b", 404),
        ("digipunt", 200),
        ("steering", 403),
    ],
)
def test_request_detail_follows_the_scoping(world, actor, status):
    response = api(getattr(world, actor)).get(f"{BASE}/requests/{world.request_a.pk}")
    assert response.status_code == status, response.content
    if status != 200:
        assert "Amira" not in response.content.decode()


def test_a_token_of_the_other_network_gets_404(world):
    client = api(world.outsider, world.other)
    assert client.get(f"{BASE}/requests/{world.request_a.pk}").status_code == 404
    assert client.get(f"{BASE}/referrals/{world.referral_a.pk}").status_code == 404
    assert post(client, f"/referrals/{world.referral_a.pk}/status", {"status": "accepted"}).status_code == 404


def test_partner_b_sees_no_list_entries_and_404_on_partner_as_referral(world):
    client = api(world.partner_b)
    assert client.get(f"{BASE}/requests/").json()["count"] == 0
    assert client.get(f"{BASE}/referrals/").json()["count"] == 0
    assert client.get(f"{BASE}/referrals/{world.referral_a.pk}").status_code == 404
    response = post(client, f"/referrals/{world.referral_a.pk}/status", {"status": "accepted"})
    assert response.status_code == 404


def test_the_lists_use_a_constant_number_of_queries(world):
    client = api(world.desk)

    def count(path):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(BASE + path).status_code == 200
        return len(ctx.captured_queries)

    count("/requests/")  # the first call also records that the token was used
    one = (count("/requests/"), count("/referrals/"))
    for _ in range(5):
        refer(world, make_request(world))
    assert (count("/requests/"), count("/referrals/")) == one


def test_without_consent_the_receiver_gets_only_the_first_name(world):
    from .helpers import make_service

    service = make_service(world, "Help hours (api)", kind="help_hours", requires_consent=False)
    request = make_request(
        world, resident=world.resident_desk, consent=False, channel="phone", actor=world.desk
    )
    [referral] = refer(world, request, service, handover_contact="Via the desk")
    body = api(world.partner_c).get(f"{BASE}/referrals/{referral.pk}").json()
    assert body["resident"] == {"id": None, "first_name": "Bart", "last_name": "", "shared": False}
    assert body["handover_contact"] == "Via the desk"
    body = api(world.partner_c).get(f"{BASE}/requests/{request.pk}").json()
    assert body["description"] == "" and body["resident"]["shared"] is False


# --- a partner's case system pushes a referral in -------------------------------------------


def test_a_partner_token_creates_a_request_referred_by_its_organisation(world):
    body = {
        "resident": world.resident_a.pk,
        "needs": ["device"],
        "channel": "phone",
        "consent_to_share": True,
    }
    response = post(api(world.partner_a), "/requests/", body)
    assert response.status_code == 201, response.content
    created = Request.objects.get(pk=response.json()["id"])
    assert (created.channel, created.referred_by, created.created_by) == (
        "partner",
        world.org_a,
        world.partner_a,
    )
    assert response.json()["referred_by"]["id"] == world.org_a.pk


def test_a_partner_token_can_register_a_new_resident_with_the_request(world):
    new = {k: v for k, v in resident_data().items() if k != "district"}
    new["birth_year"] = int(new["birth_year"])
    new["languages"] = ["nl"]
    response = post(api(world.partner_a), "/requests/", {"new_resident": new, "needs": ["internet"]})
    assert response.status_code == 201, response.content
    assert response.json()["resident"]["last_name"] == "Janssens"
    again = post(api(world.partner_a), "/requests/", {"new_resident": new, "needs": ["internet"]})
    assert again.status_code == 409 and again.json()["duplicates"]


def test_a_partner_at_the_cap_gets_422_with_the_reason(world):
    IntakeSettings.objects.update_or_create(network=world.leuven, defaults={"open_request_cap": 1})
    before = Request.objects.count()
    response = post(
        api(world.partner_a), "/requests/", {"resident": world.resident_a.pk, "needs": ["device"]}
    )
    assert response.status_code == 422
    assert "at most 1 open requests" in json.dumps(response.json())
    assert Request.objects.count() == before


def test_a_partner_cannot_push_a_request_for_a_resident_they_may_not_see(world):
    response = post(
        api(world.partner_b), "/requests/", {"resident": world.resident_a.pk, "needs": ["device"]}
    )
    assert response.status_code == 422 and "resident" in response.json()["errors"]


def test_the_desk_must_say_how_the_request_came_in(world):
    response = post(api(world.desk), "/requests/", {"resident": world.resident_desk.pk, "needs": ["device"]})
    assert response.status_code == 422 and "channel" in response.json()["errors"]
    body = {
        "resident": world.resident_desk.pk,
        "needs": ["device"],
        "channel": "partner",
        "referred_by": world.org_b.pk,
    }
    response = post(api(world.desk), "/requests/", body)
    assert response.status_code == 201 and response.json()["referred_by"]["id"] == world.org_b.pk


# --- status changes -----------------------------------------------------------------------


def test_the_receiver_moves_the_referral_through_the_api(world):
    client = api(world.partner_c)
    for status in ["accepted", "in_progress", "done"]:
        response = post(client, f"/referrals/{world.referral_a.pk}/status", {"status": status})
        assert response.status_code == 200, response.content
        assert response.json()["status"] == status
    events = [e["to_status"] for e in response.json()["events"]]
    assert events == ["sent", "accepted", "in_progress", "done"]


def test_a_forbidden_transition_is_409_and_changes_nothing(world):
    response = post(api(world.partner_c), f"/referrals/{world.referral_a.pk}/status", {"status": "done"})
    assert response.status_code == 409 and "cannot become" in response.json()["detail"]
    assert Referral.objects.get(pk=world.referral_a.pk).status == "sent"


def test_the_referring_partner_may_not_change_the_status(world):
    response = post(api(world.partner_a), f"/referrals/{world.referral_a.pk}/status", {"status": "accepted"})
    assert response.status_code == 403
    assert not ReferralEvent.objects.filter(referral=world.referral_a, to_status="accepted").exists()


def test_declining_through_the_api_needs_a_reason(world):
    client = api(world.partner_c)
    response = post(client, f"/referrals/{world.referral_a.pk}/status", {"status": "declined"})
    assert response.status_code == 422 and "reason" in response.json()["errors"]
    response = post(
        client, f"/referrals/{world.referral_a.pk}/status", {"status": "declined", "reason": "Full"}
    )
    assert response.status_code == 200 and response.json()["outcome_reason"] == "Full"


def test_an_empty_status_body_is_422_and_changes_nothing(world):
    response = post(api(world.desk), f"/referrals/{world.referral_a.pk}/status", {})
    assert response.status_code == 422
    assert Referral.objects.get(pk=world.referral_a.pk).status == "sent"
