"""Loans after the hand-over: extension, return, lost/stolen, the lists and who may do what."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from digibank.devices.lifecycle import DeviceStatus
from digibank.lending import selectors, services
from digibank.lending.models import Loan, LoanStatus
from digibank.lending.services import LendingError
from digibank.networks import roles
from digibank.residents.models import TimelineEntry

from ..factories import ResidentFactory
from .helpers import make_eligible, ready_device


def reload(obj):
    obj.refresh_from_db()
    return obj


def lend(world, *, started_days_ago=0, due_in=None, resident=None, **kwargs):
    if resident is None:
        resident = ResidentFactory(network=world.leuven)
        make_eligible(resident)
    today = timezone.localdate()
    started_on = today - datetime.timedelta(days=started_days_ago)
    due_on = today + datetime.timedelta(days=due_in) if due_in is not None else None
    return services.loan_create(
        resident=resident,
        device=ready_device(world.leuven),
        actor=world.desk,
        started_on=started_on,
        due_on=due_on,
        **kwargs,
    )


def test_an_extension_moves_the_due_date_by_the_extension_period_and_counts(world):
    due = world.loan.due_on
    loan = services.loan_extend(loan=world.loan, actor=world.desk)
    assert loan.due_on == due + datetime.timedelta(days=90)
    loan = services.loan_extend(loan=loan, actor=world.desk, due_on=loan.due_on + datetime.timedelta(days=3))
    assert loan.extensions == 2
    with pytest.raises(LendingError, match="later than the current one"):
        services.loan_extend(loan=loan, actor=world.desk, due_on=loan.due_on)
    assert TimelineEntry.objects.filter(resident=world.borrower, kind="loan_extended").count() == 2


def test_a_return_closes_the_loan_and_sends_the_device_back_for_a_wipe(world):
    loan = services.loan_return(
        loan=world.loan, actor=world.desk, condition_in="B – signs of use", deposit_refunded=True
    )
    assert loan.status == LoanStatus.RETURNED
    assert loan.returned_on == timezone.localdate()
    assert loan.deposit_refunded is False  # there was no deposit to refund
    assert reload(loan.device).status == DeviceStatus.RETURNED
    with pytest.raises(LendingError):
        services.loan_extend(loan=loan, actor=world.desk)
    with pytest.raises(LendingError):
        services.loan_return(loan=loan, actor=world.desk)


def test_a_deposit_is_refunded_only_when_there_was_one(world):
    loan = lend(world, deposit_cents=2500)
    loan = services.loan_return(loan=loan, actor=world.desk, deposit_refunded=True)
    assert loan.deposit_refunded is True


def test_a_return_date_in_the_future_or_before_the_start_is_refused(world):
    with pytest.raises(LendingError):
        services.loan_return(
            loan=world.loan, actor=world.desk, returned_on=timezone.localdate() + datetime.timedelta(1)
        )
    with pytest.raises(LendingError):
        services.loan_return(
            loan=world.loan, actor=world.desk, returned_on=world.loan.started_on - datetime.timedelta(1)
        )
    assert reload(world.loan).status == LoanStatus.ACTIVE


@pytest.mark.parametrize("status", ["lost", "stolen"])
def test_a_lost_or_stolen_device_marks_loan_and_device(world, status):
    loan = services.loan_mark_lost(loan=world.loan, actor=world.desk, status=status, note="PV 123")
    assert loan.status == status
    assert reload(loan.device).status == status
    # Found again: it comes back like any returned device.
    loan = services.loan_return(loan=loan, actor=world.desk, condition_in="found")
    assert loan.status == LoanStatus.RETURNED
    assert reload(loan.device).status == DeviceStatus.RETURNED


def test_a_gift_cannot_be_extended_returned_or_lost(world):
    gift = lend(world, kind="gift")
    for call in (
        lambda: services.loan_extend(loan=gift, actor=None),
        lambda: services.loan_return(loan=gift, actor=None),
        lambda: services.loan_mark_lost(loan=gift, actor=None, status="lost"),
    ):
        with pytest.raises(LendingError):
            call()


def test_overdue_and_due_this_week(world):
    overdue = lend(world, started_days_ago=100, due_in=-1)
    today = lend(world, due_in=0)
    in_six = lend(world, due_in=6)
    lend(world, due_in=7)
    assert list(selectors.loans_overdue(network=world.leuven)) == [overdue]
    assert list(selectors.loans_due_this_week(network=world.leuven)) == [today, in_six]


# --- pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("show", "expected"),
    [("active", {"active"}), ("overdue", {"overdue"}), ("due_week", {"week"}), ("returned", {"returned"})],
)
def test_the_loans_page_filters(world, client_for, show, expected):
    loans = {
        "active": world.loan,
        "overdue": lend(world, started_days_ago=30, due_in=-3),
        "week": lend(world, due_in=2),
        "returned": services.loan_return(loan=lend(world), actor=None),
    }
    response = client_for(world.desk).get(reverse("lending:loans"), {"show": show})
    shown = {name for name, loan in loans.items() if loan in response.context["loans"]}
    if show == "active":
        expected = {"active", "overdue", "week"}
    assert shown == expected


def test_the_loans_page_runs_a_constant_number_of_queries(world, client_for, django_assert_max_num_queries):
    client = client_for(world.desk)
    client.get(reverse("lending:loans"))
    with django_assert_max_num_queries(12) as one:
        client.get(reverse("lending:loans"), {"show": "all"})
    for _ in range(10):
        lend(world)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("lending:loans"), {"show": "all"})
    assert len(response.context["loans"]) == 11
    assert "Zegers" not in response.content.decode()


def test_the_loan_page_shows_the_loan_and_its_actions(world, client_for):
    response = client_for(world.desk).get(reverse("lending:loan", kwargs={"pk": world.loan.pk}))
    text = response.content.decode()
    assert response.status_code == 200
    assert world.loan.number in text and "Bart Bosmans" in text and "LNTSN1" in text
    assert reverse("lending:loan_return", kwargs={"pk": world.loan.pk}) in text


def test_extending_from_the_page(world, client_for):
    new_due = world.loan.due_on + datetime.timedelta(days=30)
    response = client_for(world.desk).post(
        reverse("lending:loan_extend", kwargs={"pk": world.loan.pk}), {"due_on": new_due.isoformat()}
    )
    assert response.status_code == 302
    assert reload(world.loan).due_on == new_due


def test_an_empty_extension_post_changes_nothing(world, client_for):
    due = world.loan.due_on
    response = client_for(world.desk).post(reverse("lending:loan_extend", kwargs={"pk": world.loan.pk}), {})
    assert response.status_code == 200
    assert reload(world.loan).due_on == due and world.loan.extensions == 0


def test_returning_from_the_page_tells_the_desk_the_device_needs_a_new_wipe(world, client_for):
    response = client_for(world.desk).post(
        reverse("lending:loan_return", kwargs={"pk": world.loan.pk}),
        {
            "returned_on": timezone.localdate().isoformat(),
            "condition": "c",
            "condition_notes": "charger missing",
        },
        follow=True,
    )
    assert "needs a new data wipe and quality check" in response.content.decode()
    loan = reload(world.loan)
    assert loan.status == LoanStatus.RETURNED
    assert loan.condition_in == "C – works, visible damage: charger missing"


def test_a_bad_return_re_renders_with_an_error_and_changes_nothing(world, client_for):
    response = client_for(world.desk).post(
        reverse("lending:loan_return", kwargs={"pk": world.loan.pk}),
        {"returned_on": (timezone.localdate() + datetime.timedelta(days=2)).isoformat(), "condition": "b"},
    )
    assert response.status_code == 200
    assert "cannot be in the future" in response.content.decode()
    assert reload(world.loan).status == LoanStatus.ACTIVE


def test_reporting_stolen_from_the_page(world, client_for):
    client_for(world.desk).post(
        reverse("lending:loan_lost", kwargs={"pk": world.loan.pk}), {"status": "stolen", "note": "PV 2026/1"}
    )
    assert reload(world.loan).status == LoanStatus.STOLEN


def test_a_loan_of_another_network_is_not_found(world, client_for):
    client = client_for(world.coordinator)
    assert client.get(reverse("lending:loan", kwargs={"pk": world.loan_other.pk})).status_code == 404
    response = client.post(
        reverse("lending:loan_lost", kwargs={"pk": world.loan_other.pk}), {"status": "lost"}
    )
    assert response.status_code == 404
    assert reload(world.loan_other).status == LoanStatus.ACTIVE


def test_roles_without_loan_view_see_no_loans(world, client_for):
    for actor in (world.partner_a, world.digipunt, world.steering, world.volunteer, world.provider):
        assert client_for(actor).get(reverse("lending:loans")).status_code == 403
        assert client_for(actor).get(reverse("lending:loan", kwargs={"pk": world.loan.pk})).status_code == 403


def test_a_role_that_may_view_loans_but_not_manage_them_can_read_but_not_change(
    world, client_for, monkeypatch
):
    holders, description = roles.PERMISSIONS["loan.manage"]
    monkeypatch.setitem(roles.PERMISSIONS, "loan.manage", (holders - {roles.Role.SERVICE_DESK}, description))
    client = client_for(world.desk)
    assert client.get(reverse("lending:loan", kwargs={"pk": world.loan.pk})).status_code == 200
    for name, data in [
        ("lending:loan_extend", {"due_on": "2099-01-01"}),
        ("lending:loan_return", {"returned_on": timezone.localdate().isoformat(), "condition": "b"}),
        ("lending:loan_lost", {"status": "lost"}),
    ]:
        assert client.post(reverse(name, kwargs={"pk": world.loan.pk}), data).status_code == 403
    assert client.get(reverse("lending:handover", kwargs={"pk": world.waiter.pk})).status_code == 403
    assert reload(world.loan).status == LoanStatus.ACTIVE and world.loan.extensions == 0
    assert Loan.objects.filter(network=world.leuven).count() == 1
