import pytest
from django.utils import timezone

from digibank.audit.models import AuditAction, AuditEntry
from digibank.residents.models import Resident
from tests import factories as f

URL = "/api/v1/residents/"


def new_resident(**overrides) -> dict:
    body = {
        "first_name": "Nora",
        "last_name": "Nijs",
        "birth_year": 1971,
        "postcode": "3001",
        "languages": ["nl", "FR"],
        "preferred_channel": "phone",
        "phone": "0470 12 34 56",
        "legal_basis": "consent",
        "consent_date": str(timezone.localdate()),
    }
    return {**body, **overrides}


def post(client, body):
    return client.post(URL, body, content_type="application/json")


def patch(client, pk, body):
    return client.patch(f"{URL}{pk}", body, content_type="application/json")


# --- reading --------------------------------------------------------------------------------


def test_the_list_shows_the_networks_residents_with_pagination(world, api_for):
    response = api_for(world.desk).get(URL, {"limit": 1})
    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 2 and body["limit"] == 1 and body["offset"] == 0
    assert [r["last_name"] for r in body["items"]] == ["Aerts"]
    second = api_for(world.desk).get(URL, {"limit": 1, "offset": 1}).json()
    assert [r["last_name"] for r in second["items"]] == ["Bosmans"]
    assert "phone" not in body["items"][0]  # a list shows no contact details


def test_the_list_filters_by_name_and_by_postcode(world, api_for):
    f.ResidentFactory(network=world.leuven, first_name="Amira", last_name="Claes", postcode="3010")
    client = api_for(world.desk)
    by_name = client.get(URL, {"q": "amira"}).json()["items"]
    assert sorted(r["last_name"] for r in by_name) == ["Aerts", "Claes"]
    by_postcode = client.get(URL, {"postcode": "3010"}).json()["items"]
    assert [r["last_name"] for r in by_postcode] == ["Claes"]
    assert client.get(URL, {"q": "amira", "postcode": "3000"}).json()["count"] == 1


def test_a_partner_worker_sees_only_their_organisations_residents(world, api_for):
    items = api_for(world.partner_a).get(URL).json()["items"]
    assert [r["id"] for r in items] == [world.resident_a.pk]
    assert api_for(world.partner_b).get(URL).json()["count"] == 0
    assert api_for(world.partner_b).get(f"{URL}{world.resident_a.pk}").status_code == 404


def test_erased_residents_are_neither_listed_nor_shown(world, api_for):
    Resident.objects.filter(pk=world.resident_desk.pk).update(erased_at=timezone.now())
    client = api_for(world.desk)
    assert [r["id"] for r in client.get(URL).json()["items"]] == [world.resident_a.pk]
    assert client.get(f"{URL}{world.resident_desk.pk}").status_code == 404


def test_the_list_writes_one_audit_entry_per_resident_shown_without_the_query(world, api_for):
    api_for(world.desk).get(URL, {"q": "Aerts"})
    entry = AuditEntry.objects.get(subject_kind="resident")
    assert entry.subject_id == world.resident_a.pk and entry.actor == world.desk
    assert entry.action == AuditAction.VIEW
    assert entry.source == "api:GET /api/v1/residents/"  # never the searched name


def test_the_detail_shows_everything_and_is_audited(world, api_for):
    response = api_for(world.desk).get(f"{URL}{world.resident_a.pk}")
    body = response.json()
    assert response.status_code == 200
    assert body["first_name"] == "Amira" and body["district"] == {"id": world.district.pk, "name": "Heverlee"}
    assert body["registered_by_organisation"] == {"id": world.org_a.pk, "name": "Buurtwerk A"}
    assert body["languages"] == ["nl"] and body["legal_basis"] == "consent"
    entry = AuditEntry.objects.get(subject_kind="resident")
    assert entry.source == f"api:GET /api/v1/residents/{world.resident_a.pk}"
    assert "phone" in entry.fields and entry.actor == world.desk


def test_list_queries_do_not_grow_with_the_number_of_residents(world, api_for, django_assert_max_num_queries):
    client = api_for(world.desk)
    client.get(URL)  # the token's "last used" write happens once
    with django_assert_max_num_queries(5):  # token, membership, count, page, audit insert
        client.get(URL)
    for i in range(30):
        f.ResidentFactory(network=world.leuven, last_name=f"Extra {i}", district=world.district)
    with django_assert_max_num_queries(5):
        assert len(client.get(URL, {"limit": 100}).json()["items"]) == 32


# --- registering ------------------------------------------------------------------------------


def test_the_service_desk_registers_a_resident(world, api_for):
    response = post(api_for(world.desk), new_resident())
    assert response.status_code == 201, response.content
    body = response.json()
    resident = Resident.objects.get(pk=body["id"])
    assert resident.network == world.leuven and resident.created_by == world.desk
    assert resident.languages == "nl, fr"
    assert resident.district == world.district  # filled in from the postcode, like in the UI
    entry = AuditEntry.objects.get(subject_kind="resident", subject_id=resident.pk)
    assert entry.action == AuditAction.CREATE and entry.source == "api:POST /api/v1/residents/"


def test_a_partner_worker_registers_for_their_organisation_and_keeps_seeing_them(world, api_for):
    client = api_for(world.partner_b)
    pk = post(client, new_resident()).json()["id"]
    assert Resident.objects.get(pk=pk).registered_by_organisation == world.org_b
    assert client.get(f"{URL}{pk}").status_code == 200
    assert api_for(world.partner_a).get(f"{URL}{pk}").status_code == 404


def test_a_likely_duplicate_needs_confirmation(world, api_for):
    client = api_for(world.desk)
    same = new_resident(first_name="Amira", last_name="Aerts", birth_year=1960, postcode="3000")
    response = post(client, same)
    assert response.status_code == 409
    assert response.json()["duplicates"] == [world.resident_a.pk]
    assert Resident.objects.filter(last_name="Aerts").count() == 1
    confirmed = post(client, {**same, "confirm_duplicate": True})
    assert confirmed.status_code == 201
    assert Resident.objects.filter(last_name="Aerts").count() == 2


def test_a_duplicate_the_user_may_not_see_is_not_revealed(world, api_for):
    same = new_resident(first_name="Amira", last_name="Aerts", birth_year=1960, postcode="3000")
    response = post(api_for(world.partner_b), same)
    assert response.status_code == 409
    assert response.json()["duplicates"] == []
    assert "Amira" not in response.content.decode().replace(response.json()["detail"], "")


def test_invalid_data_is_refused_per_field_with_the_ui_messages(world, api_for):
    bad = new_resident(postcode="30", birth_year=1800, preferred_channel="email", languages=["dutch!"])
    bad.pop("consent_date")
    response = post(api_for(world.desk), bad)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {"postcode", "birth_year", "email", "languages", "consent_date"} <= set(errors)
    assert not Resident.objects.filter(last_name="Nijs").exists()
    assert not AuditEntry.objects.filter(subject_kind="resident").exists()


def test_a_district_of_another_network_is_refused(world, api_for):
    elsewhere = f.DistrictFactory(network=world.other, name="Elders")
    response = post(api_for(world.desk), new_resident(district=elsewhere.pk))
    assert response.status_code == 422 and "district" in response.json()["errors"]


def test_missing_fields_and_wrong_types_are_422(world, api_for):
    response = post(api_for(world.desk), {"first_name": "Only", "birth_year": "soon"})
    assert response.status_code == 422
    assert {"last_name", "birth_year", "legal_basis"} <= set(response.json()["errors"])


def test_roles_without_the_permission_cannot_register(world, api_for):
    for actor in (world.steering, world.volunteer, world.provider):
        assert post(api_for(actor), new_resident()).status_code == 403
    assert not Resident.objects.filter(last_name="Nijs").exists()


# --- changing ---------------------------------------------------------------------------------


@pytest.fixture
def addresses(world):
    """The world's residents want letters; the UI's rules then need an address to save a change."""
    Resident.objects.filter(network=world.leuven).update(street="Naamsestraat 1", city="Leuven")


def test_a_change_is_checked_with_the_ui_rules_for_the_whole_resident(world, api_for):
    response = patch(api_for(world.desk), world.resident_desk.pk, {"notes": "x"})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"street", "city"}


def test_a_change_touches_only_the_fields_sent_and_is_audited(world, addresses, api_for):
    changes = {"notes": "Prefers mornings", "postcode": "3001"}
    response = patch(api_for(world.desk), world.resident_desk.pk, changes)
    assert response.status_code == 200, response.content
    resident = Resident.objects.get(pk=world.resident_desk.pk)
    assert resident.notes == "Prefers mornings" and resident.first_name == "Bart"
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE)
    assert set(entry.fields) >= {"notes", "postcode"}
    assert entry.source == f"api:PATCH /api/v1/residents/{resident.pk}"


def test_an_invalid_change_changes_nothing(world, addresses, api_for):
    response = patch(api_for(world.desk), world.resident_desk.pk, {"postcode": "12", "notes": "x"})
    assert response.status_code == 422 and "postcode" in response.json()["errors"]
    resident = Resident.objects.get(pk=world.resident_desk.pk)
    assert resident.postcode == "3000" and resident.notes == ""


def test_null_is_refused_for_a_required_field(world, api_for):
    response = patch(api_for(world.desk), world.resident_desk.pk, {"last_name": None})
    assert response.status_code == 422
    assert Resident.objects.get(pk=world.resident_desk.pk).last_name == "Bosmans"


def test_a_partner_worker_changes_only_their_own_residents(world, addresses, api_for):
    assert patch(api_for(world.partner_a), world.resident_a.pk, {"notes": "ok"}).status_code == 200
    assert patch(api_for(world.partner_b), world.resident_a.pk, {"notes": "no"}).status_code == 404
    assert patch(api_for(world.digipunt), world.resident_a.pk, {"notes": "no"}).status_code == 403
    assert Resident.objects.get(pk=world.resident_a.pk).notes == "ok"


def test_another_networks_resident_cannot_be_changed(world, api_for):
    response = patch(api_for(world.coordinator), world.resident_other.pk, {"notes": "x"})
    assert response.status_code == 404
    assert Resident.objects.get(pk=world.resident_other.pk).notes == ""
