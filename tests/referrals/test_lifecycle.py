"""The referral lifecycle: the one table, the one function, the history, and how the request follows."""

import itertools

import pytest
from django.urls import reverse

from digibank.referrals import services
from digibank.referrals.models import REFERRAL_TRANSITIONS, Referral, ReferralEvent, ReferralStatus
from digibank.residents.models import TimelineEntry

from .helpers import make_request, make_service, move, refer

# How to reach each status from "sent" (as the desk).
PATHS = {
    "sent": [],
    "accepted": ["accepted"],
    "in_progress": ["accepted", "in_progress"],
    "done": ["accepted", "in_progress", "done"],
    "declined": ["declined"],
    "no_show": ["accepted", "no_show"],
    "not_reached": ["not_reached"],
    "cancelled": ["cancelled"],
}
ALLOWED = [(f, t) for f, targets in REFERRAL_TRANSITIONS.items() for t in sorted(targets)]
FORBIDDEN = [
    (f, t)
    for f, t in itertools.product(ReferralStatus.values, ReferralStatus.values)
    if t not in REFERRAL_TRANSITIONS[f]
]


def referral_in(world, status):
    return move(world.referral_a, *PATHS[status], actor=world.desk)


def test_the_table_covers_every_status_and_done_declined_cancelled_are_final():
    assert set(REFERRAL_TRANSITIONS) == set(ReferralStatus.values)
    for final in ("done", "declined", "cancelled"):
        assert REFERRAL_TRANSITIONS[final] == frozenset()


@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED, ids=[f"{f}->{t}" for f, t in ALLOWED])
def test_every_allowed_transition_is_recorded_with_who_when_from_to_and_why(world, from_status, to_status):
    referral = referral_in(world, from_status)
    before = ReferralEvent.objects.filter(referral=referral).count()
    services.referral_transition(referral=referral, to_status=to_status, actor=world.desk, reason="a reason")
    referral.refresh_from_db()
    assert referral.status == to_status
    event = ReferralEvent.objects.filter(referral=referral).latest("pk")
    assert ReferralEvent.objects.filter(referral=referral).count() == before + 1
    assert (event.from_status, event.to_status, event.actor, event.reason) == (
        from_status,
        to_status,
        world.desk,
        "a reason",
    )
    assert event.at is not None


@pytest.mark.parametrize(("from_status", "to_status"), FORBIDDEN, ids=[f"{f}->{t}" for f, t in FORBIDDEN])
def test_every_forbidden_transition_is_refused_with_a_clear_message_and_changes_nothing(
    world, from_status, to_status
):
    referral = referral_in(world, from_status)
    events = ReferralEvent.objects.filter(referral=referral).count()
    with pytest.raises(services.ReferralRefused) as caught:
        services.referral_transition(referral=referral, to_status=to_status, actor=world.desk, reason="x")
    message = " ".join(caught.value.messages)
    assert str(ReferralStatus(from_status).label) in message
    referral.refresh_from_db()
    assert referral.status == from_status
    assert ReferralEvent.objects.filter(referral=referral).count() == events


def test_declining_needs_a_reason(world):
    with pytest.raises(services.ReferralRefused) as caught:
        services.referral_transition(referral=world.referral_a, to_status="declined", actor=world.partner_c)
    assert "reason" in caught.value.message_dict
    world.referral_a.refresh_from_db()
    assert world.referral_a.status == "sent"
    assert not ReferralEvent.objects.filter(referral=world.referral_a, to_status="declined").exists()


def test_done_records_when_the_service_was_delivered_and_closes_the_request(world):
    referral = move(world.referral_a, "accepted", "in_progress", "done", actor=world.partner_c)
    referral.refresh_from_db()
    world.request_a.refresh_from_db()
    assert referral.delivered_at is not None
    assert world.request_a.status == "closed" and world.request_a.closed_at is not None


def test_a_request_stays_referred_while_any_referral_is_open(world):
    world.request_a.refresh_from_db()
    assert world.request_a.status == "referred"
    [second] = refer(world, world.request_a, make_service(world, "Second service", requires_consent=False))
    move(world.referral_a, "accepted", "in_progress", "done", actor=world.desk)
    world.request_a.refresh_from_db()
    assert world.request_a.status == "referred"
    move(second, "declined", actor=world.desk)
    world.request_a.refresh_from_db()
    assert world.request_a.status == "follow_up"  # one need met, one hand-over failed: never silently closed


@pytest.mark.parametrize("path", [["accepted", "no_show"], ["not_reached"], ["declined"], ["cancelled"]])
def test_a_failed_hand_over_keeps_the_request_open_for_follow_up(world, path):
    move(world.referral_a, *path, actor=world.desk)
    world.request_a.refresh_from_db()
    assert world.request_a.status == "follow_up"
    assert world.request_a.closed_at is None


def test_sending_again_after_a_no_show_makes_the_request_referred_with_a_new_follow_up(world):
    referral = move(world.referral_a, "accepted", "no_show", "sent", actor=world.desk)
    referral.refresh_from_db()
    world.request_a.refresh_from_db()
    assert world.request_a.status == "referred"
    assert referral.follow_up_on is not None and referral.outcome_reason == ""


def test_the_receiving_organisation_moves_its_referral_but_the_referring_one_cannot(world):
    move(world.referral_a, "accepted", actor=world.partner_c)
    with pytest.raises(services.ReferralRefused, match="receiving organisation or the service desk"):
        services.referral_transition(
            referral=world.referral_a, to_status="in_progress", actor=world.partner_a
        )


def test_only_the_desk_cancels_or_sends_again(world):
    with pytest.raises(services.ReferralRefused, match="Only the service desk"):
        services.referral_transition(
            referral=world.referral_a, to_status="cancelled", actor=world.partner_c, reason="no"
        )
    services.referral_transition(
        referral=world.referral_a, to_status="cancelled", actor=world.desk, reason="no"
    )


def test_roles_without_referral_update_cannot_change_a_status(world):
    with pytest.raises(services.ReferralRefused, match="may not change"):
        services.referral_transition(referral=world.referral_a, to_status="accepted", actor=world.digipunt)


def test_every_change_is_on_the_residents_timeline(world):
    move(world.referral_a, "accepted", actor=world.partner_c)
    assert TimelineEntry.objects.filter(resident=world.resident_a, kind="referral_changed").exists()


# --- through the pages ----------------------------------------------------------------------


def status_url(referral):
    return reverse("referrals:referral_status", kwargs={"pk": referral.pk})


def test_the_receiver_accepts_on_the_referral_page(world, client_for):
    response = client_for(world.partner_c).post(
        status_url(world.referral_a), {"status-to_status": "accepted"}
    )
    assert response.status_code == 302
    world.referral_a.refresh_from_db()
    assert world.referral_a.status == "accepted"


def test_a_forbidden_transition_on_the_page_says_why_and_changes_nothing(world, client_for):
    response = client_for(world.partner_c).post(
        status_url(world.referral_a), {"status-to_status": "done"}, follow=True
    )
    text = response.content.decode()
    assert "The status was not changed" in text and "cannot become" in text
    world.referral_a.refresh_from_db()
    assert world.referral_a.status == "sent"


def test_declining_without_a_reason_on_the_page_changes_nothing(world, client_for):
    response = client_for(world.partner_c).post(
        status_url(world.referral_a), {"status-to_status": "declined"}, follow=True
    )
    assert "Say why" in response.content.decode()
    world.referral_a.refresh_from_db()
    assert world.referral_a.status == "sent"


def test_the_referral_page_offers_only_the_moves_this_user_may_make(world, client_for):
    form = (
        client_for(world.partner_c)
        .get(reverse("referrals:referral_detail", kwargs={"pk": world.referral_a.pk}))
        .context["transition_form"]
    )
    assert [value for value, _label in form.fields["to_status"].choices] == [
        "accepted",
        "declined",
        "not_reached",
    ]
    response = client_for(world.partner_a).get(
        reverse("referrals:referral_detail", kwargs={"pk": world.referral_a.pk})
    )
    assert response.context["transition_form"] is None


def test_the_history_shows_on_the_referral_page(world, client_for):
    move(world.referral_a, "declined", actor=world.partner_c, reason="Course is full")
    text = (
        client_for(world.partner_a)
        .get(reverse("referrals:referral_detail", kwargs={"pk": world.referral_a.pk}))
        .content.decode()
    )
    assert "Sent → Declined: Course is full" in text


# --- closing ------------------------------------------------------------------------------


def test_the_desk_cannot_close_a_request_with_an_open_referral(world, client_for):
    url = reverse("referrals:close", kwargs={"pk": world.request_a.pk})
    response = client_for(world.desk).post(url, {"close-reason": "Done"}, follow=True)
    assert "still has open referrals" in response.content.decode()
    world.request_a.refresh_from_db()
    assert world.request_a.status == "referred"


def test_the_desk_closes_with_a_reason_and_an_empty_post_changes_nothing(world, client_for):
    request = make_request(world, resident=world.resident_desk, channel="phone", actor=world.desk)
    url = reverse("referrals:close", kwargs={"pk": request.pk})
    client = client_for(world.desk)
    client.post(url, {})
    request.refresh_from_db()
    assert request.status == "new"
    client.post(url, {"close-reason": "The resident found help elsewhere"})
    request.refresh_from_db()
    assert request.status == "closed" and request.closed_reason == "The resident found help elsewhere"
    client.post(reverse("referrals:reopen", kwargs={"pk": request.pk}), {})
    request.refresh_from_db()
    assert request.status == "closed"
    client.post(reverse("referrals:reopen", kwargs={"pk": request.pk}), {"reopen-confirm": "on"})
    request.refresh_from_db()
    assert request.status == "follow_up" and request.closed_at is None


def test_a_closed_request_is_not_referred_again_until_reopened(world):
    request = make_request(world, resident=world.resident_desk, channel="phone", actor=world.desk)
    services.request_close(request=request, actor=world.desk, reason="No longer needed")
    with pytest.raises(services.ReferralRefused, match="closed"):
        refer(world, request)
    assert not Referral.objects.filter(request=request).exists()


def test_a_request_the_desk_closed_stays_closed_when_a_failed_referral_is_cancelled(world):
    move(world.referral_a, "not_reached", actor=world.desk)
    services.request_close(request=world.request_a, actor=world.desk, reason="Moved away")
    move(world.referral_a, "cancelled", actor=world.desk)
    world.request_a.refresh_from_db()
    assert world.request_a.status == "closed"
