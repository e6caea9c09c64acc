"""The lending figures of the stock overview and the summary on the resident page."""

import datetime

from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from digibank.lending import selectors, services
from digibank.lending.models import PriorityCategory, WaitingListEntry
from digibank.networks.context_processors import _Perms

from ..factories import ResidentFactory
from .helpers import make_eligible, ready_device


def eligible(world):
    resident = ResidentFactory(network=world.leuven)
    make_eligible(resident)
    return resident


def test_the_overview_counts_loans_due_overdue_and_the_waiting_list_per_category(world):
    today = timezone.localdate()
    for due_in in (-5, -1, 0, 6, 7):
        services.loan_create(
            resident=eligible(world),
            device=ready_device(world.leuven),
            actor=None,
            started_on=today - datetime.timedelta(days=30),
            due_on=today + datetime.timedelta(days=due_in),
        )
    seniors = PriorityCategory.objects.create(network=world.leuven, name="Senioren", rank=3)
    services.waiting_add(resident=eligible(world), category=seniors, device_kind="laptop", actor=None)
    overview = selectors.lending_overview(world.leuven)
    assert overview.overdue == 2
    assert overview.due_this_week == 2
    assert overview.active_loans == 6  # with the world's loan
    assert overview.open_offers == 1
    assert overview.waiting_by_category == [("Leerlingen en studenten", 1), ("Senioren", 1)]
    assert overview.waiting_total == 2


def test_the_median_waiting_time_runs_from_the_request_to_the_hand_over(world, django_assert_max_num_queries):
    today = timezone.localdate()
    for days_waited in (10, 20, 60):
        resident = eligible(world)
        entry = services.waiting_add(
            resident=resident,
            category=world.category,
            device_kind="laptop",
            actor=None,
            requested_at=timezone.now() - datetime.timedelta(days=days_waited + 5),
        )
        services.loan_create(
            resident=resident,
            device=ready_device(world.leuven),
            actor=None,
            started_on=today - datetime.timedelta(days=5),
        )
        assert WaitingListEntry.objects.get(pk=entry.pk).status == "fulfilled"
    with django_assert_max_num_queries(5):
        overview = selectors.lending_overview(world.leuven)
    assert overview.median_waiting_days == 20
    assert overview.fulfilled_last_year == 3


def test_an_empty_network_has_no_median(world):
    overview = selectors.lending_overview(world.leuven.pk, today=timezone.localdate())
    assert overview.median_waiting_days is None


def test_the_resident_summary_shows_loans_waiting_place_and_offer(world):
    membership = world.desk.memberships.get(network=world.leuven)
    summary = selectors.resident_lending_summary(world.waiter, membership)
    assert summary.offer == world.offer
    assert [e.pk for e in summary.entries] == [world.entry.pk]
    summary = selectors.resident_lending_summary(world.borrower, membership)
    assert summary.loans == [world.loan]
    assert summary.resident == world.borrower


def test_the_resident_summary_is_hidden_from_roles_without_loan_view_and_other_networks(world):
    partner = world.partner_a.memberships.get(network=world.leuven)
    assert selectors.resident_lending_summary(world.borrower, partner) is None
    outsider = world.outsider.memberships.get(network=world.other)
    assert selectors.resident_lending_summary(world.borrower, outsider) is None


def test_the_resident_summary_partial_renders(world):
    membership = world.desk.memberships.get(network=world.leuven)
    request = RequestFactory().get("/")
    html = render_to_string(
        "lending/_resident_summary.html",
        {
            "summary": selectors.resident_lending_summary(world.borrower, membership),
            "can": _Perms(membership),
        },
        request=request,
    )
    assert "Loans and waiting list" in html and world.loan.number in html
    assert "Hand over a device" in html
    assert render_to_string("lending/_resident_summary.html", {"summary": None}).strip() == ""
