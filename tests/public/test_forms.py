"""The three public forms: stored before any e-mail, errors next to the field, one record per
submitted form, honeypot and rate limit."""

import logging
import uuid
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from digibank.messaging.models import OutboundMessage
from digibank.notifications.models import Notification
from digibank.public import ratelimit
from digibank.public.models import DonationOffer, FormSubmission, RateCounter, VolunteerApplication
from digibank.referrals.models import Request
from digibank.residents.models import Resident


def help_data(**extra):
    data = {
        "form_token": str(uuid.uuid4()),
        "needs": ["device", "task_help"],
        "description": "Mijn laptop is kapot.",
        "first_name": "Fatima",
        "last_name": "El Amrani",
        "birth_year": "1961",
        "postcode": "3001",
        "phone": "0470 12 34 56",
        "email": "fatima@example.org",
        "language": "ar",
        "consent": "on",
    }
    data.update(extra)
    return data


def volunteer_data(**extra):
    data = {
        "form_token": str(uuid.uuid4()),
        "roles": ["digibuddy", "pc_doctor"],
        "name": "Pieter Peeters",
        "phone": "",
        "email": "pieter@example.org",
        "languages": ["nl", "en"],
        "availability": ["weekend"],
        "motivation": "Ik ben gepensioneerd informaticus.",
        "consent": "on",
    }
    data.update(extra)
    return data


def donation_data(**extra):
    data = {
        "form_token": str(uuid.uuid4()),
        "donor_kind": "organisation",
        "organisation_name": "KBC Leuven",
        "name": "Sofie Smets",
        "phone": "016 11 22 33",
        "email": "",
        "device_count": "25",
        "device_kinds": ["laptop", "screen"],
        "handover": "pickup",
        "postcode": "3000",
        "consent": "on",
    }
    data.update(extra)
    return data


def url(name, world):
    return reverse(f"public:{name}", kwargs={"network_slug": world.leuven.slug})


def web_requests(world):
    return Request.objects.in_network(world.leuven).filter(channel="web")


# --- I need help -----------------------------------------------------------------------------


def test_a_help_request_becomes_a_new_request_in_the_triage_queue(site, english):
    response = english.post(url("help", site), help_data())
    assert response.status_code == 302
    request = web_requests(site).get()
    assert request.status == "new" and request.needs == ["device", "task_help"]
    assert request.consent_to_share and request.created_by is None
    resident = request.resident
    assert (resident.first_name, resident.last_name, resident.birth_year) == ("Fatima", "El Amrani", 1961)
    assert resident.legal_basis == "consent" and resident.consent_date is not None
    assert resident.district == site.district  # 3001 is Heverlee in the world
    assert resident.languages == "ar"
    page = english.get(response["Location"])
    assert request.reference in page.content.decode()


def test_a_help_request_with_an_error_is_shown_again_and_stores_nothing(site, english):
    residents = Resident.objects.count()
    response = english.post(url("help", site), help_data(postcode="30", phone="", email=""))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_postcode_error"' in html and 'id="id_phone_error"' in html
    assert 'aria-invalid="true"' in html
    assert "Please check these answers" in html
    assert web_requests(site).count() == 0 and Resident.objects.count() == residents
    # What was typed is still there.
    assert 'value="El Amrani"' in html


def test_a_likely_duplicate_is_registered_anyway_for_triage_to_merge(site, english):
    first = english.post(url("help", site), help_data())
    second = english.post(url("help", site), help_data())  # a new form: a new token
    assert first.status_code == second.status_code == 302
    assert web_requests(site).count() == 2


def test_a_double_click_creates_one_request_and_shows_the_same_thank_you_page(site, english):
    data = help_data()
    first = english.post(url("help", site), data)
    second = english.post(url("help", site), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert web_requests(site).count() == 1
    assert FormSubmission.objects.in_network(site.leuven).filter(kind="help").count() == 1


def test_the_visitor_gets_an_email_after_the_request_is_stored(
    site, english, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        english.post(url("help", site), help_data())
    request = web_requests(site).get()
    assert len(mail.outbox) == 1
    assert request.reference in mail.outbox[0].subject and mail.outbox[0].to == ["fatima@example.org"]


def test_a_mail_server_failure_is_logged_and_the_request_stays_with_its_mail_queued_for_a_retry(
    site, english, caplog, django_capture_on_commit_callbacks
):
    with (
        mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("mail server down")),
        caplog.at_level(logging.ERROR),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = english.post(url("help", site), help_data())
    assert response.status_code == 302
    request = web_requests(site).get()
    assert "could not be sent" in caplog.text
    message = OutboundMessage.objects.get(recipient_kind="resident", recipient_id=request.resident_id)
    assert message.status == "queued" and "mail server down" in message.error and message.send_after


def test_the_email_is_sent_only_after_commit(site, english, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        english.post(url("help", site), help_data())
    assert mail.outbox == [] and callbacks  # nothing went out inside the transaction


# --- I want to volunteer -----------------------------------------------------------------------


def test_a_volunteer_application_lands_in_the_inbox_with_a_reference(site, english):
    before = Notification.objects.filter(user=site.desk).count()
    response = english.post(url("volunteer", site), volunteer_data(districts=[str(site.district.pk)]))
    assert response.status_code == 302
    application = (
        VolunteerApplication.objects.in_network(site.leuven).exclude(pk=site.volunteer_application.pk).get()
    )
    assert application.roles == ["digibuddy", "pc_doctor"]
    assert application.district_ids == [site.district.pk]
    assert application.reference.startswith("V") and application.status == "new"
    assert Notification.objects.filter(user=site.desk).count() == before + 1
    assert "Pieter" not in Notification.objects.filter(user=site.desk).latest("pk").text
    page = english.get(response["Location"])
    assert application.reference in page.content.decode()


def test_a_volunteer_must_choose_a_role_and_give_a_way_to_reach_them(site, english):
    response = english.post(url("volunteer", site), volunteer_data(roles=[], email=""))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_roles_error"' in html and 'id="id_phone_error"' in html
    assert VolunteerApplication.objects.in_network(site.leuven).count() == 1  # the world's


# --- I want to donate devices --------------------------------------------------------------------


def test_a_donation_offer_lands_in_the_inbox(site, english):
    response = english.post(url("donate", site), donation_data())
    assert response.status_code == 302
    offer = DonationOffer.objects.in_network(site.leuven).exclude(pk=site.donation_offer.pk).get()
    assert (offer.organisation_name, offer.device_count, offer.handover) == ("KBC Leuven", 25, "pickup")
    assert offer.device_kinds == ["laptop", "screen"]


def test_a_company_must_give_its_name_and_a_pickup_a_postcode(site, english):
    response = english.post(url("donate", site), donation_data(organisation_name="", postcode=""))
    html = response.content.decode()
    assert 'id="id_organisation_name_error"' in html and 'id="id_postcode_error"' in html
    assert DonationOffer.objects.in_network(site.leuven).count() == 1


def test_a_private_person_gives_no_organisation_name(site, english):
    english.post(url("donate", site), donation_data(donor_kind="person", organisation_name="Mijn firma"))
    offer = DonationOffer.objects.in_network(site.leuven).exclude(pk=site.donation_offer.pk).get()
    assert offer.organisation_name == ""


# --- abuse ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [("help", help_data), ("volunteer", volunteer_data), ("donate", donation_data)],
)
def test_a_robot_that_fills_the_honeypot_gets_thanks_and_nothing_is_stored(site, english, name, data):
    counts = (web_requests(site).count(), VolunteerApplication.objects.count(), DonationOffer.objects.count())
    response = english.post(url(name, site), data(homepage="http://spam.example"))
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    assert (
        web_requests(site).count(),
        VolunteerApplication.objects.count(),
        DonationOffer.objects.count(),
    ) == counts


def test_the_honeypot_is_hidden_from_people(site, english):
    html = english.get(url("help", site)).content.decode()
    assert '<div class="hp">' in html and 'name="homepage"' in html


def test_the_21st_submission_in_a_minute_from_one_address_is_refused_politely(site, english):
    with mock.patch.object(ratelimit, "_now", return_value=ratelimit.timezone.now().replace(second=5)):
        statuses = [english.post(url("volunteer", site), volunteer_data()).status_code for _ in range(21)]
    assert statuses[:20] == [302] * 20
    assert statuses[20] == 429
    assert VolunteerApplication.objects.in_network(site.leuven).count() == 1 + 20


def test_the_refusal_page_is_friendly_and_says_when_to_try_again(site, english):
    with mock.patch.object(ratelimit, "LIMIT_PER_MINUTE", 0):
        response = english.post(url("help", site), help_data())
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "Wait one minute" in response.content.decode()
    assert web_requests(site).count() == 0


def test_another_address_is_not_held_back(site):
    with mock.patch.object(ratelimit, "LIMIT_PER_MINUTE", 1):
        first = Client(REMOTE_ADDR="10.0.0.1").post(url("volunteer", site), volunteer_data())
        second = Client(REMOTE_ADDR="10.0.0.1").post(url("volunteer", site), volunteer_data())
        other = Client(REMOTE_ADDR="10.0.0.2").post(url("volunteer", site), volunteer_data())
    assert (first.status_code, second.status_code, other.status_code) == (302, 429, 302)


def test_a_new_minute_starts_a_new_count(site, english):
    start = ratelimit.timezone.now().replace(second=30, microsecond=0)
    with mock.patch.object(ratelimit, "LIMIT_PER_MINUTE", 1):
        with mock.patch.object(ratelimit, "_now", return_value=start):
            english.post(url("volunteer", site), volunteer_data())
        with mock.patch.object(
            ratelimit, "_now", return_value=start + ratelimit.datetime.timedelta(minutes=1)
        ):
            response = english.post(url("volunteer", site), volunteer_data())
    assert response.status_code == 302


def test_the_address_is_stored_only_as_a_keyed_hash(site):
    Client(REMOTE_ADDR="192.0.2.44").post(url("volunteer", site), volunteer_data())
    counter = RateCounter.objects.in_network(site.leuven).get()
    assert "192.0.2.44" not in counter.ip_hash and len(counter.ip_hash) == 64


def test_the_thank_you_page_of_another_network_is_not_found(site, english):
    response = english.post(url("volunteer", site), volunteer_data())
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    other = reverse("public:thanks", kwargs={"network_slug": site.other.slug, "token": token})
    assert english.get(other).status_code == 404
