from digibank.organisations.models import Organisation
from tests import factories as f

URL = "/api/v1/organisations/"


def test_the_list_shows_the_networks_organisations_by_name(world, api_for):
    expected = sorted(Organisation.objects.filter(network=world.leuven).values_list("name", flat=True))
    body = api_for(world.provider).get(URL).json()
    assert body["count"] == len(expected)
    assert [o["name"] for o in body["items"]] == expected
    assert "Partner elders" not in expected


def test_the_list_filters_by_type_and_pages(world, api_for):
    client = api_for(world.desk)
    assert [o["name"] for o in client.get(URL, {"type": "social_welfare"}).json()["items"]] == ["OCMW B"]
    assert client.get(URL, {"type": "nonsense"}).status_code == 422
    names = sorted(Organisation.objects.filter(network=world.leuven).values_list("name", flat=True))
    page = client.get(URL, {"limit": 1, "offset": 1}).json()
    assert page["count"] == len(names) and [o["name"] for o in page["items"]] == names[1:2]


def test_the_detail_lists_the_contact_people(world, api_for):
    body = api_for(world.desk).get(f"{URL}{world.org_a.pk}").json()
    assert body["name"] == "Buurtwerk A"
    assert [c["name"] for c in body["contacts"]] == ["Contact Anna"]


def test_volunteers_may_not_read_organisations(world, api_for):
    assert api_for(world.volunteer).get(URL).status_code == 403


def test_the_coordinator_adds_an_organisation(world, api_for):
    response = api_for(world.coordinator).post(
        URL, {"name": "Bibliotheek", "type": "library", "website": "https://bib.example"}, "application/json"
    )
    assert response.status_code == 201, response.content
    organisation = Organisation.objects.get(pk=response.json()["id"])
    assert organisation.network == world.leuven and organisation.type == "library"


def test_a_name_already_in_the_network_is_refused(world, api_for):
    body = {"name": "buurtwerk a", "type": "other"}
    before = Organisation.objects.filter(network=world.leuven).count()
    response = api_for(world.coordinator).post(URL, body, "application/json")
    assert response.status_code == 422 and "name" in response.json()["errors"]
    assert Organisation.objects.filter(network=world.leuven).count() == before


def test_invalid_fields_are_refused_per_field(world, api_for):
    body = {"name": "X", "type": "other", "email": "not-an-email", "website": "nope"}
    response = api_for(world.coordinator).post(URL, body, "application/json")
    assert response.status_code == 422
    assert {"email", "website"} <= set(response.json()["errors"])


def test_only_the_coordinator_adds_or_changes_organisations(world, api_for):
    body = {"name": "Nieuw", "type": "other"}
    assert api_for(world.desk).post(URL, body, "application/json").status_code == 403
    response = api_for(world.desk).patch(f"{URL}{world.org_a.pk}", {"name": "X"}, "application/json")
    assert response.status_code == 403
    assert not Organisation.objects.filter(name__in=["Nieuw", "X"]).exists()


def test_the_coordinator_changes_only_the_fields_sent(world, api_for):
    client = api_for(world.coordinator)
    response = client.patch(f"{URL}{world.org_b.pk}", {"is_active": False}, "application/json")
    assert response.status_code == 200, response.content
    world.org_b.refresh_from_db()
    assert world.org_b.is_active is False and world.org_b.name == "OCMW B"


def test_another_networks_organisation_is_404(world, api_for):
    client = api_for(world.coordinator)
    assert client.get(f"{URL}{world.org_other.pk}").status_code == 404
    assert client.patch(f"{URL}{world.org_other.pk}", {"name": "Mine"}, "application/json").status_code == 404
    world.org_other.refresh_from_db()
    assert world.org_other.name == "Partner elders"


def test_list_queries_do_not_grow_with_the_number_of_organisations(
    world, api_for, django_assert_max_num_queries
):
    client = api_for(world.desk)
    client.get(URL)
    with django_assert_max_num_queries(4):  # token, membership, count, page
        client.get(URL)
    for i in range(30):
        f.OrganisationFactory(network=world.leuven, name=f"Partner {i:02}")
    total = Organisation.objects.filter(network=world.leuven).count()
    with django_assert_max_num_queries(4):
        assert len(client.get(URL, {"limit": 100}).json()["items"]) == total
