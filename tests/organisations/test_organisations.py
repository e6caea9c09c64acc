import pytest
from django.urls import reverse

from digibank.organisations.models import ContactPerson, Organisation

from .. import factories as f

LIST = reverse("organisations:list")
CREATE = reverse("organisations:create")


def detail(org):
    return reverse("organisations:detail", kwargs={"pk": org.pk})


def edit(org):
    return reverse("organisations:edit", kwargs={"pk": org.pk})


def contact_url(name, org):
    return reverse(f"organisations:{name}", kwargs={"pk": org.pk})


VALID = {"name": "Bibliotheek Leuven", "type": "library", "is_active": "on"}


# --- list --------------------------------------------------------------------------------


def test_the_list_shows_name_type_and_contact_count(world, client_for):
    f.ContactPersonFactory(organisation=world.org_a, name="Contact Bert")
    response = client_for(world.desk).get(LIST)
    assert response.status_code == 200
    rows = {o.name: o for o in response.context["organisations"]}
    assert rows["Buurtwerk A"].contact_count == 2
    assert rows["OCMW B"].contact_count == 0
    assert "Social welfare (OCMW)" in response.content.decode()


def test_the_list_filters_by_type(world, client_for):
    response = client_for(world.desk).get(LIST, {"type": "social_welfare"})
    names = [o.name for o in response.context["organisations"]]
    assert "OCMW B" in names and "Buurtwerk A" not in names
    assert all(o.type == "social_welfare" for o in response.context["organisations"])


def test_an_unknown_type_filter_shows_everything(world, client_for):
    response = client_for(world.desk).get(LIST, {"type": "nonsense"})
    assert response.status_code == 200
    shown = {o.name for o in response.context["organisations"]}
    assert shown == set(Organisation.objects.in_network(world.leuven).values_list("name", flat=True))


def test_the_list_never_shows_another_network(world, client_for):
    response = client_for(world.coordinator).get(LIST)
    assert "Partner elders" not in response.content.decode()


def test_htmx_filtering_returns_only_the_results_table(world, client_for):
    response = client_for(world.desk).get(LIST, {"type": "social_welfare"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "OCMW B" in body and "<html" not in body


def test_the_list_uses_a_constant_number_of_queries(world, client_for, django_assert_max_num_queries):
    client = client_for(world.desk)
    with django_assert_max_num_queries(8) as one:
        client.get(LIST)
    for i in range(15):
        org = f.OrganisationFactory(network=world.leuven, name=f"Partner {i}")
        f.ContactPersonFactory(organisation=org)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(LIST)


def test_volunteers_may_not_see_organisations(world, client_for):
    assert client_for(world.volunteer).get(LIST).status_code == 403


# --- detail ------------------------------------------------------------------------------


def test_the_detail_page_shows_the_contact_people(world, client_for):
    response = client_for(world.partner_b).get(detail(world.org_a))
    assert response.status_code == 200
    assert "Contact Anna" in response.content.decode()
    # Only coordinators get the edit buttons.
    assert contact_url("contact_remove", world.org_a) not in response.content.decode()


def test_another_networks_organisation_is_not_found(world, client_for):
    assert client_for(world.coordinator).get(detail(world.org_other)).status_code == 404
    assert client_for(world.outsider).get(detail(world.org_a)).status_code == 404


# --- create and edit ---------------------------------------------------------------------


def test_a_coordinator_adds_an_organisation(world, client_for):
    response = client_for(world.coordinator).post(CREATE, VALID)
    org = Organisation.objects.get(network=world.leuven, name="Bibliotheek Leuven")
    assert response.status_code == 302 and response["Location"] == detail(org)
    assert org.type == "library"


def test_a_duplicate_name_in_the_same_network_gets_a_friendly_error(world, client_for):
    before = Organisation.objects.count()
    response = client_for(world.coordinator).post(CREATE, {**VALID, "name": "buurtwerk a"})
    assert response.status_code == 200
    assert "already has an organisation with this name" in response.content.decode()
    assert Organisation.objects.count() == before


def test_the_same_name_is_fine_in_another_network(world, client_for):
    response = client_for(world.outsider).post(CREATE, {**VALID, "name": "Buurtwerk A"})
    assert response.status_code == 302
    assert Organisation.objects.in_network(world.other).filter(name="Buurtwerk A").exists()


def test_a_bad_organisation_form_changes_nothing(world, client_for):
    before = Organisation.objects.count()
    response = client_for(world.coordinator).post(CREATE, {"name": "", "type": "castle"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"name", "type"}
    assert Organisation.objects.count() == before


def test_only_coordinators_add_organisations(world, client_for):
    assert client_for(world.desk).post(CREATE, VALID).status_code == 403
    assert client_for(world.partner_a).get(edit(world.org_a)).status_code == 403
    assert not Organisation.objects.filter(name="Bibliotheek Leuven").exists()


def test_a_coordinator_edits_an_organisation(world, client_for):
    data = {"name": "Buurtwerk Anders", "type": "neighbourhood", "email": "info@buurtwerk.example"}
    response = client_for(world.coordinator).post(edit(world.org_a), data)
    assert response.status_code == 302
    world.org_a.refresh_from_db()
    assert world.org_a.name == "Buurtwerk Anders"
    assert world.org_a.is_active is False  # the checkbox was not sent: no longer a partner


def test_renaming_to_another_organisations_name_is_refused(world, client_for):
    response = client_for(world.coordinator).post(
        edit(world.org_a), {"name": "OCMW B", "type": "neighbourhood"}
    )
    assert response.status_code == 200
    assert "already has an organisation with this name" in response.content.decode()
    world.org_a.refresh_from_db()
    assert world.org_a.name == "Buurtwerk A"


def test_keeping_the_own_name_is_not_a_duplicate(world, client_for):
    response = client_for(world.coordinator).post(
        edit(world.org_a), {"name": "Buurtwerk A", "type": "education", "is_active": "on"}
    )
    assert response.status_code == 302


def test_another_networks_organisation_cannot_be_edited(world, client_for):
    response = client_for(world.coordinator).post(edit(world.org_other), {**VALID, "name": "Gekaapt"})
    assert response.status_code == 404
    world.org_other.refresh_from_db()
    assert world.org_other.name == "Partner elders"


# --- contact people ----------------------------------------------------------------------


def test_a_coordinator_adds_a_contact_person(world, client_for):
    data = {"name": "Dries", "function": "Buurtwerker", "email": "dries@example.org"}
    response = client_for(world.coordinator).post(contact_url("contact_add", world.org_a), data)
    assert response.status_code == 302
    contact = ContactPerson.objects.get(name="Dries")
    assert contact.organisation == world.org_a and contact.network == world.leuven


def test_a_bad_contact_form_changes_nothing(world, client_for):
    before = ContactPerson.objects.count()
    response = client_for(world.coordinator).post(
        contact_url("contact_add", world.org_a), {"name": "", "email": "not-an-address"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"name", "email"}
    assert ContactPerson.objects.count() == before


def test_a_contact_cannot_be_added_to_another_networks_organisation(world, client_for):
    response = client_for(world.coordinator).post(contact_url("contact_add", world.org_other), {"name": "X"})
    assert response.status_code == 404
    assert not ContactPerson.objects.filter(name="X").exists()


def test_a_coordinator_edits_a_contact_person(world, client_for):
    client = client_for(world.coordinator)
    url = contact_url("contact_edit", world.org_a)
    assert client.get(url, {"contact": world.contact_a.pk}).status_code == 200
    response = client.post(
        url, {"contact": world.contact_a.pk, "name": "Anna Peeters", "phone": "016 00 00 00"}
    )
    assert response.status_code == 302
    world.contact_a.refresh_from_db()
    assert world.contact_a.name == "Anna Peeters"


def test_a_contact_is_only_found_through_its_own_organisation(world, client_for):
    client = client_for(world.coordinator)
    # Right network, wrong organisation in the URL: not found, nothing changes.
    response = client.post(
        contact_url("contact_edit", world.org_b), {"contact": world.contact_a.pk, "name": "X"}
    )
    assert response.status_code == 404
    response = client.post(contact_url("contact_remove", world.org_b), {"contact": world.contact_a.pk})
    assert response.status_code == 404
    assert ContactPerson.objects.filter(pk=world.contact_a.pk, name="Contact Anna").exists()


def test_another_networks_contact_is_not_found(world, client_for):
    theirs = f.ContactPersonFactory(organisation=world.org_other, name="Hun contact")
    response = client_for(world.coordinator).post(
        contact_url("contact_remove", world.org_a), {"contact": theirs.pk}
    )
    assert response.status_code == 404
    assert ContactPerson.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("junk", ["abc", "", "99999"])
def test_junk_contact_ids_remove_nothing(world, client_for, junk):
    before = ContactPerson.objects.count()
    response = client_for(world.coordinator).post(
        contact_url("contact_remove", world.org_a), {"contact": junk}
    )
    assert response.status_code in {302, 404}
    assert ContactPerson.objects.count() == before


def test_editing_without_a_contact_goes_back_to_the_organisation(world, client_for):
    response = client_for(world.coordinator).get(contact_url("contact_edit", world.org_a))
    assert response.status_code == 302 and response["Location"] == detail(world.org_a)


def test_a_coordinator_removes_a_contact_person(world, client_for):
    response = client_for(world.coordinator).post(
        contact_url("contact_remove", world.org_a), {"contact": world.contact_a.pk}
    )
    assert response.status_code == 302
    assert not ContactPerson.objects.filter(pk=world.contact_a.pk).exists()


def test_the_contact_remove_endpoint_only_accepts_post(world, client_for):
    response = client_for(world.coordinator).get(contact_url("contact_remove", world.org_a))
    assert response.status_code == 405


def test_only_coordinators_manage_contact_people(world, client_for):
    client = client_for(world.desk)
    assert client.post(contact_url("contact_add", world.org_a), {"name": "X"}).status_code == 403
    assert (
        client.post(contact_url("contact_remove", world.org_a), {"contact": world.contact_a.pk}).status_code
        == 403
    )
    assert not ContactPerson.objects.filter(name="X").exists()
    assert ContactPerson.objects.filter(pk=world.contact_a.pk).exists()
