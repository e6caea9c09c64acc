"""Eligibility and the waiting list: who may wait, in which order, and the pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from digibank.lending import selectors, services
from digibank.lending.models import PriorityCategory, WaitingListEntry, WaitingStatus
from digibank.lending.services import LendingError
from digibank.residents.models import ResidentAccess

from ..factories import OrganisationFactory, ResidentFactory
from .helpers import make_eligible


def settings_of(world):
    return services.lending_settings_for(world.leuven)


def test_a_valid_proof_of_an_accepted_status_makes_a_resident_eligible_and_says_why(world):
    resident = ResidentFactory(network=world.leuven)
    make_eligible(resident, "increased_reimbursement", valid_until=timezone.localdate())
    result = selectors.resident_eligibility(resident, settings_of(world))
    assert result.eligible
    assert result.proofs[0].kind == "increased_reimbursement"
    assert "Increased-reimbursement status" in result.summary


def test_an_expired_proof_or_a_status_the_network_does_not_accept_does_not_count(world):
    resident = ResidentFactory(network=world.leuven)
    make_eligible(resident, "living_wage", valid_until=timezone.localdate() - datetime.timedelta(days=1))
    make_eligible(resident, "other")
    result = selectors.resident_eligibility(resident, settings_of(world))
    assert not result.eligible
    assert [p.kind for p in result.expired] == ["living_wage"]


def test_the_network_chooses_which_statuses_count(world):
    resident = ResidentFactory(network=world.leuven)
    make_eligible(resident, "other")
    services.lending_settings_update(network=world.leuven, actor=None, data={"eligible_statuses": ["other"]})
    assert selectors.resident_eligibility(resident, settings_of(world)).eligible


def test_a_partner_referral_makes_someone_eligible_when_the_network_says_so(world):
    from digibank.referrals.services import request_create

    resident = ResidentFactory(network=world.leuven)
    request_create(
        network=world.leuven,
        resident=resident,
        needs=["device"],
        channel="partner",
        referred_by=world.org_b,
        consent_to_share=True,
        actor=world.partner_b,
    )
    result = selectors.resident_eligibility(resident, settings_of(world))
    assert result.eligible and result.reasons == ["Referred by OCMW B"]
    services.lending_settings_update(
        network=world.leuven, actor=None, data={"referral_makes_eligible": False}
    )
    assert not selectors.resident_eligibility(resident, settings_of(world)).eligible


def test_being_registered_by_a_partner_is_not_a_referral(world):
    resident = ResidentFactory(network=world.leuven, organisation=OrganisationFactory(network=world.leuven))
    assert not selectors.resident_eligibility(resident, settings_of(world)).eligible


def _entry(world, *, rank_category, minutes_ago, kind="laptop"):
    resident = ResidentFactory(network=world.leuven)
    make_eligible(resident)
    return services.waiting_add(
        resident=resident,
        category=rank_category,
        device_kind=kind,
        actor=world.desk,
        requested_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
    )


def test_the_list_serves_the_lowest_category_rank_first_then_first_come(world):
    seniors = PriorityCategory.objects.create(network=world.leuven, name="Senioren", rank=5)
    pupils = world.category  # rank 1
    old_senior = _entry(world, rank_category=seniors, minutes_ago=500)
    new_pupil = _entry(world, rank_category=pupils, minutes_ago=10)
    old_pupil = _entry(world, rank_category=pupils, minutes_ago=100)
    tablet = _entry(world, rank_category=seniors, minutes_ago=1000, kind="tablet")
    assert selectors.waiting_list_next(world.leuven, "laptop") == old_pupil
    assert selectors.waiting_list_next(world.leuven, "tablet") == tablet
    positions = {e.pk: e.position for e in selectors.waiting_list(membership=_membership(world))}
    assert positions[old_pupil.pk] == 1 and positions[new_pupil.pk] == 2 and positions[old_senior.pk] == 3
    assert positions[tablet.pk] == 1
    assert selectors.waiting_position(old_senior) == 3


def _membership(world, user=None):
    return (user or world.desk).memberships.get(network=world.leuven)


def test_an_ineligible_resident_cannot_be_put_on_the_list_but_a_coordinator_may_make_an_exception(world):
    resident = ResidentFactory(network=world.leuven)
    with pytest.raises(LendingError, match="does not meet the lending rules"):
        services.waiting_add(
            resident=resident, category=world.category, device_kind="laptop", actor=world.desk
        )
    entry = services.waiting_add(
        resident=resident,
        category=world.category,
        device_kind="laptop",
        actor=world.coordinator,
        override_reason="Homeless, no papers yet",
        may_override=True,
    )
    assert entry.override_reason == "Homeless, no papers yet"


def test_a_resident_waits_only_once_for_the_same_kind_of_device(world):
    make_eligible(world.waiter)
    with pytest.raises(LendingError, match="already on the waiting list"):
        services.waiting_add(resident=world.waiter, category=world.category, device_kind="laptop", actor=None)
    tablet = services.waiting_add(
        resident=world.waiter, category=world.category, device_kind="tablet", actor=None
    )
    assert tablet.status == WaitingStatus.WAITING


def test_cancelling_an_entry_with_an_offer_moves_the_device_on(world):
    next_one = _entry(world, rank_category=world.category, minutes_ago=1)
    services.waiting_cancel(entry=world.entry, actor=world.desk)
    world.entry.refresh_from_db()
    assert world.entry.status == WaitingStatus.CANCELLED
    world.offer.refresh_from_db()
    assert world.offer.status == "declined"
    assert world.offer.device.offers.get(status="open").entry == next_one
    with pytest.raises(LendingError):
        services.waiting_cancel(entry=world.entry, actor=world.desk)


# --- pages ---------------------------------------------------------------------------------


def test_the_waiting_list_page_shows_place_category_and_resident(world, client_for):
    entry = _entry(world, rank_category=world.category, minutes_ago=5)
    response = client_for(world.desk).get(reverse("lending:waiting"))
    text = response.content.decode()
    assert response.status_code == 200
    assert entry.resident.full_name in text
    assert "Leerlingen en studenten" in text
    assert [e.position for e in response.context["entries"]] == [1]


def test_the_waiting_list_page_runs_a_constant_number_of_queries(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.desk)
    _entry(world, rank_category=world.category, minutes_ago=100)
    client.get(reverse("lending:waiting"))  # warm the session
    with django_assert_max_num_queries(12) as one:
        client.get(reverse("lending:waiting"))
    for minutes in range(14):
        _entry(world, rank_category=world.category, minutes_ago=minutes)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("lending:waiting"))
    assert len(response.context["entries"]) == 15


def test_putting_a_resident_on_the_list_from_the_page(world, client_for):
    resident = ResidentFactory(network=world.leuven, first_name="Yara", last_name="Yilmaz")
    make_eligible(resident)
    url = reverse("lending:waiting_add", kwargs={"pk": resident.pk})
    client = client_for(world.desk)
    page = client.get(url)
    assert "Eligible" in page.content.decode() and "Living wage" in page.content.decode()
    response = client.post(url, {"category": world.category.pk, "device_kind": "laptop", "note": "AZERTY"})
    assert response.status_code == 302
    entry = WaitingListEntry.objects.get(resident=resident)
    assert entry.note == "AZERTY" and entry.created_by == world.desk
    assert entry.eligibility_basis.startswith("Living wage")


def test_the_list_form_refuses_an_ineligible_resident_with_a_clear_message(world, client_for):
    resident = ResidentFactory(network=world.leuven)
    response = client_for(world.desk).post(
        reverse("lending:waiting_add", kwargs={"pk": resident.pk}),
        {"category": world.category.pk, "device_kind": "laptop"},
    )
    assert response.status_code == 200
    assert "does not meet the lending rules" in response.content.decode()
    assert not WaitingListEntry.objects.filter(resident=resident).exists()


def test_the_list_form_refuses_a_category_of_another_network(world, client_for):
    resident = ResidentFactory(network=world.leuven)
    make_eligible(resident)
    response = client_for(world.desk).post(
        reverse("lending:waiting_add", kwargs={"pk": resident.pk}),
        {"category": world.category_other.pk, "device_kind": "laptop"},
    )
    assert response.status_code == 200
    assert not WaitingListEntry.objects.filter(resident=resident).exists()


def test_an_empty_cancel_post_changes_nothing(world, client_for):
    client_for(world.desk).post(reverse("lending:waiting_cancel", kwargs={"pk": world.entry.pk}), {})
    world.entry.refresh_from_db()
    assert world.entry.status == WaitingStatus.OFFERED


def test_cancelling_from_the_page(world, client_for):
    client_for(world.desk).post(
        reverse("lending:waiting_cancel", kwargs={"pk": world.entry.pk}), {"confirm": "yes"}
    )
    world.entry.refresh_from_db()
    assert world.entry.status == WaitingStatus.CANCELLED


def test_an_entry_of_another_network_cannot_be_cancelled(world, client_for):
    response = client_for(world.desk).post(
        reverse("lending:waiting_cancel", kwargs={"pk": world.entry_other.pk}), {"confirm": "yes"}
    )
    assert response.status_code == 404
    world.entry_other.refresh_from_db()
    assert world.entry_other.status == WaitingStatus.OFFERED


def test_finding_a_resident_to_lend_to(world, client_for):
    response = client_for(world.desk).get(reverse("lending:find"), {"q": "Bosmans"})
    assert world.borrower in response.context["residents"]
    assert reverse("lending:handover", kwargs={"pk": world.borrower.pk}) in response.content.decode()
    response = client_for(world.desk).get(reverse("lending:find"), {"q": "Zegers"})
    assert response.context["residents"] == []


def test_receiving_a_referral_as_provider_is_not_a_partner_referral(world):
    resident = ResidentFactory(network=world.leuven)
    ResidentAccess.objects.create(
        network=world.leuven,
        resident=resident,
        organisation=world.org_b,
        reason=ResidentAccess.Reason.REFERRED,
    )
    assert not selectors.resident_eligibility(resident, settings_of(world)).eligible
