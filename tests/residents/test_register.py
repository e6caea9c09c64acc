"""Registering a resident: the form, its rules, and who gets to see the new resident."""

import pytest
from django.urls import reverse
from django.utils import timezone

from digibank.audit.models import AuditEntry
from digibank.residents.models import Resident, ResidentAccess, TimelineEntry

from .. import factories as f
from .data import resident_data

CREATE = reverse("residents:create")


def test_the_desk_registers_a_resident_and_lands_on_their_page(world, client_for):
    response = client_for(world.desk).post(CREATE, resident_data())
    resident = Resident.objects.get(last_name="Janssens")
    assert response.status_code == 302
    assert response["Location"] == reverse("residents:detail", kwargs={"pk": resident.pk})
    assert resident.network == world.leuven
    assert resident.created_by == world.desk
    assert resident.registered_by_organisation is None
    assert resident.consent_recorded_by == world.desk
    assert not ResidentAccess.objects.filter(resident=resident).exists()


def test_registering_writes_a_create_audit_entry_with_field_names_only(world, client_for):
    client_for(world.desk).post(CREATE, resident_data())
    resident = Resident.objects.get(last_name="Janssens")
    entry = AuditEntry.objects.get(subject_kind="resident", subject_id=resident.pk, action="create")
    assert entry.actor == world.desk
    assert entry.source == CREATE
    assert {"first_name", "last_name", "phone", "consent_date"} <= set(entry.fields)
    assert "email" not in entry.fields  # left empty
    assert "Janssens" not in str(entry.fields)


def test_registering_starts_the_timeline(world, client_for):
    client_for(world.desk).post(CREATE, resident_data())
    resident = Resident.objects.get(last_name="Janssens")
    kinds = set(TimelineEntry.objects.filter(resident=resident).values_list("kind", flat=True))
    assert kinds == {"registered", "consent"}


def test_a_partner_worker_registers_for_their_organisation_and_keeps_seeing_the_resident(world, client_for):
    client = client_for(world.partner_a)
    response = client.post(CREATE, resident_data())
    assert response.status_code == 302
    resident = Resident.objects.get(last_name="Janssens")
    assert resident.registered_by_organisation == world.org_a
    access = ResidentAccess.objects.get(resident=resident)
    assert (access.organisation, access.reason, access.network) == (world.org_a, "registered", world.leuven)
    assert client.get(response["Location"]).status_code == 200
    assert client_for(world.partner_b).get(response["Location"]).status_code == 404


def test_the_district_is_filled_in_from_the_postcode(world, client_for):
    client_for(world.desk).post(CREATE, resident_data(postcode="3001", district=""))
    assert Resident.objects.get(last_name="Janssens").district == world.district


def test_a_chosen_district_is_kept_even_when_the_postcode_points_elsewhere(world, client_for):
    kessel = f.DistrictFactory(network=world.leuven, name="Kessel-Lo", postcodes="3010")
    client_for(world.desk).post(CREATE, resident_data(postcode="3001", district=kessel.pk))
    assert Resident.objects.get(last_name="Janssens").district == kessel


def test_an_unknown_postcode_leaves_the_district_empty(world, client_for):
    client_for(world.desk).post(CREATE, resident_data(postcode="9000"))
    assert Resident.objects.get(last_name="Janssens").district is None


def test_the_form_offers_only_districts_of_the_current_network(world, client_for):
    f.DistrictFactory(network=world.other, name="Elders-Centrum", postcodes="9000")
    response = client_for(world.desk).get(CREATE)
    assert "Heverlee" in response.text
    assert "Elders-Centrum" not in response.text


def test_a_district_of_another_network_is_refused(world, client_for):
    elsewhere = f.DistrictFactory(network=world.other, name="Elders-Centrum", postcodes="9000")
    response = client_for(world.desk).post(CREATE, resident_data(district=elsewhere.pk))
    assert response.status_code == 200
    assert response.context["form"].errors["district"]
    assert not Resident.objects.filter(last_name="Janssens").exists()


YEAR = timezone.localdate().year


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"birth_year": "1800"}, "birth_year"),
        ({"birth_year": str(YEAR + 1)}, "birth_year"),
        ({"birth_year": "nineteen"}, "birth_year"),
        ({"first_name": "  "}, "first_name"),
        ({"postcode": "300"}, "postcode"),
        ({"postcode": "0300"}, "postcode"),
        ({"preferred_channel": "email", "email": ""}, "email"),
        ({"preferred_channel": "email", "email": "not-an-address"}, "email"),
        ({"preferred_channel": "sms", "phone": ""}, "phone"),
        ({"preferred_channel": "phone", "phone": "12"}, "phone"),
        ({"preferred_channel": "letter", "street": "", "city": "Leuven"}, "street"),
        ({"preferred_channel": "letter", "street": "Naamsestraat 1", "city": ""}, "city"),
        ({"legal_basis": "consent", "consent_date": ""}, "consent_date"),
        ({"consent_date": f"{YEAR + 1}-01-01"}, "consent_date"),
        ({"legal_basis": ""}, "legal_basis"),
        ({"languages": "Nederlands!"}, "languages"),
    ],
)
def test_a_wrong_field_re_renders_with_an_inline_error_and_saves_nothing(world, client_for, overrides, field):
    before = Resident.objects.count()
    response = client_for(world.desk).post(CREATE, resident_data(**overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert f'id="id_{field}_error"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert Resident.objects.count() == before
    assert not AuditEntry.objects.filter(actor=world.desk, action="create").exists()


def test_the_year_of_birth_error_says_which_years_are_accepted(world, client_for):
    response = client_for(world.desk).post(CREATE, resident_data(birth_year="1800"))
    assert str(YEAR) in response.context["form"].errors["birth_year"][0]


def test_every_channel_is_accepted_with_what_it_needs(world, client_for):
    client = client_for(world.desk)
    cases = [
        {"preferred_channel": "email", "email": "jan@example.org", "phone": ""},
        {"preferred_channel": "sms", "phone": "+32 470 12 34 56"},
        {"preferred_channel": "letter", "street": "Naamsestraat 1", "city": "Leuven", "phone": ""},
        {"preferred_channel": "", "phone": ""},
    ]
    for number, case in enumerate(cases):
        response = client.post(CREATE, resident_data(last_name=f"Kanaal{number}", **case))
        assert response.status_code == 302, (case, response.context and response.context["form"].errors)


def test_consent_is_not_needed_for_another_legal_basis(world, client_for):
    response = client_for(world.desk).post(CREATE, resident_data(legal_basis="public_task", consent_date=""))
    assert response.status_code == 302
    resident = Resident.objects.get(last_name="Janssens")
    assert resident.consent_recorded_by is None
    assert not TimelineEntry.objects.filter(resident=resident, kind="consent").exists()


def test_names_are_trimmed_and_languages_tidied(world, client_for):
    client_for(world.desk).post(
        CREATE, resident_data(first_name="  Jan  Pieter ", last_name=" Janssens ", languages="NL; ar  nl")
    )
    resident = Resident.objects.get(last_name="Janssens")
    assert resident.first_name == "Jan Pieter"
    assert resident.languages == "nl, ar"


def test_the_form_explains_why_the_address_is_asked(world, client_for):
    response = client_for(world.desk).get(CREATE)
    assert "Only needed for a loan agreement" in response.text


@pytest.mark.parametrize("actor", ["volunteer", "steering", "provider"])
def test_roles_without_personal_data_cannot_register(world, client_for, actor):
    response = client_for(getattr(world, actor)).post(CREATE, resident_data())
    assert response.status_code == 403
    assert not Resident.objects.filter(last_name="Janssens").exists()


def test_a_resident_is_registered_in_the_network_of_the_user_not_another(world, client_for):
    response = client_for(world.outsider).post(CREATE, resident_data(postcode="9000"))
    assert response.status_code == 302
    assert Resident.objects.get(last_name="Janssens").network == world.other
