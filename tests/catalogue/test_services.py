"""The service catalogue: list with filters, detail, add and edit, and who may do what."""

import pytest
from django.urls import reverse

from digibank.catalogue import services
from digibank.catalogue.models import Service, ServiceKind
from digibank.organisations.models import Organisation

from .. import factories as f

LIST = reverse("catalogue:list")
CREATE = reverse("catalogue:create")
# This area's services in the test world (other areas add their own to the same network).
MINE = {"Laptops lenen (test)", "Hulp sociaal internettarief (test)"}


def names(response) -> set[str]:
    return {service.name for service in response.context["services"]}


def valid_data(world, **overrides) -> dict:
    data = {
        "name": "Digitaal spreekuur (test)",
        "kind": ServiceKind.HELP_HOURS,
        "organisation": world.org_b.pk,
        "description": "Elke week",
        "criteria": ["living_wage", "referral"],
        "criteria_text": "Iedereen",
        "capacity": "",
        "has_waiting_list": "",
        "requires_consent": "on",
        "is_active": "on",
        "is_public": "on",
    }
    data.update(overrides)
    return data


# --- list and detail ------------------------------------------------------------------------


def test_the_list_shows_the_services_of_the_network_only(world, client_for):
    response = client_for(world.partner_b).get(LIST)
    assert response.status_code == 200
    assert names(response) >= MINE
    assert all(service.network_id == world.leuven.pk for service in response.context["services"])
    assert "Zegers" not in response.text
    assert "Increased-reimbursement status, Living wage, Referral by a partner" in response.text


def test_the_list_filters_by_kind_organisation_and_status(world, client_for):
    client = client_for(world.desk)
    org_t = f.OrganisationFactory(network=world.leuven, name="Buurthuis T")
    for name, active in [("Oud aanbod", False), ("Nieuw aanbod", True)]:
        Service.objects.create(
            network=world.leuven, name=name, kind=ServiceKind.REPAIR, organisation=org_t, is_active=active
        )
    both = {"Oud aanbod", "Nieuw aanbod"}
    assert both <= names(client.get(LIST, {"kind": "repair"}))
    assert not names(client.get(LIST, {"kind": "repair"})) & MINE
    assert names(client.get(LIST, {"organisation": org_t.pk})) == both
    assert names(client.get(LIST, {"organisation": org_t.pk, "active": "no"})) == {"Oud aanbod"}
    assert names(client.get(LIST, {"organisation": org_t.pk, "active": "yes"})) == {"Nieuw aanbod"}
    assert "Oud aanbod" not in names(client.get(LIST, {"active": "yes"}))
    response = client.get(LIST, {"organisation": org_t.pk, "kind": "digibuddy"})
    assert "No service matches this filter." in response.text


def test_a_filter_value_from_another_network_is_ignored(world, client_for):
    client = client_for(world.desk)
    response = client.get(LIST, {"organisation": world.org_other.pk, "kind": "nonsense"})
    assert response.status_code == 200
    assert names(response) == names(client.get(LIST))
    assert "Zegers" not in response.text and "Partner elders" not in response.text


def test_the_list_answers_htmx_with_the_results_only(world, client_for):
    response = client_for(world.desk).get(LIST, {"kind": "device_loan"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'id="service-results"' in response.text
    assert "<h1>" not in response.text


def test_the_list_needs_a_constant_number_of_queries(world, client_for, django_assert_max_num_queries):
    client = client_for(world.desk)
    before = len(names(client.get(LIST)))
    with django_assert_max_num_queries(12) as few:
        client.get(LIST)
    for number in range(25):
        organisation = f.OrganisationFactory(network=world.leuven)
        Service.objects.create(
            network=world.leuven, name=f"Dienst {number}", kind=ServiceKind.COURSE, organisation=organisation
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert len(names(response)) == before + 25


def test_the_detail_page_shows_the_service(world, client_for):
    response = client_for(world.partner_b).get(
        reverse("catalogue:detail", kwargs={"pk": world.service_loan.pk})
    )
    assert response.status_code == 200
    assert "Laptops lenen (test)" in response.text
    assert "yes: residents wait for their turn" in response.text
    assert "Edit service" not in response.text  # partners read, the coordinator edits


def test_a_service_of_another_network_is_not_found(world, client_for):
    url = reverse("catalogue:detail", kwargs={"pk": world.service_zegers.pk})
    assert client_for(world.coordinator).get(url).status_code == 404
    edit = reverse("catalogue:edit", kwargs={"pk": world.service_zegers.pk})
    assert client_for(world.coordinator).post(edit, valid_data(world)).status_code == 404
    world.service_zegers.refresh_from_db()
    assert world.service_zegers.name == "Laptopdienst Zegers"


def test_volunteers_may_not_read_the_catalogue(world, client_for):
    assert client_for(world.volunteer).get(LIST).status_code == 403


# --- add and edit ---------------------------------------------------------------------------


def test_the_coordinator_adds_a_service(world, client_for):
    response = client_for(world.coordinator).post(CREATE, valid_data(world))
    service = Service.objects.get(network=world.leuven, name="Digitaal spreekuur (test)")
    assert response.status_code == 302
    assert response["Location"] == reverse("catalogue:detail", kwargs={"pk": service.pk})
    assert service.organisation == world.org_b
    assert service.criteria == ["living_wage", "referral"]
    assert service.capacity is None and not service.has_waiting_list and service.requires_consent


def test_the_form_offers_the_criteria_as_checkboxes_and_only_this_networks_organisations(world, client_for):
    response = client_for(world.coordinator).get(CREATE)
    assert 'type="checkbox" name="criteria" value="increased_reimbursement"' in response.text
    assert 'value="referral"' in response.text
    choices = response.context["form"].fields["organisation"].queryset
    assert set(choices) == set(Organisation.objects.in_network(world.leuven).filter(is_active=True))
    assert world.org_other not in choices


def test_a_duplicate_name_is_refused_with_a_clear_message(world, client_for):
    before = Service.objects.in_network(world.leuven).count()
    response = client_for(world.coordinator).post(CREATE, valid_data(world, name="  laptops LENEN (test) "))
    assert response.status_code == 200
    assert "This network already has a service with this name." in response.text
    assert Service.objects.in_network(world.leuven).count() == before


def test_the_same_name_is_fine_in_another_network(world):
    services.service_create(
        network=world.other,
        actor=world.outsider,
        data={"name": "Laptops lenen (test)", "kind": "device_loan", "organisation": world.org_other},
    )
    assert Service.objects.filter(name="Laptops lenen (test)").count() == 2


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"kind": "teleportation"}, "kind"),
        ({"criteria": ["astrology"]}, "criteria"),
        ({"capacity": "0"}, "capacity"),
        ({"capacity": "-3"}, "capacity"),
    ],
)
def test_bad_input_re_renders_with_an_error_and_saves_nothing(world, client_for, overrides, field):
    response = client_for(world.coordinator).post(CREATE, valid_data(world, **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Service.objects.filter(name="Digitaal spreekuur (test)").exists()


def test_an_organisation_of_another_network_cannot_provide_a_service(world, client_for):
    response = client_for(world.coordinator).post(CREATE, valid_data(world, organisation=world.org_other.pk))
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not Service.objects.filter(name="Digitaal spreekuur (test)").exists()


def test_the_service_refuses_an_organisation_of_another_network_too(world):
    with pytest.raises(Exception) as raised:
        services.service_create(
            network=world.leuven,
            actor=world.coordinator,
            data={"name": "Sluiproute", "kind": "course", "organisation": world.org_other},
        )
    assert "organisation" in raised.value.message_dict
    assert not Service.objects.filter(name="Sluiproute").exists()


def test_the_coordinator_edits_a_service(world, client_for):
    url = reverse("catalogue:edit", kwargs={"pk": world.service_loan.pk})
    client = client_for(world.coordinator)
    form = client.get(url).context["form"]
    assert form.initial["criteria"] == ["increased_reimbursement", "living_wage", "referral"]
    data = valid_data(world, name="Laptops lenen", kind="device_loan", criteria=[], capacity="40")
    response = client.post(url, data)
    assert response.status_code == 302
    world.service_loan.refresh_from_db()
    assert world.service_loan.name == "Laptops lenen"
    assert world.service_loan.criteria == []
    assert world.service_loan.capacity == 40


def test_an_invalid_edit_keeps_the_saved_name_in_the_title(world, client_for):
    url = reverse("catalogue:edit", kwargs={"pk": world.service_loan.pk})
    response = client_for(world.coordinator).post(
        url, valid_data(world, name="Hulp sociaal internettarief (test)")
    )
    assert response.status_code == 200
    assert "Edit Laptops lenen (test)" in response.text
    world.service_loan.refresh_from_db()
    assert world.service_loan.name == "Laptops lenen (test)"


@pytest.mark.parametrize("actor", ["desk", "partner_a", "digipunt", "provider", "steering", "volunteer"])
def test_only_the_coordinator_may_add_or_edit_services(world, client_for, actor):
    client = client_for(getattr(world, actor))
    assert client.post(CREATE, valid_data(world)).status_code == 403
    url = reverse("catalogue:edit", kwargs={"pk": world.service_loan.pk})
    assert client.post(url, valid_data(world, name="Gekaapt")).status_code == 403
    assert not Service.objects.filter(name__in=["Digitaal spreekuur (test)", "Gekaapt"]).exists()
