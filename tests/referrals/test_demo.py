"""The referral demo: every status, history, follow-ups, notifications; idempotent."""

import random

import pytest
from django.utils import timezone

from digibank.demo.services import demo_load as base_demo_load
from digibank.networks.models import Network
from digibank.notifications.models import Notification
from digibank.referrals.demo import demo_load
from digibank.referrals.models import (
    REFERRAL_TRANSITIONS,
    Referral,
    ReferralEvent,
    ReferralNote,
    ReferralStatus,
    Request,
    RequestStatus,
)
from tests.sharing import module_data


def load_demo() -> Network:
    from digibank.catalogue.demo import demo_load as catalogue_demo_load

    base_demo_load()
    network = Network.objects.get(slug="leuven-demo")
    catalogue_demo_load(network=network, rng=random.Random(1), users={})
    demo_load(network=network, rng=random.Random(7), users={})
    return network


demo_data = module_data(load_demo, name="demo_data")


@pytest.fixture
def demo(demo_data, db):
    """Leuven's demo network with the catalogue's and the referrals' demo, loaded once for the module."""
    return demo_data.get()


def test_the_demo_has_referrals_in_every_status_with_a_valid_history(demo):
    statuses = set(Referral.objects.in_network(demo).values_list("status", flat=True))
    assert statuses == set(ReferralStatus.values)
    for referral in Referral.objects.in_network(demo):
        events = list(ReferralEvent.objects.filter(referral=referral).order_by("at", "pk"))
        assert events[0].from_status == "" and events[-1].to_status == referral.status
        for before, after in zip(events, events[1:], strict=False):
            assert after.to_status in REFERRAL_TRANSITIONS[before.to_status]
            assert before.at <= after.at
    request_statuses = set(Request.objects.in_network(demo).values_list("status", flat=True))
    assert {
        RequestStatus.NEW,
        RequestStatus.REFERRED,
        RequestStatus.FOLLOW_UP,
        RequestStatus.CLOSED,
    } <= request_statuses


def test_the_demo_has_follow_ups_today_and_overdue_notes_and_notifications(demo):
    today = timezone.localdate()
    active = Referral.objects.in_network(demo).active()
    assert active.filter(follow_up_on=today).exists()
    assert active.filter(follow_up_on__lt=today).exists()
    assert ReferralNote.objects.in_network(demo).values("visibility").distinct().count() >= 2
    assert Notification.objects.in_network(demo).filter(user__username="partner.ocmw").exists()


def test_running_the_demo_again_changes_nothing(demo):
    counts = (Request.objects.count(), Referral.objects.count(), ReferralEvent.objects.count())
    demo_load(network=demo, rng=random.Random(7), users={})
    assert (Request.objects.count(), Referral.objects.count(), ReferralEvent.objects.count()) == counts
