"""Hand-over: loans and gifts, from an offer or directly, and everything that must refuse."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from digibank.devices.lifecycle import DeviceStatus
from digibank.devices.services import TransitionError, device_transition
from digibank.lending import services
from digibank.lending.models import Loan, LoanStatus, OfferStatus, WaitingStatus
from digibank.lending.services import LendingError
from digibank.residents.models import TimelineEntry

from ..factories import ResidentFactory
from .helpers import make_eligible, ready_device, wipe_and_check
from .world import EXCEPTION


def refreshed(obj):
    obj.refresh_from_db()
    return obj


@pytest.fixture
def eligible(world):
    resident = ResidentFactory(
        network=world.leuven, first_name="Noor", last_name="Nijs", street="Tiensestraat 9"
    )
    make_eligible(resident)
    return resident


def test_accepting_an_offer_lends_the_device_and_closes_the_offer_and_the_waiting_entry(world):
    offer = world.offer
    make_eligible(world.waiter)
    loan = services.loan_create(resident=world.waiter, device=offer.device, actor=world.desk)
    assert loan.status == LoanStatus.ACTIVE
    assert loan.due_on == timezone.localdate() + datetime.timedelta(days=180)
    assert refreshed(offer.device).status == DeviceStatus.ON_LOAN
    assert refreshed(offer).status == OfferStatus.ACCEPTED
    assert refreshed(world.entry).status == WaitingStatus.FULFILLED
    assert loan.entry_id == world.entry.pk
    assert loan.eligibility_basis.startswith("Living wage")
    timeline = TimelineEntry.objects.filter(resident=world.waiter, kind="loan_started").get()
    assert offer.device.asset_tag in timeline.summary and loan.number in timeline.summary
    assert timeline.actor == world.desk


def test_loan_numbers_count_per_network_and_year(world, eligible):
    year = timezone.localdate().year
    assert world.loan.number == f"L{year}-0001"
    assert world.loan_other.number == f"L{year}-0001"
    second = services.loan_create(resident=eligible, device=ready_device(world.leuven), actor=world.desk)
    assert second.number == f"L{year}-0002"
    older = services.loan_create(
        resident=eligible,
        device=ready_device(world.leuven),
        actor=world.desk,
        started_on=datetime.date(year - 1, 12, 30),
    )
    assert older.number == f"L{year - 1}-0001"


def test_a_direct_hand_over_fulfils_the_residents_waiting_entry(world, eligible):
    entry = services.waiting_add(resident=eligible, category=world.category, device_kind="laptop", actor=None)
    loan = services.loan_create(resident=eligible, device=ready_device(world.leuven), actor=world.desk)
    assert refreshed(entry).status == WaitingStatus.FULFILLED
    assert loan.entry_id == entry.pk


def test_a_direct_hand_over_releases_the_other_device_offered_to_the_resident_to_the_next_in_line(
    world, eligible
):
    # The waiter has device LNT-0002 on offer but takes another one at the desk: LNT-0002 moves on.
    services.waiting_add(resident=eligible, category=world.category, device_kind="laptop", actor=None)
    make_eligible(world.waiter)
    services.loan_create(resident=world.waiter, device=ready_device(world.leuven), actor=world.desk)
    assert refreshed(world.offer).status == OfferStatus.DECLINED
    device = refreshed(world.offer.device)
    assert device.status == DeviceStatus.RESERVED
    assert device.offers.get(status=OfferStatus.OPEN).entry.resident == eligible


def test_a_gift_gives_the_device_away_for_good(world, eligible):
    device = ready_device(world.leuven)
    gift = services.loan_create(resident=eligible, device=device, actor=world.desk, kind="gift")
    assert gift.status == LoanStatus.GIVEN
    assert gift.due_on is None
    assert gift.number.startswith("G")
    assert refreshed(device).status == DeviceStatus.GIVEN_AWAY
    assert TimelineEntry.objects.filter(resident=eligible, kind="gift_given").exists()


def test_an_ineligible_resident_gets_no_device_and_nothing_changes(world):
    resident = ResidentFactory(network=world.leuven)
    device = ready_device(world.leuven)
    with pytest.raises(LendingError, match="does not meet the lending rules"):
        services.loan_create(resident=resident, device=device, actor=world.desk)
    assert refreshed(device).status == DeviceStatus.READY
    assert not Loan.objects.filter(resident=resident).exists()


def test_a_coordinator_may_lend_to_an_ineligible_resident_with_a_recorded_reason(world):
    resident = ResidentFactory(network=world.leuven)
    device = ready_device(world.leuven)
    with pytest.raises(LendingError, match="Only a coordinator"):
        services.loan_create(resident=resident, device=device, actor=world.desk, override_reason="Urgent")
    loan = services.loan_create(
        resident=resident, device=device, actor=world.coordinator, override_reason="Urgent", may_override=True
    )
    assert loan.override_reason == "Urgent"
    assert loan.eligibility_basis == ""


def test_a_device_that_is_not_ready_cannot_be_lent(world, eligible):
    device = ready_device(world.leuven)
    device_transition(device=device, to_status=DeviceStatus.IN_REPAIR, actor=None, reason="fan")
    with pytest.raises(LendingError, match="only a ready device"):
        services.loan_create(resident=eligible, device=device, actor=world.desk)
    assert not Loan.objects.filter(device=device).exists()


def test_a_device_reserved_for_someone_else_cannot_be_lent(world, eligible):
    with pytest.raises(LendingError, match="reserved for another resident"):
        services.loan_create(resident=eligible, device=world.offer.device, actor=world.desk)
    assert refreshed(world.offer).status == OfferStatus.OPEN


def test_the_same_device_cannot_be_lent_twice(world, eligible):
    device = ready_device(world.leuven)
    services.loan_create(resident=eligible, device=device, actor=world.desk)
    with pytest.raises(LendingError, match="only a ready device"):
        services.loan_create(resident=world.borrower, device=device, actor=world.coordinator, **EXCEPTION)
    assert Loan.objects.filter(device=device).count() == 1


def test_the_database_refuses_a_second_active_loan_even_when_the_service_is_bypassed(world):
    loan = world.loan
    with pytest.raises(IntegrityError), transaction.atomic():
        Loan.objects.create(
            network=world.leuven,
            number="BYPASS-1",
            device=loan.device,
            resident=world.waiter,
            started_on=loan.started_on,
            due_on=loan.due_on,
        )
    assert Loan.objects.filter(device=loan.device, status=LoanStatus.ACTIVE).count() == 1


def test_a_returned_device_cannot_be_lent_again_before_a_new_wipe_and_quality_check(world, eligible):
    loan = services.loan_return(loan=world.loan, actor=world.desk, condition_in="B")
    device = refreshed(loan.device)
    assert device.status == DeviceStatus.RETURNED
    with pytest.raises(LendingError, match="new data wipe"):
        services.loan_create(resident=eligible, device=device, actor=world.desk)
    # Back through the workshop: the old wipe and check do not count any more.
    device_transition(device=device, to_status=DeviceStatus.WIPING, actor=world.desk, reason="returned")
    device_transition(device=device, to_status=DeviceStatus.QUALITY_CHECK, actor=world.desk, reason="")
    with pytest.raises(TransitionError):
        device_transition(device=device, to_status=DeviceStatus.READY, actor=world.desk, reason="")
    with pytest.raises(LendingError):
        services.loan_create(resident=eligible, device=device, actor=world.desk)
    wipe_and_check(device, actor=world.desk)
    device_transition(device=device, to_status=DeviceStatus.READY, actor=world.desk, reason="")
    again = services.loan_create(resident=eligible, device=device, actor=world.desk)
    assert again.status == LoanStatus.ACTIVE
    assert Loan.objects.filter(device=device).count() == 2


def test_a_device_of_another_network_cannot_be_lent(world, eligible):
    with pytest.raises(LendingError):
        services.loan_create(resident=eligible, device=ready_device(world.other), actor=world.desk)


def test_the_due_date_cannot_be_before_the_start(world, eligible):
    device = ready_device(world.leuven)
    with pytest.raises(LendingError):
        services.loan_create(
            resident=eligible,
            device=device,
            actor=world.desk,
            started_on=datetime.date(2026, 3, 1),
            due_on=datetime.date(2026, 2, 1),
        )
    assert refreshed(device).status == DeviceStatus.READY


# --- the hand-over page --------------------------------------------------------------------


def handover_data(device, **extra):
    data = {
        "kind": "loan",
        "asset_tag": device.asset_tag.lower(),
        "started_on": timezone.localdate().isoformat(),
        "due_on": "",
        "deposit": "20.00",
        "condition": "b",
        "condition_notes": "small scratch",
    }
    data.update(extra)
    return data


def test_the_hand_over_page_shows_why_the_resident_is_eligible_and_the_offered_device(world, client_for):
    make_eligible(world.waiter)
    response = client_for(world.desk).get(reverse("lending:handover", kwargs={"pk": world.waiter.pk}))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Eligible" in text and "Living wage" in text
    assert world.offer.device.asset_tag in text
    assert response.context["form"].initial["asset_tag"] == world.offer.device.asset_tag


def test_the_desk_hands_a_device_over_from_the_page(world, client_for, eligible):
    device = ready_device(world.leuven)
    response = client_for(world.desk).post(
        reverse("lending:handover", kwargs={"pk": eligible.pk}), handover_data(device)
    )
    loan = Loan.objects.get(device=device)
    assert response.status_code == 302
    assert response["Location"] == reverse("lending:loan", kwargs={"pk": loan.pk})
    assert loan.deposit_cents == 2000
    assert loan.condition_out == "B – signs of use: small scratch"
    assert loan.handed_over_by == world.desk


def test_the_hand_over_page_refuses_an_unknown_or_unready_device_and_changes_nothing(
    world, client_for, eligible
):
    client = client_for(world.desk)
    url = reverse("lending:handover", kwargs={"pk": eligible.pk})
    response = client.post(url, {**handover_data(world.loan.device), "asset_tag": "NOPE-1"})
    assert response.status_code == 200
    assert "No device with this asset tag" in response.content.decode()
    response = client.post(url, handover_data(world.loan.device))
    assert response.status_code == 200
    assert "only a ready device" in response.content.decode()
    assert Loan.objects.filter(resident=eligible).count() == 0


def test_the_hand_over_page_refuses_an_ineligible_resident_for_the_desk(world, client_for):
    resident = ResidentFactory(network=world.leuven)
    device = ready_device(world.leuven)
    response = client_for(world.desk).post(
        reverse("lending:handover", kwargs={"pk": resident.pk}), handover_data(device)
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Not eligible" in text and "Only a coordinator can make an exception" in text
    assert "override_reason" not in response.context["form"].fields
    assert not Loan.objects.filter(device=device).exists()


def test_the_coordinator_overrides_eligibility_on_the_page_with_a_reason(world, client_for):
    resident = ResidentFactory(network=world.leuven)
    device = ready_device(world.leuven)
    url = reverse("lending:handover", kwargs={"pk": resident.pk})
    client = client_for(world.coordinator)
    response = client.post(url, handover_data(device))
    assert response.status_code == 200
    assert "does not meet the lending rules" in response.content.decode()
    response = client.post(url, handover_data(device, override_reason="Proof follows next week"))
    assert response.status_code == 302
    assert Loan.objects.get(device=device).override_reason == "Proof follows next week"


def test_a_gift_from_the_page_gets_a_deed_number_and_no_due_date(world, client_for, eligible):
    device = ready_device(world.leuven)
    client_for(world.desk).post(
        reverse("lending:handover", kwargs={"pk": eligible.pk}), handover_data(device, kind="gift")
    )
    gift = Loan.objects.get(device=device)
    assert gift.kind == "gift" and gift.due_on is None


def test_the_hand_over_page_of_a_resident_of_another_network_is_not_found(world, client_for):
    response = client_for(world.desk).get(reverse("lending:handover", kwargs={"pk": world.borrower_other.pk}))
    assert response.status_code == 404


def test_roles_without_loan_manage_may_not_hand_over(world, client_for, eligible):
    device = ready_device(world.leuven)
    for actor in (world.digipunt, world.partner_a, world.steering, world.volunteer):
        response = client_for(actor).post(
            reverse("lending:handover", kwargs={"pk": eligible.pk}), handover_data(device)
        )
        assert response.status_code == 403
    assert not Loan.objects.filter(device=device).exists()
