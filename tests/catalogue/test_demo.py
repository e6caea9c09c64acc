"""Demo data of the catalogue (Leuven's services) and of the intake rules and tariff applications."""

import random

import pytest
from django.utils import timezone

from digibank.accounts.models import User
from digibank.catalogue import demo as catalogue_demo
from digibank.catalogue.models import Service
from digibank.demo import data
from digibank.demo.services import demo_load as base_demo_load
from digibank.networks.models import Network
from digibank.referrals.intake import demo as intake_demo
from digibank.referrals.models import (
    IntakeSettings,
    InternetTariffApplication,
    OrganisationCap,
    TariffOutcome,
)
from digibank.referrals.tariffs import demo as tariffs_demo
from tests.sharing import module_data


def load_demo():
    base_demo_load()
    users = {user.username: user for user in User.objects.all()}
    leuven = Network.objects.get(slug=data.LEUVEN["slug"])
    demostad = Network.objects.get(slug=data.DEMOSTAD["slug"])
    for network in (leuven, demostad):
        load(network, random.Random(7), users)
    return leuven, demostad, users


def load(network, rng, users):
    catalogue_demo.demo_load(network=network, rng=rng, users=users)
    intake_demo.demo_load(network=network)
    tariffs_demo.demo_load(network=network, rng=rng, users=users)


demo_data = module_data(load_demo, name="demo_data")


@pytest.fixture
def demo(demo_data, db):
    """The demo networks with the catalogue's demo, loaded once for the module."""
    return demo_data.get()


def applications(network) -> list[tuple]:
    return list(
        InternetTariffApplication.objects.in_network(network)
        .order_by("resident__last_name", "resident__first_name", "resident__birth_year")
        .values_list("resident__last_name", "resident__first_name", "offer", "outcome", "applied_on")
    )


def test_leuven_gets_its_services_each_from_a_fitting_partner(demo):
    leuven, _demostad, _users = demo
    providers = dict(Service.objects.in_network(leuven).values_list("name", "organisation__name"))
    assert providers == {
        "Uitleendienst laptops": "Stad Leuven",
        "Schenking laptops": "OCMW Leuven",
        "Sociaal internettarief hulp": "CAW Oost-Brabant",
        "Digitale basisvaardigheden cursus": "Ligo Oost-Brabant",
        "Digibuddy": "Link in de Kabel",
        "Digitaal spreekuur": "Bibliotheek Leuven",
        "Hulp bij Tax-on-web": "ACV Leuven",
        "PC-dokter herstelling": "De Ruimtevaart",
    }
    loan = Service.objects.get(network=leuven, name="Uitleendienst laptops")
    assert loan.kind == "device_loan" and loan.has_waiting_list
    assert loan.criteria == ["increased_reimbursement", "living_wage", "debt_mediation", "referral"]


def test_leuven_gets_intake_rules_with_exceptions(demo):
    leuven, demostad, _users = demo
    assert IntakeSettings.objects.get(network=leuven).open_request_cap == 15
    caps = dict(OrganisationCap.objects.in_network(leuven).values_list("organisation__name", "cap"))
    assert caps == {"OCMW Leuven": None, "Buurtwerk 't Lampeke": 25, "Link in de Kabel": 5}
    assert IntakeSettings.objects.get(network=demostad).open_request_cap is None


def test_about_twenty_tariff_applications_cover_every_outcome(demo):
    leuven, demostad, _users = demo
    rows = InternetTariffApplication.objects.in_network(leuven)
    assert rows.count() == 20
    assert set(rows.values_list("outcome", flat=True)) == set(TariffOutcome.values)
    assert rows.values("resident").distinct().count() == 20
    assert all(row.eligibility_basis for row in rows)
    assert not rows.exclude(outcome="preparing").filter(applied_on__isnull=True).exists()
    assert rows.filter(follow_up_on__lte=timezone.localdate(), outcome__in=["preparing", "applied"]).exists()
    assert {row.helped_by.username for row in rows} == {"servicedesk"}
    assert InternetTariffApplication.objects.in_network(demostad).count() == 3


def test_loading_again_changes_nothing(demo):
    leuven, demostad, users = demo
    before = (Service.objects.count(), OrganisationCap.objects.count(), applications(leuven))
    for network in (leuven, demostad):
        load(network, random.Random(99), users)
    assert (Service.objects.count(), OrganisationCap.objects.count(), applications(leuven)) == before


def test_the_same_seed_gives_the_same_applications(demo):
    leuven, _demostad, users = demo
    runs = []
    for _ in range(2):
        InternetTariffApplication.objects.in_network(leuven).delete()
        tariffs_demo.demo_load(network=leuven, rng=random.Random(2022), users=users)
        runs.append(applications(leuven))
    assert runs[0] == runs[1] and len(runs[0]) == 20


def test_an_unknown_network_is_left_alone(db, world):
    before = Service.objects.in_network(world.leuven).count()
    load(world.leuven, random.Random(1), {})
    assert Service.objects.in_network(world.leuven).count() == before
