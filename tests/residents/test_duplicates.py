"""The likely-duplicate warning: on submit (works without JavaScript) and as a live htmx check."""

from django.urls import reverse
from django.utils import timezone

from digibank.audit.models import AuditEntry
from digibank.residents.models import Resident

from .. import factories as f
from .data import resident_data

CREATE = reverse("residents:create")
CHECK = reverse("residents:duplicates")


def same_as(resident, **overrides) -> dict:
    values = {
        "first_name": resident.first_name,
        "last_name": resident.last_name,
        "birth_year": str(resident.birth_year),
        "postcode": resident.postcode,
    }
    return resident_data(**{**values, **overrides})


def detail_url(resident) -> str:
    return reverse("residents:detail", kwargs={"pk": resident.pk})


def test_a_likely_duplicate_stops_the_registration_and_links_to_the_existing_resident(world, client_for):
    existing = world.resident_desk
    response = client_for(world.desk).post(
        CREATE, same_as(existing, first_name=" bart ", last_name="BOSMANS")
    )
    assert response.status_code == 200
    assert Resident.objects.filter(last_name__iexact="bosmans").count() == 1
    assert response.context["duplicates"].visible == [existing]
    assert detail_url(existing) in response.text
    assert 'name="register_anyway"' in response.text


def test_ticking_register_anyway_saves_the_new_resident(world, client_for):
    response = client_for(world.desk).post(CREATE, same_as(world.resident_desk, register_anyway="on"))
    assert response.status_code == 302
    assert Resident.objects.filter(last_name="Bosmans").count() == 2


def test_the_duplicate_warning_shows_even_when_another_field_is_wrong(world, client_for):
    response = client_for(world.desk).post(CREATE, same_as(world.resident_desk, birth_year="1960", phone=""))
    assert response.context["form"].errors
    assert response.context["duplicates"].visible == [world.resident_desk]


def test_a_partner_is_told_only_that_an_invisible_duplicate_exists(world, client_for):
    existing = world.resident_a  # registered by org_a; partner_b may not see it
    response = client_for(world.partner_b).post(CREATE, same_as(existing))
    assert response.status_code == 200
    duplicates = response.context["duplicates"]
    assert duplicates.visible == []
    assert duplicates.hidden
    assert "contact the service desk" in response.text
    assert detail_url(existing) not in response.text
    assert not AuditEntry.objects.filter(
        subject_kind="resident", subject_id=existing.pk, actor=world.partner_b
    ).exists()
    assert Resident.objects.filter(last_name="Aerts").count() == 1


def test_the_partner_who_can_see_the_duplicate_gets_the_link(world, client_for):
    response = client_for(world.partner_a).post(CREATE, same_as(world.resident_a))
    assert response.context["duplicates"].visible == [world.resident_a]
    assert detail_url(world.resident_a) in response.text


def test_different_year_or_postcode_is_no_duplicate(world, client_for):
    client = client_for(world.desk)
    assert client.post(CREATE, same_as(world.resident_desk, birth_year="1961")).status_code == 302
    assert client.post(CREATE, same_as(world.resident_desk, postcode="3010")).status_code == 302


def test_erased_residents_and_other_networks_are_no_duplicates(world, client_for):
    erased = f.ResidentFactory(network=world.leuven, first_name="Els", last_name="Weg")
    erased.erased_at = timezone.now()
    erased.save()
    client = client_for(world.desk)
    assert client.post(CREATE, same_as(erased)).status_code == 302
    assert client.post(CREATE, same_as(world.resident_other, postcode="3000")).status_code == 302


def test_the_registration_form_asks_for_the_live_check(world, client_for):
    response = client_for(world.desk).get(CREATE)
    assert f'hx-get="{CHECK}"' in response.text
    assert 'id="duplicate-check"' in response.text


def test_the_live_check_returns_the_warning_fragment(world, client_for):
    existing = world.resident_desk
    params = {"first_name": "Bart", "last_name": "Bosmans", "birth_year": "1960", "postcode": "3000"}
    response = client_for(world.desk).get(CHECK, params, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert detail_url(existing) in response.text
    assert 'name="register_anyway"' in response.text
    entry = AuditEntry.objects.get(subject_kind="resident", subject_id=existing.pk, actor=world.desk)
    assert entry.source == CHECK  # the query (a name) is not stored


def test_the_live_check_hides_what_the_partner_may_not_see(world, client_for):
    params = {"first_name": "Amira", "last_name": "Aerts", "birth_year": "1960", "postcode": "3000"}
    response = client_for(world.partner_b).get(CHECK, params, headers={"HX-Request": "true"})
    assert "contact the service desk" in response.text
    assert detail_url(world.resident_a) not in response.text


def test_the_live_check_is_empty_without_a_match_or_with_junk(world, client_for):
    client = client_for(world.desk)
    assert "warning" not in client.get(CHECK).text
    assert "warning" not in client.get(CHECK, {"first_name": "Bart", "birth_year": "x"}).text
    huge = {"first_name": "Bart", "last_name": "Bosmans", "birth_year": "9" * 30, "postcode": "3000"}
    assert "warning" not in client.get(CHECK, huge).text
    none = {"first_name": "Niemand", "last_name": "Bosmans", "birth_year": "1960", "postcode": "3000"}
    assert "warning" not in client.get(CHECK, none).text


def test_the_live_check_needs_the_right_to_register(world, client_for):
    assert client_for(world.volunteer).get(CHECK).status_code == 403
