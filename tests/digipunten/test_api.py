"""The digipunten API router (mounted at /api/v1/digipunten; tests/api/test_api_walk.py walks every
operation for every role): behaviour tests through a router-only API with the same auth and errors."""

import datetime

import pytest
from ninja import NinjaAPI
from ninja.testing import TestClient

from digibank.apikit.errors import install_error_handlers
from digibank.digipunten.api import router
from digibank.digipunten.models import Appointment, AppointmentStatus, HelpContact, Slot
from digibank.networks.models import Membership

from ..api.conftest import token_for
from ..factories import ResidentFactory


def _api() -> NinjaAPI:
    api = NinjaAPI(urls_namespace="digipunten-api-test")
    install_error_handlers(api)
    api.add_router("/digipunten", router, url_name_prefix="digipunten-test")
    return api


API = _api()
CLIENT = TestClient(API)
OPERATIONS = [
    (method.upper(), path, operation)
    for path, item in API.get_openapi_schema(path_prefix="")["paths"].items()
    for method, operation in item.items()
]


def call(user, method, path, body=None, network=None, **params):
    headers = {"Authorization": f"Bearer {token_for(user, network)}"}
    path = path.removeprefix("/api")
    if method == "GET":
        return CLIENT.get(path, headers=headers, query_params=params or None)
    return CLIENT.post(path, json=body if body is not None else {}, headers=headers)


def test_an_empty_body_changes_nothing(world):
    before = (
        HelpContact.objects.count(),
        Appointment.objects.count(),
        Slot.objects.get(pk=world.appointment.slot_id).booked,
    )
    for method, path, _operation in OPERATIONS:
        if method == "POST":
            url = path.replace("{pk}", str(world.appointment.pk))
            assert call(world.coordinator, "POST", url, {}).status_code == 422, path
    assert (
        HelpContact.objects.count(),
        Appointment.objects.count(),
        Slot.objects.get(pk=world.appointment.slot_id).booked,
    ) == before
    world.appointment.refresh_from_db()
    assert world.appointment.status == AppointmentStatus.BOOKED


def test_digipunten_come_with_their_hours_and_open_now(world):
    body = call(world.volunteer, "GET", "/digipunten/").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["name"] == "Bibliotheek Tweebronnen (test)"
    assert item["opening_hours"][0] == {
        "weekday": 0,
        "opens_at": "09:00",
        "closes_at": "17:00",
        "valid_from": None,
        "valid_to": None,
    }
    assert isinstance(item["open_now"], bool)
    assert item["open_now"] or item["next_open"]
    assert any(c["every_digipunt"] and c["reason"] == "Kerstmis" for c in item["closures"]) or (
        datetime.date.today() > datetime.date(2026, 12, 25)
    )
    assert item["equipment"]["printer"] is True and item["accessibility"]["step_free"] is True
    assert call(world.coordinator, "GET", f"/digipunten/{world.dp_other.pk}").status_code == 404


def test_the_digipunten_list_costs_the_same_queries_for_one_or_many(world, django_assert_max_num_queries):
    from .world import make_digipunt

    token = token_for(world.desk)
    headers = {"Authorization": f"Bearer {token}"}
    with django_assert_max_num_queries(12) as one:
        CLIENT.get("/digipunten/", headers=headers)
    for n in range(5):
        make_digipunt(world.leuven, name=f"API digipunt {n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert CLIENT.get("/digipunten/", headers=headers).json()["count"] == 6


def test_help_sessions_and_free_slots(world):
    sessions = call(world.volunteer, "GET", "/digipunten/help-sessions/").json()["items"]
    assert [(s["title"], s["weekday"], s["starts_at"], s["mode"]) for s in sessions] == [
        ("Digitaal spreekuur", 1, "14:00", "both")
    ]
    slots = call(world.desk, "GET", "/digipunten/slots/", weeks=2).json()
    assert slots and all(s["free"] > 0 for s in slots)
    assert call(world.volunteer, "GET", "/digipunten/slots/").status_code == 403


def test_a_help_contact_is_registered_and_listed(world):
    body = {
        "digipunt": world.dp.pk,
        "theme": world.theme.pk,
        "outcome": "solved",
        "minutes": 15,
        "language": "ar",
    }
    response = call(world.volunteer, "POST", "/digipunten/help-contacts/", body)
    assert response.status_code == 201, response.content
    assert response.json()["theme"]["label"] and response.json()["resident_id"] is None
    listed = call(world.volunteer, "GET", "/digipunten/help-contacts/").json()
    assert listed["count"] == 1  # a volunteer sees only their own
    bad = call(world.volunteer, "POST", "/digipunten/help-contacts/", {**body, "digipunt": world.dp_other.pk})
    assert bad.status_code == 422 and "digipunt" in bad.json()["errors"]
    bad = call(world.volunteer, "POST", "/digipunten/help-contacts/", {**body, "language": "xx"})
    assert bad.status_code == 422 and "language" in bad.json()["errors"]
    bad = call(
        world.desk, "POST", "/digipunten/help-contacts/", {**body, "resident": world.resident_other.pk}
    )
    assert bad.status_code == 422 and "resident" in bad.json()["errors"]


def test_appointments_are_booked_listed_and_cancelled_with_partner_scoping(world):
    slot = call(world.desk, "GET", "/digipunten/slots/").json()[1]
    resident = ResidentFactory(network=world.leuven, organisation=world.org_b)
    response = call(
        world.partner_b, "POST", "/digipunten/appointments/", {"slot": slot["key"], "resident": resident.pk}
    )
    assert response.status_code == 201, response.content
    booked = response.json()
    assert booked["booked_by_organisation"]["name"] == "OCMW B" and booked["channel"] == "partner"
    mine = call(world.partner_b, "GET", "/digipunten/appointments/").json()
    assert [a["id"] for a in mine["items"]] == [booked["id"]]
    assert call(world.partner_a, "GET", f"/digipunten/appointments/{booked['id']}").status_code == 404
    cancelled = call(
        world.partner_b, "POST", f"/digipunten/appointments/{booked['id']}/cancel", {"reason": "ziek"}
    )
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = call(
        world.partner_b, "POST", f"/digipunten/appointments/{booked['id']}/cancel", {"reason": "ziek"}
    )
    assert again.status_code == 422
    wrong = call(
        world.desk, "POST", "/digipunten/appointments/", {"slot": "nonsense", "name": "X", "phone": "1"}
    )
    assert wrong.status_code == 422


def test_a_no_show_before_the_appointment_is_refused(world):
    url = f"/digipunten/appointments/{world.appointment.pk}/status"
    response = call(world.desk, "POST", url, {"status": "no_show"})
    assert response.status_code == 422


@pytest.mark.parametrize(
    "path", ["/digipunten/appointments/", "/digipunten/help-contacts/", "/digipunten/help-sessions/"]
)
def test_the_other_lists_cost_the_same_queries_for_one_or_many(world, path, django_assert_max_num_queries):
    from digibank.digipunten import services

    from .test_appointments import book, tuesday_at

    headers = {"Authorization": f"Bearer {token_for(world.coordinator)}"}
    with django_assert_max_num_queries(12) as one:
        CLIENT.get(path, headers=headers)
    for minute in (0, 30):
        book(
            world,
            user=world.coordinator,
            resident=ResidentFactory(network=world.leuven),
            at=tuesday_at(15, minute),
        )
        services.helpcontact_register(
            membership=Membership.objects.get(user=world.coordinator),
            actor=world.coordinator,
            digipunt=world.dp,
            theme=world.theme,
            outcome="solved",
            minutes=5,
            language="nl",
            resident=world.resident_desk,
        )
        services.session_save(
            digipunt=world.dp,
            data={"weekday": 4, "starts_at": datetime.time(9, minute), "ends_at": datetime.time(11)},
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert CLIENT.get(path, headers=headers).json()["count"] >= 3
