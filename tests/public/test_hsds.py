"""Open data as HSDS 3.0: every response validates against the HSDS 3.0 schemas (vendored in
tests/public/hsds-3.0/schema/compiled), uses only HSDS field names, and shows one network's
public data only."""

import datetime
import functools
import json
import uuid
from pathlib import Path

import jsonschema
import pytest
from django.urls import reverse

from digibank.catalogue.models import Service, ServiceKind
from digibank.public import hsds
from digibank.public.hsds import Kind

from .conftest import always_open, daily_sessions

SCHEMAS = Path(__file__).parent / "hsds-3.0" / "schema"
PAGE_FIELDS = {
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
}


@functools.cache
def schema(name: str) -> dict:
    path = SCHEMAS / "compiled" / f"{name}.json"
    assert path.exists(), f"HSDS schema missing: {path}"
    return json.loads(path.read_text())


def location_schema() -> dict:
    return schema("service_at_location")["properties"]["location"]


def unknown_keys(instance, node, path="$") -> list[str]:
    """Keys of ``instance`` that the schema does not define (the HSDS schemas allow extra keys;
    we do not want any)."""
    problems = []
    if isinstance(instance, dict) and "properties" in node:
        for key, value in instance.items():
            if key not in node["properties"]:
                problems.append(f"{path}.{key}")
            else:
                problems += unknown_keys(value, node["properties"][key], f"{path}.{key}")
    elif isinstance(instance, list) and isinstance(node.get("items"), dict):
        for i, item in enumerate(instance):
            problems += unknown_keys(item, node["items"], f"{path}[{i}]")
    return problems


def assert_valid(instance, node):
    validator = jsonschema.Draft202012Validator(
        node, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(instance)]
    assert errors == []
    assert unknown_keys(instance, node) == []


def assert_valid_page(body, item_schema):
    assert set(body) == PAGE_FIELDS
    assert body["size"] == len(body["contents"])
    for item in body["contents"]:
        assert_valid(item, item_schema)


def open_url(name, world, **kwargs):
    return reverse(f"open:{name}", kwargs={"network_slug": world.leuven.slug, **kwargs})


def get_json(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    return response.json()


@pytest.fixture
def data(site):
    """The site world plus a public catalogue service, a hidden one and a described partner."""
    w = site
    w.org_a.description = "Buurtwerk in Leuven."
    w.org_a.email = "info@buurtwerk.example"
    w.org_a.phone = "016 55 66 77"
    w.org_a.save()
    w.dp.organisation = w.org_a
    w.dp.latitude, w.dp.longitude = "50.870000", "4.690000"
    w.dp.save()
    w.service_course = Service.objects.create(
        network=w.leuven,
        name="Cursus smartphone (test)",
        kind=ServiceKind.COURSE,
        organisation=w.org_a,
        description="Leer je smartphone kennen.",
        criteria_text="Voor iedereen",
    )
    w.service_hidden = Service.objects.create(
        network=w.leuven,
        name="Interne dienst (test)",
        kind=ServiceKind.OTHER,
        organisation=w.org_b,
        is_public=False,
    )
    return w


def test_the_root_says_which_hsds_version(data, english):
    body = get_json(english, open_url("hsds", data))
    assert body["version"] == "3.0"
    assert body["openapi_url"].endswith("openapi.json")


def test_the_service_list_validates_and_holds_only_public_services(data, english):
    body = get_json(english, open_url("hsds_services", data))
    assert_valid_page(body, schema("service_list"))
    names = {item["name"] for item in body["contents"]}
    assert {
        "Cursus smartphone (test)",
        "Laptops lenen (test)",
        "Public computers",
        "Digital help hours",
    } <= names
    assert "Interne dienst (test)" not in names
    assert not any("Zegers" in json.dumps(item) for item in body["contents"])


def test_every_service_validates_in_full(data, english):
    body = get_json(english, open_url("hsds_services", data) + "?per_page=500")
    for item in body["contents"]:
        full = get_json(english, open_url("hsds_service", data, id=item["id"]))
        assert_valid(full, schema("service"))
        assert full["id"] == item["id"]


def test_the_help_hours_service_has_a_schedule_per_help_session(data, english):
    help_id = hsds.make_id(
        Kind.NETWORK_SERVICE, data.leuven.pk, data.leuven.pk, int(hsds.NetworkService.HELP_HOURS)
    )
    body = get_json(english, open_url("hsds_service", data, id=help_id))
    at_open = next(s for s in body["service_at_locations"] if s["location"]["name"] == "Open Huis Kessel-Lo")
    schedules = at_open["schedules"]
    assert len(schedules) == 7
    by_day = {s["byday"]: s for s in schedules}
    assert set(by_day) == {"MO", "TU", "WE", "TH", "FR", "SA", "SU"}
    assert {(s["opens_at"], s["closes_at"], s["freq"]) for s in schedules} == {("18:00", "20:00", "WEEKLY")}
    assert all(
        s["schedule_link"].endswith(f"/digipunten/{data.open_dp.pk}/help-hours.ics") for s in schedules
    )
    languages = {lang["code"] for lang in body["languages"]}
    assert {"nl", "fr"} <= languages


def test_the_organization_list_and_each_organization_validate(data, english):
    body = get_json(english, open_url("hsds_organizations", data))
    assert_valid_page(body, schema("organization_list"))
    names = [item["name"] for item in body["contents"]]
    assert names[0] == data.leuven.name  # the network itself first
    assert "Buurtwerk A" in names and "OCMW B" in names
    for item in body["contents"]:
        full = get_json(english, open_url("hsds_organization", data, id=item["id"]))
        assert_valid(full, schema("organization"))
        assert "Contact Anna" not in json.dumps(full)  # contact people are personal data


def test_an_organization_lists_its_locations_and_services(data, english):
    org_id = hsds.make_id(Kind.ORGANIZATION, data.leuven.pk, data.org_a.pk)
    body = get_json(english, open_url("hsds_organization", data, id=org_id))
    assert [loc["name"] for loc in body["locations"]] == ["Bibliotheek Tweebronnen (test)"]
    assert {s["name"] for s in body["services"]} == {"Cursus smartphone (test)", "Laptops lenen (test)"}
    assert body["phones"][0]["number"] == "016 55 66 77"


def test_service_at_locations_validate_in_list_and_in_full(data, english):
    body = get_json(english, open_url("hsds_sals", data))
    assert_valid_page(body, schema("service_at_location_list"))
    assert body["total_items"] == 4  # computers and help hours at both digipunten
    for item in body["contents"]:
        full = get_json(english, open_url("hsds_sal", data, id=item["id"]))
        assert_valid(full, schema("service_at_location"))


def test_locations_validate_and_carry_address_hours_and_accessibility(data, english):
    body = get_json(english, open_url("hsds_locations", data))
    assert set(body) == PAGE_FIELDS
    for item in body["contents"]:
        assert_valid(item, location_schema())
    place = next(i for i in body["contents"] if i["name"] == "Bibliotheek Tweebronnen (test)")
    address = place["addresses"][0]
    assert (address["postal_code"], address["state_province"], address["country"]) == (
        "3000",
        "Vlaams-Brabant",
        "BE",
    )
    assert {(s["byday"], s["opens_at"], s["closes_at"]) for s in place["schedules"]} == {
        (day, "09:00", "17:00") for day in ["MO", "TU", "WE", "TH", "FR"]
    }
    assert place["accessibility"][0]["description"] == "step-free access"
    assert (place["latitude"], place["longitude"]) == (50.87, 4.69)
    single = get_json(english, open_url("hsds_location", data, id=place["id"]))
    assert single == place


def test_a_closing_time_of_midnight_is_published_as_24_00(data, english):
    loc_id = hsds.make_id(Kind.LOCATION, data.leuven.pk, data.open_dp.pk)
    body = get_json(english, open_url("hsds_location", data, id=loc_id))
    assert {(s["opens_at"], s["closes_at"]) for s in body["schedules"]} == {("00:00", "24:00")}


def test_ids_are_unique_uuids_that_read_back(data, english):
    ids = []

    def collect(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "id":
                    ids.append(item)
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    for name in ["hsds_services", "hsds_organizations", "hsds_sals", "hsds_locations"]:
        for item in get_json(english, open_url(name, data))["contents"]:
            detail = {
                "hsds_services": "hsds_service",
                "hsds_organizations": "hsds_organization",
                "hsds_sals": "hsds_sal",
                "hsds_locations": "hsds_location",
            }[name]
            collect(get_json(english, open_url(detail, data, id=item["id"])))
    by_id = {}
    for value in ids:
        uuid.UUID(value)
        parsed = hsds.parse_id(value)
        assert parsed is not None and parsed.network_id == data.leuven.pk
        by_id.setdefault(value, set())
    assert len(by_id) > 20


@pytest.mark.parametrize("name", ["hsds_service", "hsds_organization", "hsds_sal", "hsds_location"])
def test_an_unknown_or_foreign_id_is_not_found(data, english, name):
    foreign = {
        "hsds_service": hsds.make_id(Kind.SERVICE, data.other.pk, data.service_zegers.pk),
        "hsds_organization": hsds.make_id(Kind.ORGANIZATION, data.other.pk, data.org_other.pk),
        "hsds_sal": hsds.make_id(Kind.SERVICE_AT_LOCATION, data.other.pk, data.dp_other.pk, 1),
        "hsds_location": hsds.make_id(Kind.LOCATION, data.other.pk, data.dp_other.pk),
    }[name]
    # The right kind but another network's row, under this network's slug.
    in_leuven = str(hsds.parse_id(foreign).pk)
    local_kind = hsds.make_id(hsds.parse_id(foreign).kind, data.leuven.pk, int(in_leuven) + 10_000)
    for value in ["x", str(uuid.uuid4()), foreign, local_kind]:
        assert english.get(open_url(name, data, id=value)).status_code == 404, value


def test_a_hidden_service_is_not_found_by_id(data, english):
    hidden = hsds.make_id(Kind.SERVICE, data.leuven.pk, data.service_hidden.pk)
    assert english.get(open_url("hsds_service", data, id=hidden)).status_code == 404


def test_lists_are_paginated(data, english):
    body = get_json(english, open_url("hsds_services", data) + "?per_page=2&page=2")
    assert (body["page_number"], body["size"], body["first_page"]) == (2, 2, False)
    assert body["total_pages"] == -(-body["total_items"] // 2)


def test_services_can_be_filtered_by_organization(data, english):
    org_id = hsds.make_id(Kind.ORGANIZATION, data.leuven.pk, data.org_a.pk)
    body = get_json(english, open_url("hsds_services", data) + f"?organization_id={org_id}")
    assert {i["name"] for i in body["contents"]} == {"Cursus smartphone (test)", "Laptops lenen (test)"}


def test_the_texts_follow_the_requested_language(data, client):
    body = client.get(open_url("hsds_services", data), HTTP_ACCEPT_LANGUAGE="en").json()
    assert "Digital help hours" in {i["name"] for i in body["contents"]}


@pytest.mark.parametrize("name", ["hsds_services", "hsds_organizations", "hsds_sals", "hsds_locations"])
def test_lists_cost_the_same_number_of_queries_for_few_or_many_rows(
    data, english, django_assert_num_queries, name
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        english.get(open_url(name, data))
    count = len(few.captured_queries)
    for i in range(5):
        place = always_open(data.leuven, name=f"Meer digipunt {i}", organisation=data.org_b)
        daily_sessions(place)
        Service.objects.create(
            network=data.leuven, name=f"Dienst {i}", kind=ServiceKind.OTHER, organisation=data.org_b
        )
    with django_assert_num_queries(count):
        english.get(open_url(name, data))


def test_ids_carry_kind_network_and_key():
    value = hsds.make_id(Kind.LOCATION, 7, 123456, 5)
    parsed = hsds.parse_id(value)
    assert (parsed.kind, parsed.network_id, parsed.pk, parsed.sub) == (Kind.LOCATION, 7, 123456, 5)
    assert uuid.UUID(value).version == 8
    assert hsds.parse_id(str(uuid.uuid4())) is None


def test_a_session_that_ends_has_an_until(data, english):
    session = data.open_sessions[0]
    session.valid_to = datetime.date.today() + datetime.timedelta(days=60)
    session.save()
    sal = hsds.make_id(
        Kind.SERVICE_AT_LOCATION, data.leuven.pk, data.open_dp.pk, int(hsds.NetworkService.HELP_HOURS)
    )
    body = get_json(english, open_url("hsds_sal", data, id=sal))
    ending = next(
        s
        for s in body["schedules"]
        if s["id"] == hsds.make_id(Kind.SESSION_SCHEDULE, data.leuven.pk, session.pk)
    )
    assert ending["until"] == session.valid_to.isoformat() == ending["valid_to"]


def test_the_check_itself_catches_a_broken_object(data, english):
    """The validation above is real: a missing required field, a bad UUID or a field HSDS does
    not define make it fail."""
    item = get_json(english, open_url("hsds_services", data))["contents"][0]
    for broken in [
        {k: v for k, v in item.items() if k != "status"},
        {**item, "id": "leuven-12"},
        {**item, "colour": "blue"},
    ]:
        with pytest.raises(AssertionError):
            assert_valid(broken, schema("service_list"))
