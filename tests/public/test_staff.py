"""The team's side: texts per network and language (public.manage), the inbox of volunteer
applications and donation offers (public.inbox), and turning an offer into a donor and a batch."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from digibank.devices.models import DonationBatch, Donor
from digibank.public import services
from digibank.public.models import DonationOffer, PublicText, VolunteerApplication


def edit_url(key="welcome", language="fr"):
    return reverse("public:text_edit") + f"?key={key}&language={language}"


# --- texts ------------------------------------------------------------------------------------------


def test_the_coordinator_writes_a_text_per_language(world, client_for):
    client = client_for(world.coordinator)
    assert client.get(reverse("public:texts")).status_code == 200
    response = client.post(edit_url(), {"text": "Bienvenue à Louvain."})
    assert response.status_code == 302
    text = PublicText.objects.in_network(world.leuven).get(key="welcome", language="fr")
    assert text.text == "Bienvenue à Louvain." and text.updated_by == world.coordinator


def test_an_empty_text_goes_back_to_the_standard_text(world, client_for):
    client = client_for(world.coordinator)
    client.post(edit_url(language="nl"), {"text": ""})
    assert not PublicText.objects.in_network(world.leuven).filter(key="welcome", language="nl").exists()


def test_an_unknown_text_or_language_leads_back_to_the_list(world, client_for):
    client = client_for(world.coordinator)
    for url in [edit_url(key="x"), edit_url(language="xx"), reverse("public:text_edit")]:
        response = client.post(url, {"text": "Niets"})
        assert response.status_code == 302 and response["Location"] == reverse("public:texts")
    assert PublicText.objects.in_network(world.leuven).count() == 1  # the world's


def test_texts_belong_to_one_network(world, client_for):
    client_for(world.outsider).post(edit_url(language="nl"), {"text": "Andere stad"})
    assert (
        PublicText.objects.in_network(world.leuven).get(key="welcome", language="nl").text
        == "Welkom in Leuven."
    )


@pytest.mark.parametrize("actor", ["desk", "partner_a", "volunteer", "steering"])
def test_only_the_coordinator_edits_texts(world, client_for, actor):
    client = client_for(getattr(world, actor))
    assert client.get(reverse("public:texts")).status_code == 403
    assert client.post(edit_url(), {"text": "Hack"}).status_code == 403


# --- the inbox ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ["coordinator", "desk"])
def test_the_inbox_lists_this_networks_applications_and_offers(world, client_for, actor):
    client = client_for(getattr(world, actor))
    volunteers = client.get(reverse("public:inbox")).content.decode()
    donations = client.get(reverse("public:inbox") + "?show=donations").content.decode()
    assert "Vera Vrijwilliger" in volunteers and "Zegers" not in volunteers
    assert "Bedrijf Donatie NV" in donations and "Zegers" not in donations


@pytest.mark.parametrize("actor", ["partner_a", "digipunt", "volunteer", "steering", "provider"])
def test_other_roles_do_not_see_the_inbox(world, client_for, actor):
    client = client_for(getattr(world, actor))
    assert client.get(reverse("public:inbox")).status_code == 403
    url = reverse("public:application", kwargs={"pk": world.volunteer_application.pk})
    assert client.get(url).status_code == 403


def test_another_networks_application_is_not_found(world, client_for):
    client = client_for(world.coordinator)
    assert (
        client.get(
            reverse("public:application", kwargs={"pk": world.volunteer_application_other.pk})
        ).status_code
        == 404
    )
    assert (
        client.get(reverse("public:offer", kwargs={"pk": world.donation_offer_other.pk})).status_code == 404
    )


def test_the_inbox_filters_by_status(world, client_for):
    services.application_set_status(
        application=world.volunteer_application, status="contacted", actor=world.desk
    )
    client = client_for(world.desk)
    assert "Vera Vrijwilliger" not in client.get(reverse("public:inbox") + "?status=new").content.decode()
    assert "Vera Vrijwilliger" in client.get(reverse("public:inbox") + "?status=contacted").content.decode()


def test_the_desk_follows_up_an_application_with_a_note(world, client_for):
    url = reverse("public:application", kwargs={"pk": world.volunteer_application.pk})
    response = client_for(world.desk).post(url, {"status": "contacted", "note": "Gebeld, intake dinsdag."})
    assert response.status_code == 302
    application = VolunteerApplication.objects.get(pk=world.volunteer_application.pk)
    assert application.status == "contacted" and application.status_changed_by == world.desk
    assert "Gebeld, intake dinsdag." in application.staff_notes


def test_an_application_cannot_jump_to_a_status_the_table_forbids(world, client_for):
    services.application_set_status(
        application=world.volunteer_application, status="accepted", actor=world.desk
    )
    url = reverse("public:application", kwargs={"pk": world.volunteer_application.pk})
    response = client_for(world.desk).post(url, {"status": "declined"})
    assert response.status_code == 200
    assert VolunteerApplication.objects.get(pk=world.volunteer_application.pk).status == "accepted"


def test_an_empty_post_changes_nothing(world, client_for):
    client = client_for(world.coordinator)
    client.post(reverse("public:application", kwargs={"pk": world.volunteer_application.pk}), {})
    client.post(reverse("public:offer", kwargs={"pk": world.donation_offer.pk}), {})
    client.post(reverse("public:offer_receive", kwargs={"pk": world.donation_offer.pk}), {})
    assert VolunteerApplication.objects.get(pk=world.volunteer_application.pk).status == "new"
    assert DonationOffer.objects.get(pk=world.donation_offer.pk).status == "new"
    assert DonationOffer.objects.get(pk=world.donation_offer.pk).batch is None


def test_received_devices_become_a_donor_and_a_batch(world, client_for):
    url = reverse("public:offer_receive", kwargs={"pk": world.donation_offer.pk})
    today = timezone.localdate()
    response = client_for(world.desk).post(
        url, {"receive-received_on": today.isoformat(), "receive-expected_count": "11"}
    )
    assert response.status_code == 302
    offer = DonationOffer.objects.get(pk=world.donation_offer.pk)
    assert offer.status == "received"
    donor = Donor.objects.get(pk=offer.donor_id)
    assert (donor.kind, donor.name, donor.contact_name, donor.phone) == (
        "organisation",
        "Bedrijf Donatie NV",
        "Dirk Donateur",
        "016 12 34 56",
    )
    batch = DonationBatch.objects.get(pk=offer.batch_id)
    assert (batch.donor_id, batch.received_on, batch.expected_count) == (donor.pk, today, 11)
    assert offer.reference in batch.notes
    # Once received, it cannot be received twice.
    again = client_for(world.desk).post(url, {"receive-received_on": today.isoformat()})
    assert again.status_code == 200
    assert DonationBatch.objects.in_network(world.leuven).filter(donor=donor).count() == 1


def test_a_private_person_becomes_a_minimal_donor(world):
    offer = world.donation_offer
    DonationOffer.objects.filter(pk=offer.pk).update(donor_kind="person", organisation_name="")
    offer.refresh_from_db()
    offer = services.offer_receive(offer=offer, actor=world.desk, received_on=timezone.localdate())
    donor = Donor.objects.get(pk=offer.donor_id)
    assert (donor.kind, donor.name, donor.contact_name) == ("person", "Dirk Donateur", "")


def test_received_devices_can_go_to_an_existing_donor(world, client_for):
    url = reverse("public:offer_receive", kwargs={"pk": world.donation_offer.pk})
    client_for(world.desk).post(
        url, {"receive-received_on": timezone.localdate().isoformat(), "receive-donor": str(world.donor.pk)}
    )
    assert DonationOffer.objects.get(pk=world.donation_offer.pk).donor_id == world.donor.pk


def test_devices_cannot_be_received_in_the_future(world, client_for):
    url = reverse("public:offer_receive", kwargs={"pk": world.donation_offer.pk})
    future = timezone.localdate() + datetime.timedelta(days=2)
    response = client_for(world.desk).post(url, {"receive-received_on": future.isoformat()})
    assert response.status_code == 200 and 'id="id_receive-received_on_error"' in response.content.decode()
    assert DonationOffer.objects.get(pk=world.donation_offer.pk).status == "new"


def test_received_is_not_a_status_to_pick_by_hand(world, client_for):
    url = reverse("public:offer", kwargs={"pk": world.donation_offer.pk})
    client_for(world.desk).post(url, {"status": "received"})
    assert DonationOffer.objects.get(pk=world.donation_offer.pk).status == "new"


def test_the_inbox_costs_the_same_for_few_or_many_items(world, client_for, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.public.world import _apply, _offer

    client = client_for(world.desk)
    counts = {}
    for show in ["volunteers", "donations"]:
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("public:inbox") + f"?show={show}")
        counts[show] = len(few.captured_queries)
    for i in range(5):
        _apply(world.leuven, name=f"Vrijwilliger {i}")
        _offer(world.leuven, company=f"Firma {i}")
    for show in ["volunteers", "donations"]:
        with django_assert_num_queries(counts[show]):
            client.get(reverse("public:inbox") + f"?show={show}")
