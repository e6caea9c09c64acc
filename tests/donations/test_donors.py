import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from digibank.devices.donations.services import donor_anonymise, donor_create, vat_normalise
from digibank.devices.models import Donor, DonorKind

from .factories import DonorFactory


@pytest.mark.parametrize(
    "written", ["BE 0403.170.701", "be0403170701", "0403.170.701", "403170701", "0403 170 701"]
)
def test_it_normalises_the_ways_belgians_write_a_vat_number(written):
    assert vat_normalise(written) == "BE0403170701"


@pytest.mark.parametrize("written", ["BE0403170702", "123", "BE04031707", "ABCDEFGHIJ"])
def test_it_refuses_an_invalid_vat_number_with_a_clear_message(written):
    with pytest.raises(ValidationError) as error:
        vat_normalise(written)
    assert "not a valid Belgian enterprise or VAT number" in error.value.messages[0]


def test_the_donor_list_shows_the_networks_donors_only(world, client_for):
    response = client_for(world.desk).get(reverse("donations:donor_list"))
    assert response.status_code == 200
    assert "Brouwerij Proefbier NV" in response.text
    assert "BE 0403.170.701" in response.text
    assert "Zegers" not in response.text


def test_the_donor_list_searches_by_name_and_vat_number(world, client_for):
    DonorFactory(network=world.leuven, name="Koffiebranderij NV")
    client = client_for(world.desk)
    assert "Koffiebranderij" not in client.get(reverse("donations:donor_list"), {"q": "proef"}).text
    response = client.get(reverse("donations:donor_list"), {"q": "0403.170"})
    assert "Brouwerij Proefbier NV" in response.text


def test_the_donor_list_runs_a_constant_number_of_queries(world, client_for, django_assert_max_num_queries):
    client = client_for(world.desk)
    url = reverse("donations:donor_list")
    with django_assert_max_num_queries(12) as one:
        client.get(url)
    for n in range(15):
        DonorFactory(network=world.leuven, name=f"Firma {n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert "Firma 14" in response.text


def test_it_adds_an_organisation_with_a_normalised_vat_number(world, client_for):
    response = client_for(world.desk).post(
        reverse("donations:donor_create"),
        {
            "kind": "organisation",
            "name": " Softwarehuis NV ",
            "vat_number": "0403.170.701",
            "contact_name": "Els",
        },
    )
    donor = Donor.objects.get(network=world.leuven, name="Softwarehuis NV")
    assert response.status_code == 302
    assert response["Location"] == reverse("donations:donor_detail", kwargs={"pk": donor.pk})
    assert donor.vat_number == "BE0403170701"
    assert donor.vat_display == "BE 0403.170.701"


def test_an_invalid_vat_number_re_renders_the_form_and_stores_nothing(world, client_for):
    response = client_for(world.desk).post(
        reverse("donations:donor_create"),
        {"kind": "organisation", "name": "Foutje NV", "vat_number": "BE0403170702"},
    )
    assert response.status_code == 200
    assert "not a valid Belgian enterprise or VAT number" in response.text
    assert 'aria-invalid="true"' in response.text
    assert not Donor.objects.filter(name="Foutje NV").exists()


def test_a_private_person_is_kept_minimal(world, client_for):
    client = client_for(world.desk)
    response = client.post(
        reverse("donations:donor_create"),
        {"kind": "person", "name": "Jan Peeters", "vat_number": "BE0403170701", "address": "Straat 1"},
    )
    assert response.status_code == 200
    assert "Leave this empty for a private person" in response.text
    assert not Donor.objects.filter(name="Jan Peeters").exists()
    response = client.post(
        reverse("donations:donor_create"), {"kind": "person", "name": "Jan Peeters", "phone": "0470 12 34 56"}
    )
    assert response.status_code == 302
    donor = Donor.objects.get(name="Jan Peeters")
    assert (donor.kind, donor.vat_number, donor.address) == (DonorKind.PERSON, "", "")


def test_the_database_refuses_a_private_person_with_an_address(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Donor.objects.create(network=world.leuven, kind=DonorKind.PERSON, name="X", address="Straat 1")


def test_it_edits_a_donor(world, client_for):
    response = client_for(world.coordinator).post(
        reverse("donations:donor_edit", kwargs={"pk": world.donor.pk}),
        {"kind": "organisation", "name": "Brouwerij Proefbier BV", "vat_number": "BE 0403 170 701"},
    )
    assert response.status_code == 302
    world.donor.refresh_from_db()
    assert world.donor.name == "Brouwerij Proefbier BV"
    assert world.donor.contact_name == ""


def test_the_edit_form_shows_the_saved_name_after_an_error(world, client_for):
    response = client_for(world.desk).post(
        reverse("donations:donor_edit", kwargs={"pk": world.donor.pk}),
        {"kind": "organisation", "name": "Nieuwe naam", "vat_number": "12"},
    )
    assert response.status_code == 200
    assert "Edit Brouwerij Proefbier NV" in response.text
    world.donor.refresh_from_db()
    assert world.donor.name == "Brouwerij Proefbier NV"


def test_digipunt_staff_see_donors_but_cannot_change_them(world, client_for):
    client = client_for(world.digipunt)
    assert client.get(reverse("donations:donor_detail", kwargs={"pk": world.donor.pk})).status_code == 200
    response = client.post(reverse("donations:donor_edit", kwargs={"pk": world.donor.pk}), {"name": "Hack"})
    assert response.status_code == 403
    assert client.post(reverse("donations:donor_create"), {"kind": "person", "name": "X"}).status_code == 403


def test_roles_without_device_access_cannot_see_donors(world, client_for):
    for actor in (world.partner_a, world.volunteer, world.steering):
        assert client_for(actor).get(reverse("donations:donor_list")).status_code == 403


def test_a_donor_of_another_network_is_not_found(world, client_for):
    client = client_for(world.coordinator)
    assert (
        client.get(reverse("donations:donor_detail", kwargs={"pk": world.donor_other.pk})).status_code == 404
    )
    response = client.post(
        reverse("donations:donor_edit", kwargs={"pk": world.donor_other.pk}), {"kind": "person", "name": "X"}
    )
    assert response.status_code == 404
    world.donor_other.refresh_from_db()
    assert world.donor_other.name == "Zegers NV"


def test_anonymising_a_private_donor_needs_a_confirmation(world, client_for):
    person = donor_create(
        network=world.leuven, actor=world.desk, data={"kind": "person", "name": "Marie Claes"}
    )
    client = client_for(world.desk)
    url = reverse("donations:donor_anonymise", kwargs={"pk": person.pk})
    client.post(url, {})
    person.refresh_from_db()
    assert person.name == "Marie Claes"
    client.post(url, {"confirm": "yes"})
    person.refresh_from_db()
    assert person.name == "Private donor (anonymised)"
    assert person.anonymised_at is not None


def test_an_organisation_is_not_anonymised(world):
    with pytest.raises(ValidationError):
        donor_anonymise(donor=world.donor, actor=world.desk)
