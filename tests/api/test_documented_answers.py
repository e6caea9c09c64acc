"""Every answer an operation gives is in the OpenAPI document (found by tests/api/test_fuzz.py).

Schemathesis failed an operation on an answer its document did not list: the 400 for control
characters (every operation), and the 404 of a list whose filter names an object you may not
see. A filter id beyond any database integer is that same 404, never a server error. And a 409
that is not about a duplicate was documented with the duplicate answer's ``duplicates`` list.
"""

import jsonschema
import pytest

from digibank.api.api import api

from .test_residents_api import new_resident

DOCUMENT = api.get_openapi_schema()


def documented(method: str, path: str) -> set[str]:
    return {str(code) for code in DOCUMENT["paths"][f"/api/v1{path}"][method.lower()]["responses"]}


def test_every_operation_documents_the_400_401_and_403_every_operation_may_answer():
    for path, item in DOCUMENT["paths"].items():
        for method, operation in item.items():
            assert {"400", "401", "403"} <= set(map(str, operation["responses"])), f"{method} {path}"


def test_control_characters_are_a_documented_400(world, api_for):
    response = api_for(world.coordinator).get("/api/v1/residents/", {"q": "a\x00b"})
    assert response.status_code == 400
    assert response.json()["detail"]
    assert "400" in documented("GET", "/residents/")


@pytest.mark.parametrize("filter_value", ["999999", str(2**64)])
def test_slots_of_an_unknown_digipunt_are_a_documented_404(world, api_for, filter_value):
    response = api_for(world.coordinator).get("/api/v1/digipunten/slots/", {"digipunt": filter_value})
    assert response.status_code == 404
    assert "404" in documented("GET", "/digipunten/slots/")


@pytest.mark.parametrize("filter_value", ["999999", str(2**64)])
def test_batches_of_an_unknown_donor_are_a_documented_404(world, api_for, filter_value):
    response = api_for(world.coordinator).get("/api/v1/donations/batches/", {"donor": filter_value})
    assert response.status_code == 404
    assert "404" in documented("GET", "/donations/batches/")


def test_batches_of_a_donor_of_another_network_are_a_404(world, api_for):
    response = api_for(world.coordinator).get("/api/v1/donations/batches/", {"donor": world.donor_other.pk})
    assert response.status_code == 404


def assert_matches_document(method: str, path: str, response) -> None:
    """The answer validates against the schema the document publishes for its status code."""
    published = DOCUMENT["paths"][f"/api/v1{path}"][method.lower()]["responses"][response.status_code]
    schema = {**published["content"]["application/json"]["schema"], "components": DOCUMENT["components"]}
    jsonschema.validate(response.json(), schema)


def test_a_status_change_not_possible_now_is_a_409_as_documented(world, api_for):
    """Its 409 was documented as the duplicate answer (with ``duplicates``): it has no such list."""
    path = f"/referrals/{world.referral_a.pk}/status"
    response = api_for(world.partner_c).post(
        f"/api/v1{path}", {"status": "done"}, content_type="application/json"
    )
    assert response.status_code == 409
    assert_matches_document("POST", "/referrals/{pk}/status", response)


def test_a_likely_duplicate_is_a_409_as_documented(world, api_for):
    same = new_resident(first_name="Amira", last_name="Aerts", birth_year=1960, postcode="3000")
    response = api_for(world.desk).post("/api/v1/residents/", same, content_type="application/json")
    assert response.status_code == 409, response.content
    assert_matches_document("POST", "/residents/", response)
