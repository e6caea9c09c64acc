import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from digibank.accounts.models import User
from digibank.demo import data
from digibank.demo.services import demo_load
from digibank.devices.models import Device
from digibank.lending.models import WaitingListEntry
from digibank.networks.models import District, Membership, Network
from digibank.organisations.models import ContactPerson, Organisation
from digibank.residents.models import EligibilityProof, Resident, ResidentAccess, TimelineEntry

from .. import factories as f
from ..sharing import module_data

MODELS = [
    Network,
    District,
    Organisation,
    ContactPerson,
    User,
    Membership,
    Resident,
    ResidentAccess,
    EligibilityProof,
    TimelineEntry,
]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def snapshot() -> list[tuple]:
    """The residents in detail, and how many rows every capability's demo wrote."""
    from django.apps import apps

    counts = sorted(
        (model._meta.label, model.objects.count())
        for model in apps.get_models()
        if model.__module__.startswith("digibank.")
    )
    return counts + list(
        Resident.objects.order_by("network__slug", "last_name", "first_name", "birth_year").values_list(
            "network__slug",
            "first_name",
            "last_name",
            "birth_year",
            "postcode",
            "languages",
            "preferred_channel",
            "email",
            "registered_by_organisation__name",
        )
    )


demo_data = module_data(demo_load, name="demo_data")


@pytest.fixture
def demo(demo_data, db):
    """The demo networks, loaded once for the module (the log-ins it returned)."""
    return demo_data.get()


def test_it_builds_the_leuven_network_from_the_seed(demo):
    leuven = Network.objects.get(slug="leuven-demo")
    assert leuven.is_demo and leuven.name == "Iedereen Digitaal @ Leuven (demo)"
    districts = dict(District.objects.in_network(leuven).values_list("name", "postcodes"))
    assert districts == {
        "Leuven": "3000",
        "Heverlee": "3001",
        "Kessel-Lo": "3010",
        "Wilsele": "3012",
        "Wijgmaal": "3018",
    }
    names = set(Organisation.objects.in_network(leuven).values_list("name", flat=True))
    assert {"Stad Leuven", "OCMW Leuven", "CAW Oost-Brabant", "VDAB Vlaams-Brabant", "CVO Volt"} <= names
    assert len(names) >= 24
    assert Resident.objects.in_network(leuven).count() == 300
    # Every contact person is marked as demo.
    assert all("(demo)" in c.function for c in ContactPerson.objects.in_network(leuven))


def test_the_residents_respect_the_data_rules(demo):
    residents = list(Resident.objects.all())
    for resident in residents:
        resident.full_clean(exclude=["created_by"])  # None: a partner worker without a demo account
        assert resident.postcode in resident.district.postcode_list()
        if resident.preferred_channel == "email":
            assert resident.email
        if resident.preferred_channel in {"phone", "sms"}:
            assert resident.phone
        if resident.preferred_channel == "letter":
            assert resident.street and resident.city
        if resident.legal_basis == "consent":
            assert resident.consent_date is not None
    languages = {code for r in residents for code in r.language_list()}
    assert {"nl", "fr", "en", "ar", "tr", "ru", "uk", "ps"} <= languages
    assert EligibilityProof.objects.exists()
    registered = TimelineEntry.objects.filter(kind="registered")
    assert registered.count() == len(residents)


def test_partner_registrations_give_their_organisation_access(demo):
    for resident in Resident.objects.filter(registered_by_organisation__isnull=False):
        assert resident.accesses.filter(organisation=resident.registered_by_organisation).exists()


def test_running_it_twice_changes_nothing(demo):
    before, rows = counts(), snapshot()
    demo_load()
    assert counts() == before
    assert snapshot() == rows


def test_it_is_deterministic(db):
    """Two loads into an empty database give the same data (the first is rolled back)."""
    from django.db import transaction

    with transaction.atomic():
        demo_load()
        first = snapshot()
        transaction.set_rollback(True)
    assert not Resident.objects.exists()
    demo_load()
    assert snapshot() == first


def test_every_printed_log_in_works(demo):
    assert {row["username"] for row in demo} >= {
        "coordinator",
        "servicedesk",
        "partner.ocmw",
        "partner.buurtwerk",
        "digipunt",
        "vorming",
        "vrijwilliger",
        "stuurgroep",
        "coordinator.demostad",
    }
    for row in demo:
        client = Client()
        # Through the log-in page, as a person does (throttling needs the request).
        answer = client.post("/accounts/login/", {"username": row["username"], "password": row["password"]})
        assert answer.status_code == 302, row["username"]
        response = client.get("/")
        assert response.status_code == 200, row["username"]


def test_there_is_one_user_per_role_and_partner_roles_have_an_organisation(demo):
    leuven = Network.objects.get(slug="leuven-demo")
    roles = set(Membership.objects.in_network(leuven).values_list("role", flat=True))
    assert roles == {
        "coordinator",
        "service_desk",
        "partner_worker",
        "digipunt_staff",
        "course_provider",
        "volunteer",
        "steering_viewer",
    }
    for m in Membership.objects.filter(role__in=["partner_worker", "course_provider"]):
        assert m.organisation is not None and m.organisation.network_id == m.network_id


def test_the_leuven_coordinator_also_works_in_demostad(demo):
    networks = set(
        Membership.objects.filter(user__username="coordinator").values_list("network__slug", flat=True)
    )
    assert networks == {"leuven-demo", "demostad-demo"}
    demostad = Network.objects.get(slug="demostad-demo")
    assert Membership.objects.in_network(demostad).filter(user__username="coordinator.demostad").exists()
    assert Resident.objects.in_network(demostad).exists()


@pytest.mark.parametrize(
    ("username", "organisation"),
    [("partner.ocmw", "OCMW Leuven"), ("partner.buurtwerk", "Buurtwerk 't Lampeke")],
)
def test_partner_users_see_only_their_own_organisations_residents(demo, username, organisation):
    membership = Membership.objects.get(user__username=username, network__slug="leuven-demo")
    visible = Resident.objects.visible_to(membership)
    assert 0 < visible.count() < Resident.objects.in_network(membership.network).count()
    for resident in visible:
        assert resident.accesses.filter(organisation__name=organisation).exists()


def test_the_demo_networks_stay_apart(demo):
    demostad = Network.objects.get(slug="demostad-demo")
    coordinator = Membership.objects.get(user__username="coordinator.demostad")
    assert set(Resident.objects.visible_to(coordinator).values_list("network_id", flat=True)) == {demostad.pk}


def test_residents_can_call_the_network_its_number_is_on_the_public_site(demo, client):
    """The texts say "call us": the number must be there, on every public page's footer."""
    for network in Network.objects.filter(is_demo=True):
        assert network.contact_phone
        page = client.get(f"/site/{network.slug}/")
        assert page.status_code == 200 and network.contact_phone in page.content.decode()


def test_devices_are_registered_after_their_batch_came_in(demo):
    early = [
        device.asset_tag
        for device in Device.objects.filter(batch__isnull=False).select_related("batch")
        if timezone.localtime(device.created_at).date() < device.batch.received_on
    ]
    assert early == []


def test_the_stock_and_the_waiting_list_tell_the_same_story(demo):
    """No shelf of ready laptops while people wait: those would have been offered."""
    for network in Network.objects.filter(is_demo=True):
        waiting = WaitingListEntry.objects.in_network(network).filter(status="waiting").count()
        ready = Device.objects.in_network(network).filter(status="ready", kind="laptop").count()
        assert waiting > 0
        assert ready <= 5, (network.slug, ready, waiting)


def test_the_command_prints_the_log_ins(demo):
    out = io.StringIO()
    call_command("demo", stdout=out)
    text = out.getvalue()
    for username in ["coordinator", "partner.ocmw", "stuurgroep", "coordinator.demostad"]:
        assert username in text
    assert data.DEMO_PASSWORD in text and "/accounts/login/" in text


def test_if_empty_does_nothing_when_a_network_exists(db):
    f.NetworkFactory(slug="real-city")
    out = io.StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert Network.objects.count() == 1
    assert not Resident.objects.exists() and not User.objects.exists()
    assert "not loaded" in out.getvalue()


def test_if_empty_loads_the_demo_on_an_empty_database(db):
    out = io.StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert Network.objects.filter(is_demo=True).count() == 2
    assert "coordinator.demostad" in out.getvalue() and data.DEMO_PASSWORD in out.getvalue()
