"""Every answer an operation gives is in the OpenAPI document (found by tests/api/test_fuzz.py).

Schemathesis failed an operation on an answer its document did not list: the 400 for control
characters (every operation), and the 404 of a list whose filter names an object you may not
see. A filter id beyond any database integer is that same 404, never a server error.
"""

import pytest

from digibank.api.api import api

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
