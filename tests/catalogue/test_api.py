"""/api/v1/services/: the catalogue for programs, scoped like the UI, in a constant number of queries."""

from django.test import Client

from digibank.catalogue.models import Service, ServiceKind
from tests.api.conftest import token_for

from .. import factories as f

LIST = "/api/v1/services/"


def api_client(user, network=None) -> Client:
    return Client(headers={"Authorization": f"Bearer {token_for(user, network)}", "Accept-Language": "en"})


def test_the_list_shows_the_networks_services(world):
    response = api_client(world.partner_b).get(LIST)
    assert response.status_code == 200
    body = response.json()
    assert {"Laptops lenen (test)", "Hulp sociaal internettarief (test)"} <= {
        i["name"] for i in body["items"]
    }
    assert body["count"] == Service.objects.in_network(world.leuven).count()
    loan = next(item for item in body["items"] if item["name"] == "Laptops lenen (test)")
    assert loan["kind"] == "device_loan"
    assert loan["organisation"] == {"id": world.org_a.pk, "name": "Buurtwerk A"}
    assert loan["criteria"] == ["increased_reimbursement", "living_wage", "referral"]
    assert loan["has_waiting_list"] is True and loan["capacity"] is None
    assert "Zegers" not in response.text


def test_the_list_filters_by_kind_organisation_and_status(world):
    org_t = f.OrganisationFactory(network=world.leuven, name="Buurthuis T")
    for name, active in [("Oud", False), ("Nieuw", True)]:
        Service.objects.create(
            network=world.leuven, name=name, kind=ServiceKind.REPAIR, organisation=org_t, is_active=active
        )
    client = api_client(world.desk)

    def names(**query) -> set[str]:
        return {item["name"] for item in client.get(LIST, query).json()["items"]}

    assert {"Oud", "Nieuw"} <= names(kind="repair")
    assert "Laptops lenen (test)" not in names(kind="repair")
    assert names(organisation=org_t.pk) == {"Oud", "Nieuw"}
    assert names(organisation=org_t.pk, active="false") == {"Oud"}
    assert "Oud" not in names(active="true")
    assert client.get(LIST, {"organisation": world.org_other.pk}).json()["count"] == 0
    assert client.get(LIST, {"kind": "teleportation"}).status_code == 422


def test_the_list_needs_a_constant_number_of_queries(world, django_assert_max_num_queries):
    client = api_client(world.desk)
    with django_assert_max_num_queries(10) as few:
        before = client.get(LIST).json()["count"]
    for number in range(30):
        organisation = f.OrganisationFactory(network=world.leuven)
        Service.objects.create(
            network=world.leuven, name=f"Dienst {number}", kind=ServiceKind.COURSE, organisation=organisation
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST, {"limit": 100})
    assert len(response.json()["items"]) == before + 30


def test_the_detail_shows_one_service(world):
    response = api_client(world.coordinator).get(f"{LIST}{world.service_loan.pk}")
    assert response.status_code == 200
    assert response.json()["name"] == "Laptops lenen (test)"


def test_a_service_of_another_network_is_not_found(world):
    response = api_client(world.coordinator).get(f"{LIST}{world.service_zegers.pk}")
    assert response.status_code == 404
    assert "Zegers" not in response.text


def test_volunteers_may_not_read_the_catalogue_and_strangers_must_log_in(world):
    assert api_client(world.volunteer).get(LIST).status_code == 403
    response = Client().get(LIST)
    assert response.status_code == 401
