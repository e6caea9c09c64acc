import pytest
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from openapi_spec_validator import validate

from digibank.accounts.models import ApiToken
from digibank.accounts.services import api_token_create, api_token_revoke
from digibank.networks.models import Membership, Network
from digibank.networks.services import membership_set_active

from .conftest import token_for

RESIDENTS = "/api/v1/residents/"


def bearer(raw: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_the_openapi_document_is_valid_openapi_3(world, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    validate(document)
    assert document["components"]["securitySchemes"]["TokenAuth"] == {"type": "http", "scheme": "bearer"}


def test_the_docs_run_under_our_content_security_policy(world, client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    # Only our own static scripts, and the settings as a non-executable JSON block.
    assert html.count("<script") == 3
    assert '<script type="application/json" id="swagger-settings">' in html
    assert "/static/ninja/swagger-ui-bundle.js" in html and "/static/ninja/swagger-ui-init.js" in html
    assert "cdn" not in html.lower() and "https://" not in html
    assert "/api/v1/openapi.json" in html


def test_the_api_root_points_to_the_document(world, client):
    assert client.get("/api/v1/").json()["openapi"] == "/api/v1/openapi.json"


def test_a_valid_token_acts_as_its_owner_and_records_its_use(world):
    token, raw = api_token_create(user=world.desk, network=world.leuven, name="t")
    response = bearer(raw).get(RESIDENTS)
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_token_decides_who_acts_not_the_session_cookie(world, client_for):
    _token, raw = api_token_create(user=world.volunteer, network=world.leuven, name="t")
    client = client_for(world.coordinator)
    response = client.get(RESIDENTS, headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 403
    assert client.get(RESIDENTS).status_code == 401  # a session alone does not open the API


@pytest.mark.parametrize(
    "header",
    ["Bearer dgb_unknown", "Bearer ", "Token dgb_x", "Basic ZGVzazpwdw==", "Bearer " + "x" * 500],
)
def test_unknown_or_malformed_tokens_get_401(world, header):
    response = Client(headers={"Authorization": header}).get(RESIDENTS)
    assert response.status_code == 401
    assert response.json()["detail"]


def test_token_calls_need_no_csrf_token(world):
    _token, raw = api_token_create(user=world.coordinator, network=world.leuven, name="t")
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {raw}"})
    response = client.post("/api/v1/organisations/", {"name": "Nieuw", "type": "other"}, "application/json")
    assert response.status_code == 201


def test_an_unknown_field_is_refused_rather_than_ignored(world, api_for):
    body = {"name": "Nieuw", "type": "other", "emial": "typo@example.org"}
    response = api_for(world.coordinator).post("/api/v1/organisations/", body, "application/json")
    assert response.status_code == 422
    assert "emial" in response.json()["errors"]


def test_a_revoked_token_gets_401(world):
    token, raw = api_token_create(user=world.desk, network=world.leuven, name="t")
    api_token_revoke(token=token)
    assert bearer(raw).get(RESIDENTS).status_code == 401


def test_a_token_stops_working_when_its_owner_leaves_the_network(world):
    _token, raw = api_token_create(user=world.desk, network=world.leuven, name="t")
    world.desk.memberships.update(is_active=False)
    assert bearer(raw).get(RESIDENTS).status_code == 401


def test_a_token_stops_working_when_its_owner_is_deactivated(world):
    _token, raw = api_token_create(user=world.desk, network=world.leuven, name="t")
    world.desk.is_active = False
    world.desk.save()
    assert bearer(raw).get(RESIDENTS).status_code == 401


def test_a_token_acts_only_in_its_own_network(world):
    """The outsider's token for network "other" never reaches leuven, even by id."""
    _token, raw = api_token_create(user=world.outsider, network=world.other, name="t")
    client = bearer(raw)
    assert client.get(f"{RESIDENTS}{world.resident_a.pk}").status_code == 404
    listed = client.get(RESIDENTS).json()
    assert [r["id"] for r in listed["items"]] == [world.resident_other.pk]


def test_a_missing_permission_is_403_with_a_message(world, api_for):
    response = api_for(world.steering).get(RESIDENTS)
    assert response.status_code == 403
    assert "resident.view" in response.json()["detail"]


def test_errors_speak_the_token_owners_language_unless_the_caller_asks_another(world):
    world.steering.preferred_language = "fr"
    world.steering.save(update_fields=["preferred_language"])
    token = {"Authorization": f"Bearer {token_for(world.steering)}"}
    detail = Client(headers=token).get(RESIDENTS).json()["detail"]
    assert detail.startswith("Votre rôle ne permet pas")
    asked = Client(headers={**token, "Accept-Language": "nl"}).get(RESIDENTS).json()["detail"]
    assert asked.startswith("Uw rol mag dit niet doen")


def test_an_unknown_address_is_a_json_404(world, api_for):
    response = api_for(world.desk).get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_a_wrong_method_is_a_json_405(world, api_for):
    response = api_for(world.desk).delete(RESIDENTS)
    assert response.status_code == 405
    assert response.json()["detail"]
    assert "GET" in response["Allow"]


def test_bad_query_parameters_are_a_422_per_field(world, api_for):
    response = api_for(world.desk).get(RESIDENTS, {"limit": 1000, "offset": -1})
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] and set(body["errors"]) == {"limit", "offset"}


def test_a_body_that_is_not_json_is_a_json_400(world, api_for):
    response = api_for(world.desk).post(RESIDENTS, data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"]


def test_an_unexpected_error_is_a_json_500(world, monkeypatch):
    from digibank.residents import api as residents

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(residents.selectors, "resident_list", broken)
    _token, raw = api_token_create(user=world.desk, network=world.leuven, name="t")
    client = Client(headers={"Authorization": f"Bearer {raw}"}, raise_request_exception=False)
    response = client.get(RESIDENTS)
    assert response.status_code == 500
    assert response.json()["detail"] and "boom" not in response.content.decode()


def test_last_used_is_written_at_most_once_a_minute(world, django_assert_num_queries):
    token, raw = api_token_create(user=world.desk, network=world.leuven, name="t")
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    client = bearer(raw)
    client.get("/api/v1/organisations/")
    # token + membership, then count and page: no write for the token.
    with django_assert_num_queries(4):
        client.get("/api/v1/organisations/")


def test_a_token_stops_working_while_its_owner_lacks_the_networks_two_factor(world, api_for):
    client = api_for(world.desk)
    assert client.get(RESIDENTS).status_code == 200
    Network.objects.filter(pk=world.leuven.pk).update(require_two_factor=True)
    response = client.get(RESIDENTS)
    assert response.status_code == 403
    assert "two-factor" in response.json()["detail"]
    # With a confirmed second factor the same token works again.
    TOTPDevice.objects.create(user=world.desk, name="phone", confirmed=True)
    assert client.get(RESIDENTS).status_code == 200


def test_a_token_stays_dead_when_its_owners_membership_is_reactivated(world, api_for):
    client = api_for(world.desk)
    membership = Membership.objects.get(user=world.desk, network=world.leuven)
    membership_set_active(membership=membership, actor=world.coordinator, is_active=False)
    assert client.get(RESIDENTS).status_code == 401
    membership_set_active(membership=membership, actor=world.coordinator, is_active=True)
    assert client.get(RESIDENTS).status_code == 401
    # A token made after the reactivation works.
    assert api_for(world.desk).get(RESIDENTS).status_code == 200


def test_api_answers_and_errors_are_never_cached(world, api_for):
    for response in (api_for(world.desk).get(RESIDENTS), Client().get(RESIDENTS)):
        assert "no-store" in response["Cache-Control"]
