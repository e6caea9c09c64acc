"""Work views (my work, follow-ups due today and overdue, unreferred requests) and the figures."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from digibank.catalogue.models import Service
from digibank.figures import FiguresPolicy
from digibank.networks.models import Membership
from digibank.referrals import selectors, services
from digibank.referrals.models import IntakeSettings, Referral, Request
from tests import factories as f

from .helpers import make_request, refer

WORK = reverse("referrals:work")
FIGURES = reverse("referrals:figures")


def due(referral, days):
    Referral.objects.filter(pk=referral.pk).update(
        follow_up_on=timezone.localdate() + datetime.timedelta(days=days)
    )


def aged(request, days):
    Request.objects.filter(pk=request.pk).update(created_at=timezone.now() - datetime.timedelta(days=days))


def work_of(world, actor):
    user = getattr(world, actor)
    membership = Membership.objects.get(user=user, network=world.leuven)
    return selectors.work(membership=membership, user=user)


def test_my_work_lists_what_is_assigned_to_me_and_my_follow_ups(world):
    services.request_assign(request=world.request_a, assignee=world.desk, actor=world.coordinator)
    result = work_of(world, "desk")
    assert [r.pk for r in result.assigned] == [world.request_a.pk]
    assert [r.pk for r in result.my_follow_ups] == [world.referral_a.pk]
    assert work_of(world, "coordinator").assigned == []


def test_follow_ups_due_today_and_overdue(world):
    today = refer(world, make_request(world))[0]
    late = refer(world, make_request(world))[0]
    due(today, 0)
    due(late, -3)
    result = work_of(world, "desk")
    assert [r.pk for r in result.due_today] == [today.pk]
    assert [r.pk for r in result.overdue] == [late.pk]
    # a finished referral is no longer followed up
    services.referral_transition(referral=late, to_status="cancelled", actor=world.desk, reason="Moved")
    assert work_of(world, "desk").overdue == []


def test_a_partner_follows_up_the_referrals_sent_to_their_organisation(world):
    due(world.referral_a, -1)
    result = work_of(world, "partner_c")
    assert [r.pk for r in result.my_follow_ups] == [world.referral_a.pk]
    assert [r.pk for r in result.overdue] == [world.referral_a.pk]
    assert work_of(world, "partner_b").overdue == []


def test_requests_without_a_referral_after_n_days_are_flagged(world, client_for):
    fresh = make_request(world, resident=world.resident_desk, channel="phone", actor=world.desk)
    old = make_request(world, resident=world.resident_desk, channel="phone", actor=world.desk)
    aged(fresh, 2)
    aged(old, 6)
    assert [r.pk for r in work_of(world, "desk").unreferred] == [old.pk]
    IntakeSettings.objects.update_or_create(network=world.leuven, defaults={"unreferred_alert_days": 1})
    assert [r.pk for r in work_of(world, "desk").unreferred] == [old.pk, fresh.pk]
    text = client_for(world.desk).get(WORK).content.decode()
    assert "without any referral after 1 day" in text and old.reference in text


def test_the_work_page_shows_no_resident_of_another_partner(world, client_for):
    due(world.referral_a, 0)
    assert "Amira" not in client_for(world.partner_b).get(WORK).content.decode()
    assert "Amira" in client_for(world.partner_c).get(WORK).content.decode()


# --- figures on a fixed data set -----------------------------------------------------------

TZ = zoneinfo.ZoneInfo("Europe/Brussels")
T0 = datetime.datetime(2025, 3, 3, 10, 0, tzinfo=TZ)


def day(n):
    return T0 + datetime.timedelta(days=n)


@pytest.fixture
def figures_network(db):
    """Seven requests; days to first referral and to first delivered service chosen by hand.

    phone:    P1 ref 2, delivered 10 · P2 ref 4 · P3 refs 1 and 6, delivered 20 and 8 (firsts: 1, 8)
    partner X: X1 ref 3, delivered 5 · X2 ref 5, delivered 15 · X3 no referral
    partner Y: Y1 ref 7
    """
    network = f.NetworkFactory(slug="figures-test")
    x = f.OrganisationFactory(network=network, name="Partner X")
    y = f.OrganisationFactory(network=network, name="Partner Y")
    provider = f.OrganisationFactory(network=network, name="Provider")
    service = Service.objects.create(network=network, name="Help", kind="other", organisation=provider)
    resident = f.ResidentFactory(network=network)
    cases = [
        ("P1", "phone", None, [(2, 10)]),
        ("P2", "phone", None, [(4, None)]),
        ("P3", "phone", None, [(6, 20), (1, 8)]),
        ("X1", "partner", x, [(3, 5)]),
        ("X2", "partner", x, [(5, 15)]),
        ("X3", "partner", x, []),
        ("Y1", "partner", y, [(7, None)]),
    ]
    for reference, channel, partner, referrals in cases:
        request = Request.objects.create(
            network=network,
            reference=reference,
            resident=resident,
            needs=["device"],
            channel=channel,
            referred_by=partner,
            created_at=T0,
        )
        for sent, delivered in referrals:
            Referral.objects.create(
                network=network,
                request=request,
                service=service,
                to_organisation=provider,
                status="done" if delivered else "sent",
                created_at=day(sent),
                delivered_at=day(delivered) if delivered is not None else None,
            )
    return network


def as_tuple(row):
    return (
        row.label,
        row.requests.value,
        row.referred.value,
        row.median_to_referral.value,
        row.delivered.value,
        row.median_to_delivery.value,
    )


PLAIN = FiguresPolicy(suppress=False)


def test_the_medians_are_right_on_a_fixed_data_set(figures_network):
    result = selectors.referral_figures(network=figures_network, policy=PLAIN)
    assert as_tuple(result.overall) == ("All requests", 7, 6, 3.5, 4, 9.0)
    assert [as_tuple(r) for r in result.by_channel] == [
        ("Phone", 3, 3, 2.0, 2, 9.0),
        ("Partner referral", 4, 3, 5.0, 2, 10.0),
    ]
    assert [as_tuple(r) for r in result.by_partner] == [
        ("Partner X", 3, 2, 4.0, 2, 10.0),
        ("Partner Y", 1, 1, 7.0, 0, None),
        ("Not referred by a partner", 3, 3, 2.0, 2, 9.0),
    ]


def test_small_groups_are_suppressed_for_those_without_personal_data_access(figures_network):
    result = selectors.referral_figures(network=figures_network, policy=FiguresPolicy())
    # 7 requests, 6 referred; only 4 delivered: hidden, with its median.
    assert as_tuple(result.overall) == ("All requests", 7, 6, 3.5, None, None)
    assert str(result.overall.delivered) == "< 5" and str(result.overall.median_to_delivery) == "–"
    # By partner 3 + 1 + 3: all three under 5, all hidden.
    assert all(row.requests.suppressed and row.median_to_referral.suppressed for row in result.by_partner)
    # By channel 3 + 4 requests: both hidden (and no median resting on 3 or 4 requests).
    assert [str(row.requests) for row in result.by_channel] == ["< 5", "< 5"]


def test_the_period_filter_counts_requests_received_in_it(figures_network):
    result = selectors.referral_figures(
        network=figures_network, policy=PLAIN, since=datetime.date(2025, 3, 4)
    )
    assert result.overall.requests.value == 0
    result = selectors.referral_figures(
        network=figures_network,
        policy=PLAIN,
        since=datetime.date(2025, 3, 3),
        until=datetime.date(2025, 3, 3),
    )
    assert result.overall.requests.value == 7


def test_the_steering_group_sees_the_figures_page_without_small_groups(world, client_for):
    response = client_for(world.steering).get(FIGURES)
    assert response.status_code == 200
    assert response.context["figures"].suppress_small
    assert "&lt; 5" in response.content.decode()
    assert not client_for(world.desk).get(FIGURES).context["figures"].suppress_small


def test_the_figures_page_refuses_a_period_that_ends_before_it_starts(world, client_for):
    response = client_for(world.desk).get(FIGURES, {"since": "2025-03-05", "until": "2025-03-01"})
    assert response.status_code == 200 and "until" in response.context["form"].errors
