"""The residents list: scoped, filtered, paginated, audited, with a constant number of queries."""

from django.urls import reverse
from django.utils import timezone

from digibank.audit.models import AuditEntry
from digibank.residents.models import Resident

from .. import factories as f

LIST = reverse("residents:list")


def names(response) -> set[str]:
    return {r.last_name for r in response.context["residents"]}


def test_the_desk_sees_the_residents_of_the_network_only(world, client_for):
    response = client_for(world.desk).get(LIST)
    assert response.status_code == 200
    assert {"Aerts", "Bosmans"} <= names(response)
    assert len(response.context["residents"]) == Resident.objects.filter(network=world.leuven).count()
    assert "Zegers" not in response.text


def test_a_partner_sees_only_the_residents_of_their_organisation(world, client_for):
    mine = f.ResidentFactory(network=world.leuven, last_name="Vanmijn", organisation=world.org_b)
    assert "Aerts" in names(client_for(world.partner_a).get(LIST))
    response = client_for(world.partner_b).get(LIST)
    assert response.context["residents"] == [mine]
    assert "Aerts" not in response.text


def test_the_list_filters_by_district(world, client_for):
    kessel = f.DistrictFactory(network=world.leuven, name="Kessel-Lo", postcodes="3010")
    there = f.ResidentFactory(network=world.leuven, district=kessel)
    response = client_for(world.desk).get(LIST, {"district": kessel.pk})
    assert response.context["residents"] == [there]


def test_a_district_of_another_network_is_not_a_valid_filter(world, client_for):
    elsewhere = f.DistrictFactory(network=world.other, name="Elders")
    response = client_for(world.desk).get(LIST, {"district": elsewhere.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["district"]
    assert "Zegers" not in response.text


def test_the_list_filters_by_name_and_by_postcode(world, client_for):
    client = client_for(world.desk)
    assert names(client.get(LIST, {"q": "bart bos"})) == {"Bosmans"}
    f.ResidentFactory(network=world.leuven, last_name="Claes", postcode="3999")
    assert names(client.get(LIST, {"q": "3999"})) == {"Claes"}
    response = client.get(LIST, {"q": "nobody-like-this"})
    assert "Nobody matches this filter." in response.text


def test_erased_residents_are_not_listed(world, client_for):
    world.resident_desk.erased_at = timezone.now()
    world.resident_desk.save()
    shown = client_for(world.coordinator).get(LIST).context["residents"]
    assert world.resident_a in shown and world.resident_desk not in shown


def test_the_list_is_paginated_by_25(world, client_for):
    f.ResidentFactory.create_batch(30, network=world.leuven, last_name="Peeters")
    client = client_for(world.desk)
    first = client.get(LIST)
    assert len(first.context["residents"]) == 25
    assert "?page=2" in first.text
    second = client.get(LIST, {"page": 2})
    total = Resident.objects.filter(network=world.leuven).count()
    assert len(second.context["residents"]) == min(total - 25, 25)
    assert client.get(LIST, {"page": "junk"}).status_code == 200


def test_pagination_keeps_the_filter(world, client_for):
    f.ResidentFactory.create_batch(30, network=world.leuven, last_name="Peeters")
    response = client_for(world.desk).get(LIST, {"q": "Peeters"})
    assert "q=Peeters&amp;page=2" in response.text


def test_the_names_on_the_list_are_written_to_the_audit_trail(world, client_for):
    client_for(world.desk).get(LIST, {"q": "Amira"})
    entry = AuditEntry.objects.get(subject_kind="resident", subject_id=world.resident_a.pk, actor=world.desk)
    assert entry.action == "view"
    assert entry.source == LIST  # without the query: it is often a name
    assert not AuditEntry.objects.filter(subject_kind="resident", subject_id=world.resident_desk.pk).exists()


def test_an_htmx_filter_returns_only_the_results(world, client_for):
    response = client_for(world.desk).get(LIST, {"q": "Amira"}, headers={"HX-Request": "true"})
    assert "<html" not in response.text
    assert 'id="resident-results"' in response.text
    assert "Aerts" in response.text


def test_the_list_uses_a_constant_number_of_queries(world, client_for, django_assert_max_num_queries):
    client = client_for(world.desk)
    client.get(LIST)
    with django_assert_max_num_queries(12) as few:
        client.get(LIST)
    org = f.OrganisationFactory(network=world.leuven)
    for district in [world.district, f.DistrictFactory(network=world.leuven)]:
        f.ResidentFactory.create_batch(15, network=world.leuven, district=district, organisation=org)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(LIST)


def test_the_partner_list_uses_a_constant_number_of_queries(world, client_for, django_assert_max_num_queries):
    client = client_for(world.partner_a)
    client.get(LIST)
    with django_assert_max_num_queries(12) as few:
        client.get(LIST)
    f.ResidentFactory.create_batch(
        30, network=world.leuven, organisation=world.org_a, district=world.district
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert len(response.context["residents"]) == 25


def test_roles_without_personal_data_get_403(world, client_for):
    assert client_for(world.volunteer).get(LIST).status_code == 403
    assert client_for(world.steering).get(LIST).status_code == 403
