"""Eligibility against a service's criteria (triage), and which services answer which need."""

import datetime

from digibank.catalogue.models import Need, Service, ServiceKind
from digibank.catalogue.selectors import (
    criteria_satisfied,
    resident_valid_proof_kinds,
    service_criteria_check,
    services_for_need,
)
from digibank.residents.models import EligibilityProof

TODAY = datetime.date(2026, 3, 15)


def proof(world, kind, valid_until=None, resident=None):
    return EligibilityProof.objects.create(
        network=world.leuven,
        resident=resident or world.resident_a,
        kind=kind,
        seen_on=datetime.date(2025, 1, 1),
        valid_until=valid_until,
    )


def met(checks) -> dict[str, bool]:
    return {check["criterion"]: check["met"] for check in checks}


def test_without_proof_or_referral_no_criterion_is_met(world):
    checks = service_criteria_check(service=world.service_loan, resident=world.resident_a, today=TODAY)
    assert met(checks) == {"increased_reimbursement": False, "living_wage": False, "referral": False}
    assert [check["label"] for check in checks] == [
        "Increased-reimbursement status",
        "Living wage",
        "Referral by a partner",
    ]
    assert not criteria_satisfied(checks)


def test_a_proof_without_end_date_meets_its_criterion(world):
    proof(world, "living_wage")
    checks = service_criteria_check(service=world.service_loan, resident=world.resident_a, today=TODAY)
    assert met(checks) == {"increased_reimbursement": False, "living_wage": True, "referral": False}
    assert criteria_satisfied(checks)


def test_a_proof_valid_until_today_counts_and_an_expired_one_does_not(world):
    proof(world, "increased_reimbursement", valid_until=TODAY)
    proof(world, "living_wage", valid_until=TODAY - datetime.timedelta(days=1))
    checks = service_criteria_check(service=world.service_loan, resident=world.resident_a, today=TODAY)
    assert met(checks)["increased_reimbursement"] is True
    assert met(checks)["living_wage"] is False
    tomorrow = TODAY + datetime.timedelta(days=1)
    later = service_criteria_check(service=world.service_loan, resident=world.resident_a, today=tomorrow)
    assert not criteria_satisfied(later)


def test_a_referral_by_a_partner_meets_the_referral_criterion(world):
    checks = service_criteria_check(
        service=world.service_loan, resident=world.resident_a, referred_by=world.org_a, today=TODAY
    )
    assert met(checks) == {"increased_reimbursement": False, "living_wage": False, "referral": True}
    assert criteria_satisfied(checks)


def test_a_proof_of_another_resident_does_not_count(world):
    proof(world, "living_wage", resident=world.resident_desk)
    checks = service_criteria_check(service=world.service_loan, resident=world.resident_a, today=TODAY)
    assert not criteria_satisfied(checks)


def test_a_service_without_criteria_is_open_to_everyone(world):
    checks = service_criteria_check(service=world.service_internet, resident=world.resident_a, today=TODAY)
    assert checks == []
    assert criteria_satisfied(checks)


def test_proof_kinds_read_once_serve_many_services(world, django_assert_num_queries):
    proof(world, "living_wage")
    kinds = resident_valid_proof_kinds(resident=world.resident_a, today=TODAY)
    with django_assert_num_queries(0):
        checks = service_criteria_check(
            service=world.service_loan, resident=world.resident_a, proof_kinds=kinds
        )
    assert met(checks)["living_wage"] is True


def test_services_for_a_need_are_the_active_services_of_the_mapped_kinds(world):
    gift = Service.objects.create(
        network=world.leuven, name="Aaa schenking", kind=ServiceKind.DEVICE_GIFT, organisation=world.org_b
    )
    Service.objects.create(
        network=world.leuven,
        name="Oude uitleen",
        kind=ServiceKind.DEVICE_LOAN,
        organisation=world.org_b,
        is_active=False,
    )
    device = services_for_need(world.leuven, Need.DEVICE)
    assert world.service_loan in device and gift in device
    # Every loan comes before every gift, whatever the names.
    kinds = [service.kind for service in device]
    assert kinds == sorted(kinds, key=["device_loan", "device_gift"].index)
    assert all(service.is_active and service.network_id == world.leuven.pk for service in device)
    assert world.service_internet in services_for_need(world.leuven, Need.INTERNET)
    assert services_for_need(world.leuven, "nonsense") == []
    other = services_for_need(world.other, Need.DEVICE)
    assert world.service_zegers in other
    assert all(service.network_id == world.other.pk for service in other)


def test_each_need_maps_to_the_agreed_kinds(world):
    made = {}
    for kind in ServiceKind:
        made[kind] = Service.objects.create(
            network=world.leuven, name=f"Dienst {kind}", kind=kind, organisation=world.org_b
        )

    def kinds(need):
        return {service.kind for service in services_for_need(world.leuven, need)}

    assert kinds(Need.DEVICE) == {"device_loan", "device_gift"}
    assert kinds(Need.INTERNET) == {"internet_tariff"}
    assert kinds(Need.SKILLS) == {"course"}
    assert kinds(Need.ONE_TO_ONE) == {"digibuddy"}
    assert kinds(Need.TASK_HELP) == {"help_hours", "task_help"}
