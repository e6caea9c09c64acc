"""NUL and other control characters are refused in one place, for forms, searches and the API."""

import pytest
from django.test import Client
from django.urls import reverse

from digibank.lib.middleware import has_control_characters
from digibank.residents.models import Resident
from tests.api.conftest import token_for


def test_what_counts_as_a_control_character():
    assert has_control_characters("a\x00b") and has_control_characters({"x": ["ok", "\x1b[31m"]})
    assert not has_control_characters("two lines\r\nand a\ttab — é ñ 中")


@pytest.mark.parametrize("text", ["Am\x00ira", "bell\x07", "esc\x1b"])
def test_a_form_with_a_control_character_changes_nothing_and_says_why(world, client_for, text):
    before = Resident.objects.count()
    response = client_for(world.desk).post(
        reverse("residents:create"), {"first_name": text, "last_name": "Test", "birth_year": "1980"}
    )
    assert response.status_code == 400
    assert "control characters" in response.content.decode()
    assert Resident.objects.count() == before


def test_a_search_with_a_nul_byte_is_refused_not_a_server_error(world, client_for):
    assert client_for(world.desk).get(reverse("core:search"), {"q": "a\x00b"}).status_code == 400


def test_the_api_refuses_them_in_queries_and_bodies_with_json(world):
    client = Client(headers={"Authorization": f"Bearer {token_for(world.desk)}"})
    response = client.get("/api/v1/residents/", {"q": "a\x00b"})
    assert response.status_code == 400 and "control characters" in response.json()["detail"]
    body = '{"first_name": "A\\u0000b", "last_name": "X", "birth_year": 1980, "legal_basis": "consent"}'
    response = client.post("/api/v1/residents/", data=body, content_type="application/json")
    assert response.status_code == 400


def test_api_ids_and_offsets_that_no_database_holds_are_4xx_not_500(world):
    client = Client(headers={"Authorization": f"Bearer {token_for(world.desk)}"})
    assert client.get("/api/v1/residents/abc").status_code == 404
    assert client.get("/api/v1/residents/99999999999999999999999").status_code == 404
    assert client.get("/api/v1/residents/", {"offset": str(2**70)}).status_code == 422
