"""Triage: the queue, assignment, the eligibility check and referring (with its side effects)."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from digibank.lending.models import LendingSettings, PriorityCategory, WaitingListEntry
from digibank.notifications.models import Notification
from digibank.referrals import selectors, services
from digibank.referrals.models import Referral, ReferralEvent, ReferralNote, Request
from digibank.residents.models import EligibilityProof, ResidentAccess
from tests import factories as f

from .helpers import make_request, make_service, move, refer

TRIAGE = reverse("referrals:triage")


def aged(request, days):
    Request.objects.filter(pk=request.pk).update(created_at=timezone.now() - datetime.timedelta(days=days))
    return request


def queue_references(client, **params):
    return [r.reference for r in client.get(TRIAGE, params).context["requests"]]


def test_the_queue_puts_urgent_first_then_the_longest_waiting(world, client_for):
    old_normal = aged(
        make_request(world, resident=world.resident_desk, channel="phone", actor=world.desk), 10
    )
    new_high = aged(
        make_request(world, resident=world.resident_desk, channel="phone", actor=world.desk, urgency="high"),
        1,
    )
    older_normal = aged(
        make_request(world, resident=world.resident_desk, channel="phone", actor=world.desk), 20
    )
    low = aged(
        make_request(world, resident=world.resident_desk, channel="phone", actor=world.desk, urgency="low"),
        30,
    )
    aged(world.request_a, 5)
    Request.objects.filter(pk=world.request_a.pk).update(status="new")  # all untriaged: one stage
    refs = queue_references(client_for(world.desk))
    expected = [new_high, older_normal, old_normal, world.request_a, low]
    assert refs == [r.reference for r in expected]
    text = client_for(world.desk).get(TRIAGE).content.decode()
    assert '<td class="num">20</td>' in text  # days open


def test_the_queue_puts_untriaged_requests_before_those_already_handled(world, client_for):
    def request(status, days, urgency="normal"):
        made = aged(
            make_request(
                world, resident=world.resident_desk, channel="phone", actor=world.desk, urgency=urgency
            ),
            days,
        )
        Request.objects.filter(pk=made.pk).update(status=status)
        return made

    Request.objects.filter(pk=world.request_a.pk).update(status="closed")
    referred_urgent = request("referred", 40, "high")
    in_triage_old = request("in_triage", 30)
    follow_up = request("follow_up", 50)
    new_recent = request("new", 1)
    new_urgent = request("new", 2, "high")
    refs = queue_references(client_for(world.desk))
    expected = [new_urgent, new_recent, in_triage_old, follow_up, referred_urgent]
    assert refs == [r.reference for r in expected]


def test_closed_requests_leave_the_queue(world, client_for):
    request = make_request(world, resident=world.resident_desk, channel="phone", actor=world.desk)
    services.request_close(request=request, actor=world.desk, reason="Solved on the phone")
    assert request.reference not in queue_references(client_for(world.desk))


def test_the_queue_filters_by_assignment_channel_and_status(world, client_for):
    mine = make_request(world, resident=world.resident_desk, channel="walk_in", actor=world.desk)
    services.request_assign(request=mine, assignee=world.desk, actor=world.desk)
    client = client_for(world.desk)
    assert queue_references(client, assigned="me") == [mine.reference]
    assert mine.reference not in queue_references(client, assigned="nobody")
    assert world.request_a.reference in queue_references(client, assigned="nobody")
    assert queue_references(client, channel="walk_in") == [mine.reference]
    assert queue_references(client, status="in_triage") == [mine.reference]
    assert queue_references(client, status="referred") == [world.request_a.reference]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url", [TRIAGE, reverse("referrals:list"), reverse("referrals:work"), reverse("referrals:inbox")]
)
def test_list_pages_use_a_constant_number_of_queries(world, client_for, url):
    actor = world.partner_c if url == reverse("referrals:inbox") else world.desk

    def add_rows():
        request = make_request(world, urgency="high")
        services.request_assign(request=request, assignee=world.desk, actor=world.coordinator)
        [referral] = refer(world, request)
        Referral.objects.filter(pk=referral.pk).update(follow_up_on=timezone.localdate())
        resident = f.ResidentFactory(network=world.leuven)
        aged(make_request(world, resident=resident, channel="phone", actor=world.desk), 30)

    add_rows()  # one row in every list
    client = client_for(actor)
    one = count_queries(client, url)
    for _ in range(6):
        add_rows()
    assert count_queries(client, url) == one


def test_the_outbox_uses_a_constant_number_of_queries(world, client_for):
    client = client_for(world.partner_a)
    url = reverse("referrals:outbox")
    one = count_queries(client, url)
    for _ in range(5):
        refer(world, make_request(world))
    assert count_queries(client, url) == one


# --- assignment ---------------------------------------------------------------------------


def test_assigning_moves_a_new_request_into_triage_and_tells_the_colleague(world, client_for):
    request = make_request(world, resident=world.resident_desk, channel="phone", actor=world.desk)
    url = reverse("referrals:assign", kwargs={"pk": request.pk})
    response = client_for(world.coordinator).post(url, {"assign-assigned_to": str(world.desk.pk)})
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.assigned_to, request.status) == (world.desk, "in_triage")
    assert Notification.objects.filter(user=world.desk, text__contains=request.reference).exists()


def test_a_request_cannot_be_assigned_to_a_partner_and_an_empty_post_changes_nothing(world, client_for):
    url = reverse("referrals:assign", kwargs={"pk": world.request_a.pk})
    client = client_for(world.desk)
    client.post(url, {"assign-assigned_to": str(world.partner_a.pk)})
    client.post(url, {})
    world.request_a.refresh_from_db()
    assert world.request_a.assigned_to is None
    with pytest.raises(Exception, match="colleague"):
        services.request_assign(request=world.request_a, assignee=world.partner_a, actor=world.desk)


# --- eligibility --------------------------------------------------------------------------


def checks_by_name(request):
    return {c.service.name: c for c in selectors.eligibility_checks(request=request)}


def test_eligibility_shows_per_criterion_what_is_met_and_what_is_missing(world):
    today = timezone.localdate()
    desk_request = make_request(world, resident=world.resident_desk, channel="phone", actor=world.desk)
    laptop = checks_by_name(desk_request)["Laptop loan (test)"]
    assert [(c["criterion"], c["met"]) for c in laptop.criteria] == [
        ("increased_reimbursement", False),
        ("referral", False),
    ]
    assert not laptop.eligible
    EligibilityProof.objects.create(
        network=world.leuven,
        resident=world.resident_desk,
        kind="increased_reimbursement",
        seen_on=today,
        valid_until=today + datetime.timedelta(days=30),
        seen_by=world.desk,
    )
    laptop = checks_by_name(desk_request)["Laptop loan (test)"]
    assert [(c["criterion"], c["met"]) for c in laptop.criteria] == [
        ("increased_reimbursement", True),
        ("referral", False),
    ]
    assert laptop.eligible
    assert checks_by_name(desk_request)["Computer course for beginners (test)"].eligible  # no criteria


def test_expired_proof_does_not_count_and_a_partner_referral_does(world):
    EligibilityProof.objects.create(
        network=world.leuven,
        resident=world.resident_a,
        kind="increased_reimbursement",
        seen_on=timezone.localdate() - datetime.timedelta(days=400),
        valid_until=timezone.localdate() - datetime.timedelta(days=1),
        seen_by=world.desk,
    )
    laptop = checks_by_name(world.request_a)["Laptop loan (test)"]
    assert [(c["criterion"], c["met"]) for c in laptop.criteria] == [
        ("increased_reimbursement", False),
        ("referral", True),
    ]


def test_the_request_page_shows_the_eligibility_check_to_the_desk_only(world, client_for):
    url = reverse("referrals:detail", kwargs={"pk": world.request_a.pk})
    text = client_for(world.desk).get(url).content.decode()
    assert "Increased-reimbursement status: missing" in text and "Referral by a partner: met" in text
    assert "Eligibility and referral" not in client_for(world.partner_a).get(url).content.decode()


# --- referring ----------------------------------------------------------------------------


def test_referring_creates_referrals_with_events_follow_up_and_notifications(
    world, client_for, django_capture_on_commit_callbacks
):
    request = make_request(world)
    other = make_service(world, "Digibuddy (test)", kind="digibuddy", organisation=world.org_a)
    url = reverse("referrals:refer", kwargs={"pk": request.pk})
    follow_up = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.desk).post(
            url,
            {
                "refer-services": [world.service_course.pk, other.pk],
                "refer-follow_up_on": follow_up,
                "refer-note": "Prefers mornings",
                "refer-note_visibility": "all",
            },
        )
    assert response.status_code == 302
    referrals = list(Referral.objects.filter(request=request).order_by("pk"))
    assert [(r.service, r.status, r.follow_up_on.isoformat()) for r in referrals] == [
        (world.service_course, "sent", follow_up),
        (other, "sent", follow_up),
    ]
    assert all(
        ReferralEvent.objects.filter(referral=r, from_status="", to_status="sent").exists() for r in referrals
    )
    assert ReferralNote.objects.filter(referral=referrals[0], text="Prefers mornings").exists()
    request.refresh_from_db()
    assert request.status == "referred"
    assert Notification.objects.filter(user=world.partner_c, text__contains=request.reference).exists()
    assert Notification.objects.filter(user=world.partner_a, text__contains=request.reference).exists()
    recipients = {address for message in mail.outbox for address in message.to}
    assert {world.partner_a.email, world.partner_c.email} <= recipients
    assert not any(
        "Amira" in m.body or "Amira" in m.subject for m in mail.outbox if world.partner_c.email in m.to
    )


def test_referring_with_consent_gives_the_receiver_access(world):
    request = make_request(world, resident=world.resident_desk, channel="phone", actor=world.desk)
    refer(world, request, make_service(world, "At org B", organisation=world.org_b))
    assert ResidentAccess.objects.filter(resident=world.resident_desk, organisation=world.org_b).exists()


def test_a_bad_referral_form_re_renders_with_errors_and_saves_nothing(world, client_for):
    request = make_request(world)
    url = reverse("referrals:refer", kwargs={"pk": request.pk})
    response = client_for(world.desk).post(url, {"refer-follow_up_on": "2000-01-01"})
    assert response.status_code == 200
    form = response.context["refer_form"]
    assert {"services", "follow_up_on"} <= form.errors.keys()
    assert not Referral.objects.filter(request=request).exists()


def test_a_second_open_referral_to_the_same_service_is_refused(world, client_for):
    url = reverse("referrals:refer", kwargs={"pk": world.request_a.pk})
    follow_up = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = client_for(world.desk).post(
        url, {"refer-services": [world.service_course.pk], "refer-follow_up_on": follow_up}
    )
    assert response.status_code == 200
    assert "already has an open referral" in response.content.decode(), response.context["refer_form"].errors
    assert Referral.objects.filter(request=world.request_a).count() == 1


# --- device loan: the waiting list --------------------------------------------------------


@pytest.fixture
def category(world):
    return PriorityCategory.objects.get_or_create(
        network=world.leuven, name="General (test)", defaults={"rank": 50}
    )[0]


def partner_resident(world):
    """A resident of org_a with no lending history (the lending world has its own for resident_a)."""
    return f.ResidentFactory(
        network=world.leuven, organisation=world.org_a, first_name="Wout", last_name="Wachter"
    )


def test_a_device_loan_referral_puts_the_resident_on_the_waiting_list(world, category):
    person = partner_resident(world)
    request = make_request(world, resident=person, needs=["device"])
    [referral] = refer(world, request, world.service_laptop)
    entry = WaitingListEntry.objects.get(resident=person)
    assert referral.delivery_handle == entry.pk
    assert (entry.device_kind, entry.status) == ("laptop", "waiting")
    # declined: off the list again
    move(referral, "declined", actor=world.partner_c, reason="No laptops this month")
    entry.refresh_from_db()
    assert entry.status == "cancelled"


def test_a_resident_already_waiting_keeps_their_place(world, category):
    from digibank.lending.services import waiting_add

    person = partner_resident(world)
    refer(world, make_request(world, resident=person), world.service_course)  # a partner referral: eligible
    entry = waiting_add(resident=person, category=category, device_kind="laptop", actor=world.desk)
    [referral] = refer(world, make_request(world, resident=person), world.service_laptop)
    assert referral.delivery_handle == entry.pk
    assert WaitingListEntry.objects.filter(resident=person).count() == 1


def test_a_device_loan_referral_the_lending_rules_refuse_saves_nothing(world, category):
    LendingSettings.objects.update_or_create(
        network=world.leuven,
        defaults={"referral_makes_eligible": False, "eligible_statuses": ["living_wage"]},
    )
    person = partner_resident(world)
    request = make_request(world, resident=person)
    with pytest.raises(services.ReferralRefused, match="waiting list"):
        refer(world, request, world.service_laptop)
    assert not Referral.objects.filter(request=request).exists()
    assert not WaitingListEntry.objects.filter(resident=person).exists()


def test_the_inbox_and_outbox_show_a_page_at_a_time(world, client_for, monkeypatch):
    """A partner with thousands of referrals gets pages of 50, not every row at once."""
    for _ in range(3):
        refer(world, make_request(world))
    per_page = 2
    monkeypatch.setattr(selectors, "REQUESTS_PER_PAGE", per_page)
    outbox = client_for(world.partner_a)
    url = reverse("referrals:outbox")
    first = outbox.get(url)
    total = first.context["page"].paginator.count
    assert total >= 3 and len(first.context["requests"]) == per_page
    assert f"{total} requests" in first.content.decode() and 'rel="next"' in first.content.decode()
    last = outbox.get(url, {"page": first.context["page"].paginator.num_pages})
    seen = {r.pk for r in first.context["requests"]} | {r.pk for r in last.context["requests"]}
    assert len(seen) == len(first.context["requests"]) + len(last.context["requests"])
    inbox = client_for(world.partner_c).get(reverse("referrals:inbox"), {"show": "all"})
    assert len(inbox.context["referrals"]) == per_page
    # The next-page link keeps "show all".
    assert "show=all" in inbox.content.decode().split('rel="next"')[0].rsplit("href=", 1)[-1]
