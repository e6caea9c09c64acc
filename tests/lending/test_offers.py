"""Offers: a ready device reserved for the next in line, declined, expired and moved on."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from digibank.devices.lifecycle import DeviceStatus
from digibank.devices.services import device_transition
from digibank.lending import services
from digibank.lending.models import Offer, OfferStatus, WaitingStatus
from digibank.lending.services import LendingError
from digibank.lending.tasks import expire_offers

from ..factories import ResidentFactory
from .helpers import make_eligible, ready_device


def waiting(world, *, minutes_ago=0, kind="laptop"):
    resident = ResidentFactory(network=world.leuven)
    make_eligible(resident)
    return services.waiting_add(
        resident=resident,
        category=world.category,
        device_kind=kind,
        actor=None,
        requested_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
    )


def reload(obj):
    obj.refresh_from_db()
    return obj


def test_offering_a_ready_device_reserves_it_for_the_next_in_line_for_the_offer_period(world):
    first = waiting(world, minutes_ago=60)
    waiting(world, minutes_ago=1)
    device = ready_device(world.leuven)
    before = timezone.now()
    offer = services.offer_make(device=device, actor=world.desk)
    assert offer.entry == first
    assert reload(first).status == WaitingStatus.OFFERED
    assert reload(device).status == DeviceStatus.RESERVED
    assert (
        before + datetime.timedelta(days=7) <= offer.expires_at <= timezone.now() + datetime.timedelta(days=7)
    )
    assert device.events.last().to_status == DeviceStatus.RESERVED


def test_nobody_waiting_leaves_the_device_ready(world):
    device = ready_device(world.leuven, kind="tablet")
    assert services.offer_make(device=device, actor=None) is None
    assert reload(device).status == DeviceStatus.READY


def test_a_device_that_is_not_ready_cannot_be_offered(world):
    waiting(world)
    device = ready_device(world.leuven)
    device_transition(device=device, to_status=DeviceStatus.IN_REPAIR, actor=None, reason="")
    with pytest.raises(LendingError, match="Only a ready device"):
        services.offer_make(device=device, actor=None)
    assert not Offer.objects.filter(device=device).exists()


def test_a_declined_offer_goes_to_the_next_in_line_and_the_resident_keeps_their_place(world):
    second = waiting(world, minutes_ago=1)
    new_offer = services.offer_decline(offer=world.offer, actor=world.desk)
    assert reload(world.offer).status == OfferStatus.DECLINED
    assert reload(world.entry).status == WaitingStatus.WAITING
    assert new_offer.entry == second and new_offer.device == world.offer.device
    assert reload(world.offer.device).status == DeviceStatus.RESERVED


def test_a_declined_offer_with_nobody_else_waiting_makes_the_device_ready_again(world):
    assert services.offer_decline(offer=world.offer, actor=world.desk) is None
    assert reload(world.offer.device).status == DeviceStatus.READY
    with pytest.raises(LendingError):
        services.offer_decline(offer=world.offer, actor=world.desk)


def test_an_expired_offer_moves_on_to_the_next_person_automatically(world):
    second = waiting(world, minutes_ago=1)
    Offer.objects.filter(pk=world.offer.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    result = expire_offers.enqueue().return_value
    assert result == {"expired": 1, "offered_again": 1}
    assert reload(world.offer).status == OfferStatus.EXPIRED
    assert reload(world.entry).status == WaitingStatus.WAITING
    moved = Offer.objects.get(device=world.offer.device, status=OfferStatus.OPEN)
    assert moved.entry == second
    assert reload(world.offer.device).status == DeviceStatus.RESERVED


def test_expiring_offers_is_idempotent(world):
    Offer.objects.filter(pk=world.offer.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert services.offers_expire_due() == {"expired": 1, "offered_again": 0}
    assert services.offers_expire_due() == {"expired": 0, "offered_again": 0}
    assert services.offer_expire(offer_id=world.offer.pk) == (False, None)
    assert reload(world.offer.device).status == DeviceStatus.READY
    assert Offer.objects.filter(device=world.offer.device).count() == 1


def test_an_offer_not_yet_expired_is_left_alone(world):
    assert services.offers_expire_due() == {"expired": 0, "offered_again": 0}
    assert reload(world.offer).status == OfferStatus.OPEN


def test_the_device_is_not_offered_again_to_whoever_let_it_expire(world):
    Offer.objects.filter(pk=world.offer.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    services.offers_expire_due()
    # Only the same resident is waiting: the device stays ready instead of bouncing back to them.
    assert services.offer_make(device=world.offer.device, actor=None) is None
    other_device = ready_device(world.leuven)
    assert services.offer_make(device=other_device, actor=None).entry == world.entry


def test_offering_every_ready_device_pairs_devices_with_the_queue(world):
    a, b = waiting(world, minutes_ago=30), waiting(world, minutes_ago=20)
    tablet = waiting(world, minutes_ago=10, kind="tablet")
    ready_device(world.leuven), ready_device(world.leuven), ready_device(world.leuven)
    ready_device(world.leuven, kind="tablet")
    made = services.offers_fill(network=world.leuven, actor=world.desk)
    assert {o.entry for o in made} == {a, b, tablet}
    assert sum(1 for o in made if o.device.kind == "laptop") == 2


# --- pages ---------------------------------------------------------------------------------


def test_the_offers_page_lists_open_offers_with_their_expiry(world, client_for):
    response = client_for(world.desk).get(reverse("lending:offers"))
    text = response.content.decode()
    assert response.status_code == 200
    assert world.waiter.full_name in text and world.offer.device.asset_tag in text
    assert "Zegers" not in text


def test_offering_a_device_by_its_tag_from_the_page(world, client_for):
    entry = waiting(world)
    device = ready_device(world.leuven)
    response = client_for(world.desk).post(reverse("lending:offer_device"), {"asset_tag": device.asset_tag})
    assert response.status_code == 302
    assert Offer.objects.get(device=device).entry == entry


def test_a_tag_of_another_network_is_not_offered(world, client_for):
    device = ready_device(world.other)
    client_for(world.desk).post(reverse("lending:offer_device"), {"asset_tag": device.asset_tag})
    assert not Offer.objects.filter(device=device).exists()


def test_declining_from_the_page_needs_the_confirmation(world, client_for):
    client = client_for(world.desk)
    url = reverse("lending:offer_decline", kwargs={"pk": world.offer.pk})
    client.post(url, {})
    assert reload(world.offer).status == OfferStatus.OPEN
    client.post(url, {"confirm": "yes"})
    assert reload(world.offer).status == OfferStatus.DECLINED


def test_an_offer_of_another_network_is_not_found(world, client_for):
    response = client_for(world.desk).post(
        reverse("lending:offer_decline", kwargs={"pk": world.offer_other.pk}), {"confirm": "yes"}
    )
    assert response.status_code == 404
    assert reload(world.offer_other).status == OfferStatus.OPEN


def test_filling_offers_from_the_page(world, client_for):
    entry = waiting(world)
    ready_device(world.leuven)
    client_for(world.desk).post(reverse("lending:offers_fill"), {"confirm": "yes"})
    assert reload(entry).status == WaitingStatus.OFFERED
