"""Issue 10, hand-over in fewer steps: the desk's home widget, the resident's phone and e-mail on
the offer, the offer message through the outbox, and a missing address filled in on the hand-over."""

import datetime

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from digibank.audit.models import AuditAction, AuditEntry
from digibank.devices.lifecycle import DeviceStatus
from digibank.lending import home, selectors, services
from digibank.lending.models import Loan, Offer, OfferStatus, WaitingStatus
from digibank.messaging.models import MessageStatus, OutboundMessage
from digibank.networks.models import Membership
from digibank.residents.models import Resident

from ..factories import ResidentFactory
from .helpers import make_eligible, ready_device
from .world import EXCEPTION


def waiting(world, *, minutes_ago=0, kind="laptop", **resident_fields):
    resident = ResidentFactory(network=world.leuven, **resident_fields)
    make_eligible(resident)
    return services.waiting_add(
        resident=resident,
        category=world.category,
        device_kind=kind,
        actor=None,
        requested_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
    )


def widget_request(world, actor="desk"):
    request = RequestFactory().get("/")
    request.user = getattr(world, actor)
    request.membership = Membership.objects.get(user=request.user, network=world.leuven)
    return request


def reached(world):
    """The world's waiter (who has the open offer) with a phone number and an e-mail address."""
    Resident.objects.filter(pk=world.waiter.pk).update(phone="0470 12 34 56", email="amira@example.org")


# --- the home widget -----------------------------------------------------------------------


def test_the_desk_home_lists_open_offers_with_phone_email_device_expiry_and_a_hand_over_link(
    world, client_for
):
    reached(world)
    text = client_for(world.desk).get(reverse("core:home")).content.decode()
    assert 'id="home-handovers"' in text
    assert "Amira Aerts" in text and "0470 12 34 56" in text and "amira@example.org" in text
    assert world.offer.device.asset_tag in text
    assert reverse("lending:handover", kwargs={"pk": world.waiter.pk}) in text
    assert "Zegers" not in text  # the other network's offer
    # Nothing ready is left to offer: no button.
    assert reverse("lending:offers_fill") not in text


def test_the_widget_records_that_the_phone_and_e_mail_were_shown(world, client_for):
    client_for(world.coordinator).get(reverse("core:home"))
    entry = AuditEntry.objects.filter(subject_id=world.waiter.pk, action=AuditAction.VIEW).latest("pk")
    assert entry.actor == world.coordinator
    assert entry.fields == ["name", "phone", "email"]


@pytest.mark.parametrize("actor", ["volunteer", "partner_a", "digipunt", "steering"])
def test_roles_that_do_not_hand_over_do_not_get_the_widget(world, client_for, actor):
    text = client_for(getattr(world, actor)).get(reverse("core:home")).content.decode()
    assert 'id="home-handovers"' not in text
    assert reverse("lending:handover", kwargs={"pk": world.waiter.pk}) not in text


def test_a_ready_device_and_someone_waiting_without_an_offer_give_one_button_that_offers_it(
    world, client_for
):
    entry = waiting(world, minutes_ago=5)
    device = ready_device(world.leuven)
    client = client_for(world.desk)
    text = client.get(reverse("core:home")).content.decode()
    assert f'action="{reverse("lending:offers_fill")}"' in text
    assert "Offer every ready device to the next in line" in text

    response = client.post(reverse("lending:offers_fill"), {"confirm": "yes"})
    assert response.status_code == 302
    offer = Offer.objects.get(device=device)
    assert offer.entry == entry and offer.status == OfferStatus.OPEN
    text = client.get(reverse("core:home")).content.decode()
    assert reverse("lending:handover", kwargs={"pk": entry.resident_id}) in text
    assert reverse("lending:offers_fill") not in text


def test_a_ready_device_of_a_kind_nobody_waits_for_gives_no_button(world):
    ready_device(world.leuven, kind="tablet")
    queue = selectors.handover_queue(membership=widget_request(world).membership)
    assert queue.can_fill is False


def test_the_widget_is_left_out_when_nothing_waits(world):
    services.offer_decline(offer=world.offer, actor=world.desk)  # nobody else waits: ready again
    request = widget_request(world)
    assert home.home_handovers(request)["queue"].can_fill is True
    services.waiting_cancel(entry=world.entry, actor=world.desk)
    assert home.home_handovers(request) is None


def test_the_widget_runs_a_constant_number_of_queries(world, django_assert_num_queries):
    request = widget_request(world)
    with django_assert_num_queries(3):  # offers, "a ready device for someone waiting?", audit
        context = home.home_handovers(request)
    assert len(context["queue"].offers) == 1
    for minutes in range(selectors.HOME_OFFERS + 3):
        waiting(world, minutes_ago=minutes)
        ready_device(world.leuven)
    services.offers_fill(network=world.leuven, actor=None)
    ready_device(world.leuven)
    waiting(world)
    with django_assert_num_queries(4):  # + the count of the offers the widget leaves out
        context = home.home_handovers(request)
    queue = context["queue"]
    assert (len(queue.offers), queue.more, queue.can_fill) == (selectors.HOME_OFFERS, 4, True)


def test_the_home_page_queries_do_not_grow_with_the_offers(world, client_for, django_assert_max_num_queries):
    client = client_for(world.desk)
    client.get(reverse("core:home"))  # warm the session
    with django_assert_max_num_queries(60) as one:
        client.get(reverse("core:home"))
    for minutes in range(5):
        waiting(world, minutes_ago=minutes)
        ready_device(world.leuven)
    services.offers_fill(network=world.leuven, actor=None)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("core:home"))
    assert response.content.decode().count("/handover/") >= 6


# --- phone and e-mail on the offers and hand-over pages ------------------------------------


def test_the_offers_page_shows_phone_and_email_and_records_it(world, client_for):
    reached(world)
    text = client_for(world.desk).get(reverse("lending:offers")).content.decode()
    assert 'href="tel:0470 12 34 56"' in text and 'href="mailto:amira@example.org"' in text
    entry = AuditEntry.objects.filter(subject_id=world.waiter.pk).latest("pk")
    assert entry.fields == ["name", "phone", "email"]


def test_the_hand_over_page_shows_phone_and_email_and_records_it(world, client_for):
    reached(world)
    url = reverse("lending:handover", kwargs={"pk": world.waiter.pk})
    text = client_for(world.desk).get(url).content.decode()
    assert "0470 12 34 56" in text and "amira@example.org" in text
    entry = AuditEntry.objects.filter(subject_id=world.waiter.pk).latest("pk")
    assert {"phone", "email"} <= set(entry.fields)


def test_the_hand_over_page_says_when_there_is_no_way_to_reach_the_resident(world, client_for):
    url = reverse("lending:handover", kwargs={"pk": world.waiter.pk})
    text = client_for(world.desk).get(url).content.decode()
    assert "No phone number or e-mail address." in text


# --- the offer message ---------------------------------------------------------------------


def offer_message(offer):
    return OutboundMessage.objects.get(idempotency_key=f"lending.offer:{offer.pk}")


def test_an_offer_sends_an_sms_in_the_residents_language(world):
    entry = waiting(world, languages="fr, nl", preferred_channel="sms", phone="0470 99 88 77")
    offer = services.offer_make(device=ready_device(world.leuven, tag="LT-FR-1"), actor=world.desk)
    message = offer_message(offer)
    assert (message.channel, message.language, message.to) == ("sms", "fr", "0470 99 88 77")
    assert message.status == MessageStatus.QUEUED
    assert message.recipient_id == entry.resident_id
    expiry = timezone.localtime(offer.expires_at).date().strftime("%d/%m/%Y")
    assert expiry in message.payload["body"]


def test_an_offer_sends_an_e_mail_with_the_device_and_the_date(world):
    waiting(world, languages="en", preferred_channel="email", email="jo@example.org", first_name="Jo")
    offer = services.offer_make(device=ready_device(world.leuven, tag="LT-EN-1"), actor=world.desk)
    message = offer_message(offer)
    assert (message.channel, message.language, message.to) == ("email", "en", "jo@example.org")
    assert "waiting for you" in message.payload["subject"]
    assert "Dear Jo," in message.payload["body"] and "LT-EN-1" in message.payload["body"]


def test_an_offer_by_letter_waits_to_be_printed(world):
    waiting(world, preferred_channel="letter", street="Naamsestraat 1", postcode="3000", city="Leuven")
    offer = services.offer_make(device=ready_device(world.leuven, tag="LT-NL-1"), actor=world.desk)
    message = offer_message(offer)
    assert (message.channel, message.language) == ("letter", "nl")
    assert "LT-NL-1" in message.payload["html"] and "Naamsestraat 1" in message.payload["html"]


def test_do_not_contact_gets_no_offer_message(world):
    waiting(world, do_not_contact=True, preferred_channel="sms", phone="0470 11 22 33")
    offer = services.offer_make(device=ready_device(world.leuven), actor=world.desk)
    message = offer_message(offer)
    assert message.status == MessageStatus.SKIPPED and message.payload == {}


def test_each_offer_gets_exactly_one_message_and_a_declined_one_tells_the_next(world):
    first = waiting(world, minutes_ago=10, preferred_channel="sms", phone="0470 00 00 01")
    second = waiting(world, minutes_ago=5, preferred_channel="sms", phone="0470 00 00 02")
    offer = services.offer_make(device=ready_device(world.leuven), actor=world.desk)
    assert offer.entry == first
    services.offer_message_queue(offer)  # a retry queues nothing more
    assert OutboundMessage.objects.filter(idempotency_key=f"lending.offer:{offer.pk}").count() == 1
    next_offer = services.offer_decline(offer=offer, actor=world.desk)
    assert next_offer.entry == second
    assert offer_message(next_offer).to == "0470 00 00 02"
    assert (
        OutboundMessage.objects.filter(
            idempotency_key__startswith="lending.offer:",
            recipient_id__in=[first.resident_id, second.resident_id],
        ).count()
        == 2
    )


def test_the_message_is_part_of_the_offer_so_a_refused_offer_sends_nothing(world):
    waiting(world, preferred_channel="sms", phone="0470 11 22 33")
    device = ready_device(world.leuven)
    device.status = DeviceStatus.RESERVED
    device.save(update_fields=["status"])
    before = OutboundMessage.objects.count()
    with pytest.raises(services.LendingError):
        services.offer_make(device=device, actor=world.desk)
    assert OutboundMessage.objects.count() == before


# --- a missing address, filled in on the hand-over form ------------------------------------


def handover_data(offer, **extra):
    return {
        "kind": "loan",
        "asset_tag": offer.device.asset_tag,
        "started_on": timezone.localdate().isoformat(),
        "deposit": "0",
        "condition": "b",
        **extra,
    }


@pytest.fixture
def offered(world):
    """The world's waiter may borrow; they have no address (the factory leaves the street empty)."""
    make_eligible(world.waiter)
    assert not world.waiter.street
    return world.offer


def test_the_address_fields_are_shown_only_when_the_resident_has_no_address(world, client_for, offered):
    client = client_for(world.desk)
    url = reverse("lending:handover", kwargs={"pk": world.waiter.pk})
    text = client.get(url).content.decode()
    assert 'name="street"' in text and 'name="postcode"' in text and 'name="city"' in text
    Resident.objects.filter(pk=world.waiter.pk).update(street="Bondgenotenlaan 1", city="Leuven")
    text = client.get(url).content.decode()
    assert 'name="street"' not in text and 'name="city"' not in text


def test_the_address_is_saved_with_the_loan(world, client_for, offered):
    url = reverse("lending:handover", kwargs={"pk": world.waiter.pk})
    data = handover_data(offered, street="Diestsestraat 12", postcode="3 000", city="Leuven")
    response = client_for(world.desk).post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    loan = Loan.objects.get(device=offered.device)
    assert response.status_code == 302 and response.url == reverse("lending:loan", kwargs={"pk": loan.pk})
    resident = Resident.objects.get(pk=world.waiter.pk)
    assert (resident.street, resident.postcode, resident.city) == ("Diestsestraat 12", "3000", "Leuven")
    assert resident.district == world.district  # kept, though 3000 is not Heverlee's postcode
    update = AuditEntry.objects.get(subject_id=resident.pk, action=AuditAction.UPDATE)
    assert update.actor == world.desk and set(update.fields) == {"street", "city"}  # postcode was 3000
    assert Offer.objects.get(pk=offered.pk).status == OfferStatus.ACCEPTED


def test_the_hand_over_goes_ahead_without_an_address_when_left_empty(world, client_for, offered):
    url = reverse("lending:handover", kwargs={"pk": world.waiter.pk})
    response = client_for(world.desk).post(url, handover_data(offered, street="", postcode="", city=""))
    assert response.status_code == 302
    assert Loan.objects.filter(device=offered.device).exists()
    assert Resident.objects.get(pk=world.waiter.pk).street == ""
    assert not AuditEntry.objects.filter(subject_id=world.waiter.pk, action=AuditAction.UPDATE).exists()


def test_what_is_known_of_the_address_is_filled_in_and_left_as_is_the_hand_over_goes_ahead(
    world, client_for, offered
):
    url = reverse("lending:handover", kwargs={"pk": world.waiter.pk})
    client = client_for(world.desk)
    form = client.get(url).context["form"]
    assert form["postcode"].value() == "3000" and form["street"].value() == ""
    response = client.post(url, handover_data(offered, street="", postcode="3000", city=""))
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(subject_id=world.waiter.pk, action=AuditAction.UPDATE).exists()


def test_a_street_without_a_municipality_only_needs_the_municipality(world, client_for, offered):
    Resident.objects.filter(pk=world.waiter.pk).update(street="Diestsestraat 12")
    url = reverse("lending:handover", kwargs={"pk": world.waiter.pk})
    client = client_for(world.desk)
    assert client.get(url).context["form"]["street"].value() == "Diestsestraat 12"
    data = handover_data(offered, street="Diestsestraat 12", postcode="3000", city="Leuven")
    assert client.post(url, data).status_code == 302
    update = AuditEntry.objects.get(subject_id=world.waiter.pk, action=AuditAction.UPDATE)
    assert update.fields == ["city"]


@pytest.mark.parametrize(
    ("address", "field", "message"),
    [
        ({"street": "Diestsestraat 12", "postcode": "12", "city": "Leuven"}, "postcode", "four digits"),
        ({"street": "Diestsestraat 12", "postcode": "3000", "city": ""}, "city", "whole address"),
        ({"street": "", "postcode": "3000", "city": "Leuven"}, "street", "whole address"),
        ({"street": "x" * 201, "postcode": "3000", "city": "Leuven"}, "street", "at most 200"),
    ],
)
def test_an_invalid_address_re_renders_the_form_and_saves_nothing(
    world, client_for, offered, address, field, message
):
    url = reverse("lending:handover", kwargs={"pk": world.waiter.pk})
    response = client_for(world.desk).post(url, handover_data(offered, **address))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert not Loan.objects.filter(device=offered.device).exists()
    resident = Resident.objects.get(pk=world.waiter.pk)
    assert (resident.street, resident.city) == ("", "")
    assert Offer.objects.get(pk=offered.pk).status == OfferStatus.OPEN


def test_a_refused_loan_does_not_save_the_address_either(world, client_for, offered):
    other_device = ready_device(world.leuven)
    # The device was just handed to someone else: the service refuses, after the address was saved.
    services.loan_create(
        resident=ResidentFactory(network=world.leuven), device=other_device, actor=None, **EXCEPTION
    )
    url = reverse("lending:handover", kwargs={"pk": world.waiter.pk})
    data = handover_data(offered, street="Diestsestraat 12", postcode="3000", city="Leuven")
    data["asset_tag"] = other_device.asset_tag
    response = client_for(world.desk).post(url, data)
    assert response.status_code == 200
    assert "asset_tag" in response.context["form"].errors
    assert Resident.objects.get(pk=world.waiter.pk).street == ""
    assert not AuditEntry.objects.filter(subject_id=world.waiter.pk, action=AuditAction.UPDATE).exists()


def test_the_service_rolls_the_address_back_when_the_loan_is_refused(world, offered):
    resident = world.waiter
    taken = ready_device(world.leuven)
    taken.status = DeviceStatus.ON_LOAN
    taken.save(update_fields=["status"])
    with pytest.raises(services.LendingError):
        services.loan_create(
            resident=resident,
            device=taken,
            actor=world.desk,
            address={"street": "Diestsestraat 12", "postcode": "3000", "city": "Leuven"},
        )
    assert Resident.objects.get(pk=resident.pk).street == ""


def test_a_waiting_entry_of_the_resident_is_fulfilled_with_the_address_hand_over(world, client_for, offered):
    url = reverse("lending:handover", kwargs={"pk": world.waiter.pk})
    client_for(world.desk).post(
        url, handover_data(offered, street="Diestsestraat 12", postcode="3000", city="Leuven")
    )
    world.entry.refresh_from_db()
    assert world.entry.status == WaitingStatus.FULFILLED
