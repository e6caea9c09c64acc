"""Booking a help hour on the public site: free slots from the digipunten capability, a booking
through its service, a reference, a confirmation, and a cancellation link that frees the place."""

import datetime
import re
import uuid

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from digibank.digipunten import messages
from digibank.digipunten import selectors as digipunten_selectors
from digibank.digipunten.cancel import cancel_token_make
from digibank.digipunten.models import Appointment, Slot
from digibank.lib.sms import LocmemSmsBackend
from digibank.messaging.models import OutboundMessage
from digibank.public import services
from digibank.public.selectors import visitor


def book_url(world, digipunt):
    return reverse("public:book", kwargs={"network_slug": world.leuven.slug, "pk": digipunt.pk})


def first_slot(world, digipunt=None):
    return digipunten_selectors.open_slots(
        membership=visitor(world.leuven), digipunt=digipunt or world.open_dp
    )[0]


def booking_data(slot, **extra):
    data = {
        "form_token": str(uuid.uuid4()),
        "slot": slot.key,
        "name": "Omar Benali",
        "phone": "0470 99 88 77",
        "email": "",
    }
    data.update(extra)
    return data


def web_appointments(world):
    """The web bookings a test made (the world has one of its own)."""
    return Appointment.objects.in_network(world.leuven).filter(channel="web").exclude(pk=world.web_booking.pk)


def test_the_booking_page_lists_the_free_slots_of_the_digipunt(site, english):
    html = english.get(book_url(site, site.open_dp)).content.decode()
    slot = first_slot(site)
    assert f'value="{slot.key}"' in html
    # Another digipunt's slots are not on it.
    other = digipunten_selectors.open_slots(membership=visitor(site.leuven), digipunt=site.dp)[0]
    assert f'value="{other.key}"' not in html


def test_free_places_are_seats_not_locations_in_every_language(site):
    """French said "(2 lieux)" (locations) for two free seats: one msgid served both meanings."""
    expected = {
        "nl": ("plaats vrij", "plaatsen vrij"),
        "fr": ("place libre", "places libres"),
        "en": ("place free", "places free"),
    }
    for language, words in expected.items():
        html = Client(HTTP_ACCEPT_LANGUAGE=language).get(book_url(site, site.open_dp)).content.decode()
        assert any(word in html for word in words), language
        assert "lieu)" not in html and "lieux)" not in html


def test_booking_a_slot_takes_a_place_and_shows_a_reference_and_a_cancel_link(
    site, english, django_capture_on_commit_callbacks
):
    LocmemSmsBackend.outbox.clear()
    slot = first_slot(site)
    with django_capture_on_commit_callbacks(execute=True):
        response = english.post(book_url(site, site.open_dp), booking_data(slot, theme=str(site.theme.pk)))
    assert response.status_code == 302
    appointment = web_appointments(site).get()
    assert (appointment.name, appointment.phone, appointment.theme) == (
        "Omar Benali",
        "0470 99 88 77",
        site.theme,
    )
    assert appointment.slot.starts_at == slot.starts_at and appointment.slot.booked == 1
    assert appointment.language == "en"
    # The digipunten capability confirms by SMS (a phone number, no e-mail address).
    message = OutboundMessage.objects.get(idempotency_key=messages.message_key(appointment, "confirmation"))
    assert (message.recipient_kind, message.channel, message.status) == ("booker", "sms", "sent")
    assert LocmemSmsBackend.outbox[-1]["to"] == "0470 99 88 77"
    # The SMS carries a working cancellation link.
    link = re.search(r"https?://\S+/cancel/", LocmemSmsBackend.outbox[-1]["text"]).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    assert english.get(path).status_code == 200
    page = english.get(response["Location"]).content.decode()
    assert 'id="reference"' in page and 'id="cancel-link"' in page
    assert "A" + str(timezone.localdate().year) in page


def test_a_booking_needs_a_name_and_a_phone_number_or_email(site, english):
    slot = first_slot(site)
    response = english.post(book_url(site, site.open_dp), booking_data(slot, name="", phone=""))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_name_error"' in html and 'id="id_phone_error"' in html
    assert web_appointments(site).count() == 0
    assert f'value="{slot.key}" checked' in html


def test_a_time_that_is_not_free_any_more_is_refused_next_to_the_choice(site, english):
    slot = first_slot(site)
    services.booking_submit(
        network=site.leuven,
        token=uuid.uuid4(),
        session=slot.session,
        starts_at=slot.starts_at,
        name="Iemand anders",
        phone="0470 11 11 11",
        email="",
        language="nl",
    )
    response = english.post(book_url(site, site.open_dp), booking_data(slot))
    assert response.status_code == 200
    assert 'id="id_slot_error"' in response.content.decode()
    assert web_appointments(site).count() == 1


def test_a_slot_of_another_digipunt_cannot_be_booked_through_this_page(site, english):
    other = digipunten_selectors.open_slots(membership=visitor(site.leuven), digipunt=site.dp)[0]
    response = english.post(book_url(site, site.open_dp), booking_data(other))
    assert response.status_code == 200
    assert web_appointments(site).count() == 0


def test_a_double_click_books_one_place(site, english):
    data = booking_data(first_slot(site))
    first = english.post(book_url(site, site.open_dp), data)
    second = english.post(book_url(site, site.open_dp), data)
    assert first["Location"] == second["Location"]
    assert web_appointments(site).count() == 1


def test_the_cancellation_link_frees_the_place(site, english):
    slot = first_slot(site)
    response = english.post(book_url(site, site.open_dp), booking_data(slot))
    page = english.get(response["Location"]).content.decode()
    cancel = page.split('id="cancel-link"')[0].rsplit('href="', 1)[1].split('"')[0]
    confirm = english.get(cancel)
    assert confirm.status_code == 200 and web_appointments(site).get().status == "booked"
    done = english.post(cancel)
    assert done.status_code == 200
    appointment = web_appointments(site).get()
    assert appointment.status == "cancelled"
    assert Slot.objects.get(pk=appointment.slot_id).booked == 0
    assert "Your appointment is cancelled" in done.content.decode()
    # Cancelling twice changes nothing.
    assert english.post(cancel).status_code == 200


def test_a_forged_or_foreign_cancellation_token_is_not_found(site, english):
    slot = first_slot(site)
    english.post(book_url(site, site.open_dp), booking_data(slot))
    appointment = web_appointments(site).get()
    forged = signing.dumps({"a": appointment.pk, "n": site.leuven.pk}, salt="another-salt")
    for token in ["x", forged]:
        url = reverse("public:cancel", kwargs={"network_slug": site.leuven.slug, "token": token})
        assert english.post(url).status_code == 404
    good = cancel_token_make(appointment)
    elsewhere = reverse("public:cancel", kwargs={"network_slug": site.other.slug, "token": good})
    assert english.post(elsewhere).status_code == 404
    assert web_appointments(site).get().status == "booked"


def test_staff_appointments_cannot_be_cancelled_through_the_public_link(site, english):
    token = cancel_token_make(site.appointment)  # booked by a partner
    url = reverse("public:cancel", kwargs={"network_slug": site.leuven.slug, "token": token})
    assert english.post(url).status_code == 404


def test_an_appointment_that_started_cannot_be_cancelled_online(site, english):
    slot = first_slot(site)
    english.post(book_url(site, site.open_dp), booking_data(slot))
    appointment = web_appointments(site).get()
    url = reverse(
        "public:cancel",
        kwargs={"network_slug": site.leuven.slug, "token": cancel_token_make(appointment)},
    )
    later = slot.starts_at + datetime.timedelta(minutes=5)
    from unittest import mock

    with mock.patch("digibank.public.services.timezone.now", return_value=later):
        response = english.post(url)
    assert response.status_code == 200
    assert web_appointments(site).get().status == "booked"


def test_the_start_page_lists_only_digipunten_that_take_appointments(site, english):
    url = reverse("public:book_start", kwargs={"network_slug": site.leuven.slug})
    html = english.get(url).content.decode()
    assert "Open Huis Kessel-Lo" in html and "Zegers" not in html


@pytest.mark.parametrize("slug", ["x", "unknown-network"])
def test_an_unknown_network_is_not_found(site, english, slug):
    assert english.get(reverse("public:book_start", kwargs={"network_slug": slug})).status_code == 404
