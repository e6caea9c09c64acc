"""The audit trail records people who are not residents, and names them through the registry."""

import pytest
from django.urls import reverse

from digibank.audit.models import AuditEntry
from digibank.networks.models import Membership
from digibank.privacy.registry import APPLICANT, BOOKER, RESIDENT, subject_describe

LIST = reverse("audit:list")


@pytest.fixture(autouse=True)
def empty_trail(world):
    AuditEntry.objects.all().delete()


def test_viewing_a_web_booking_is_recorded_about_the_booker(world, client_for):
    client_for(world.desk).get(reverse("digipunten:appointment", kwargs={"pk": world.web_booking.pk}))
    entry = AuditEntry.objects.get()
    assert (entry.subject_kind, entry.subject_id) == (BOOKER, world.web_booking.pk)
    assert "phone" in entry.fields and entry.actor == world.desk


def test_viewing_a_resident_appointment_is_recorded_about_the_resident(world, client_for):
    client_for(world.desk).get(reverse("digipunten:appointment", kwargs={"pk": world.appointment.pk}))
    entry = AuditEntry.objects.get()
    assert (entry.subject_kind, entry.subject_id) == (RESIDENT, world.resident_a.pk)


def test_viewing_a_volunteer_application_is_recorded_about_the_applicant(world, client_for):
    application = world.volunteer_application
    client_for(world.coordinator).get(reverse("public:application", kwargs={"pk": application.pk}))
    entry = AuditEntry.objects.get()
    assert (entry.subject_kind, entry.subject_id) == (APPLICANT, application.pk)
    assert "motivation" in entry.fields


def test_the_audit_list_names_every_kind_of_person(world, client_for):
    for kind, subject_id in [
        (RESIDENT, world.resident_a.pk),
        (BOOKER, world.web_booking.pk),
        (APPLICANT, world.volunteer_application.pk),
        ("volunteer", 4242),  # a kind nobody registered (yet)
    ]:
        AuditEntry.objects.create(
            network=world.leuven, subject_kind=kind, subject_id=subject_id, action="view", source="/"
        )
    text = client_for(world.coordinator).get(LIST).text
    assert "Amira Aerts" in text
    assert reverse("residents:audit", kwargs={"pk": world.resident_a.pk}) in text
    assert "Wim Webboeker" in text
    assert reverse("digipunten:appointment", kwargs={"pk": world.web_booking.pk}) in text
    assert "Vera Vrijwilliger" in text
    assert "Volunteer #4242" in text


def test_people_of_another_network_are_never_named(world):
    outsider = Membership.objects.get(user=world.outsider)
    assert subject_describe(outsider, RESIDENT, [world.resident_a.pk]) == {}
    assert subject_describe(outsider, BOOKER, [world.web_booking.pk]) == {}
    assert subject_describe(outsider, APPLICANT, [world.volunteer_application.pk]) == {}
    assert subject_describe(outsider, "nobody", [1]) == {}


def test_the_resident_trail_page_needs_the_audit_permission_and_the_network(world, client_for):
    url = reverse("residents:audit", kwargs={"pk": world.resident_a.pk})
    AuditEntry.objects.create(
        network=world.leuven, subject_kind=RESIDENT, subject_id=world.resident_a.pk, action="view", source="/"
    )
    AuditEntry.objects.create(
        network=world.leuven, subject_kind=BOOKER, subject_id=world.resident_a.pk, action="view", source="/"
    )
    response = client_for(world.coordinator).get(url)
    assert response.status_code == 200
    assert [(e.subject_kind, e.subject_id) for e in response.context["entries"]] == [
        (RESIDENT, world.resident_a.pk)
    ], "a booker with the same number is someone else"
    assert client_for(world.desk).get(url).status_code == 403
    assert client_for(world.outsider).get(url).status_code == 404
