"""Intake: the request form for every role, the duplicate warning, the cap, references."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from digibank.referrals import services
from digibank.referrals.models import IntakeSettings, OrganisationCap, Request, RequestSequence
from digibank.residents.models import Resident, ResidentAccess, TimelineEntry
from digibank.residents.services import LikelyDuplicate
from tests import factories as f
from tests.residents.data import resident_data

from .helpers import make_request

CREATE = reverse("referrals:create")
YEAR = timezone.localdate().year


def need(**overrides):
    data = {"needs": ["device"], "description": "Needs a laptop for school", "urgency": "normal"}
    data.update(overrides)
    return data


def test_the_desk_registers_a_phone_request_for_an_existing_resident(world, client_for):
    data = need(resident=world.resident_desk.pk, channel="phone", urgency="high", consent_to_share="on")
    response = client_for(world.desk).post(CREATE, data)
    created = Request.objects.get(resident=world.resident_desk)
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:detail", kwargs={"pk": created.pk})
    assert created.reference == f"R{YEAR}-00002"  # the world's request is 00001
    assert (created.channel, created.urgency, created.status) == ("phone", "high", "new")
    assert created.referred_by is None and created.consent_to_share and created.created_by == world.desk
    assert created.needs == ["device"]
    assert TimelineEntry.objects.filter(resident=world.resident_desk, kind="request_received").exists()


def test_a_partner_worker_refers_on_behalf_of_their_organisation_whatever_they_post(world, client_for):
    data = need(resident=world.resident_a.pk, channel="phone", referred_by=world.org_b.pk)
    response = client_for(world.partner_a).post(CREATE, data)
    assert response.status_code == 302
    created = Request.objects.latest("pk")
    assert (created.channel, created.referred_by) == ("partner", world.org_a)


def test_digipunt_staff_register_requests_from_their_digipunt(world, client_for):
    client_for(world.digipunt).post(CREATE, need(resident=world.resident_desk.pk))
    created = Request.objects.latest("pk")
    assert (created.channel, created.referred_by) == ("digipunt", None)


def test_a_partner_can_only_choose_residents_their_organisation_may_see(world, client_for):
    before = Request.objects.count()
    response = client_for(world.partner_a).post(CREATE, need(resident=world.resident_desk.pk), follow=True)
    assert Request.objects.count() == before
    assert "Choose the resident first." in response.content.decode()


def test_the_resident_search_shows_only_residents_the_user_may_see(world, client_for):
    client = client_for(world.partner_b)
    text = client.get(CREATE, {"q": "Aerts"}).content.decode()
    assert "Amira" not in text
    text = client_for(world.partner_a).get(CREATE, {"q": "Aerts"}).content.decode()
    assert f"?resident={world.resident_a.pk}" in text


def test_a_partner_registers_a_new_resident_with_the_request(world, client_for):
    data = {"mode": "new", **resident_data(), **need(consent_to_share="on")}
    response = client_for(world.partner_a).post(CREATE, data)
    assert response.status_code == 302, response.context["form"].errors
    resident = Resident.objects.get(last_name="Janssens")
    created = Request.objects.get(resident=resident)
    assert resident.registered_by_organisation == world.org_a
    assert created.referred_by == world.org_a
    assert ResidentAccess.objects.filter(resident=resident, organisation=world.org_a).exists()


def test_a_likely_duplicate_is_shown_and_nothing_is_saved_until_confirmed(world, client_for):
    f.ResidentFactory(
        network=world.leuven, first_name="Jan", last_name="Janssens", birth_year=1958, postcode="3001"
    )
    client = client_for(world.desk)
    data = {"mode": "new", **resident_data(), **need(channel="phone")}
    before = (Request.objects.count(), Resident.objects.count())
    response = client.post(CREATE, data)
    assert response.status_code == 200
    assert "Maybe already registered" in response.content.decode()
    assert (Request.objects.count(), Resident.objects.count()) == before
    response = client.post(CREATE, {**data, "register_anyway": "on"})
    assert response.status_code == 302
    assert Resident.objects.filter(last_name="Janssens").count() == 2


def test_a_request_needs_at_least_one_need_and_nothing_is_saved_without(world, client_for):
    before = Request.objects.count()
    response = client_for(world.desk).post(
        CREATE, need(resident=world.resident_desk.pk, needs=[], channel="phone")
    )
    assert response.status_code == 200
    assert "needs" in response.context["form"].errors
    assert Request.objects.count() == before


def test_a_partner_referral_by_the_desk_needs_the_referring_organisation(world, client_for):
    response = client_for(world.desk).post(CREATE, need(resident=world.resident_desk.pk, channel="partner"))
    assert response.status_code == 200
    assert "referred_by" in response.context["form"].errors


# --- the cap ------------------------------------------------------------------------------


def test_a_partner_at_the_cap_is_refused_with_the_reason_and_nothing_is_saved(world, client_for):
    IntakeSettings.objects.update_or_create(network=world.leuven, defaults={"open_request_cap": 1})
    sequence_before = RequestSequence.objects.get(network=world.leuven).last
    data = {"mode": "new", **resident_data(), **need()}
    before = (Request.objects.count(), Resident.objects.count())
    response = client_for(world.partner_a).post(CREATE, data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "already has 1 open requests" in text and "at most 1 open requests" in text
    assert (Request.objects.count(), Resident.objects.count()) == before
    assert RequestSequence.objects.get(network=world.leuven).last == sequence_before


def test_the_cap_counts_only_open_requests_of_that_organisation(world):
    IntakeSettings.objects.update_or_create(network=world.leuven, defaults={"open_request_cap": 1})
    make_request(world, referred_by=world.org_b, actor=world.partner_b, resident=world.resident_desk)
    with pytest.raises(services.IntakeRefused):
        make_request(world, referred_by=world.org_b, actor=world.partner_b, resident=world.resident_desk)
    Request.objects.filter(referred_by=world.org_b).update(status="closed")
    assert make_request(world, referred_by=world.org_b, actor=world.partner_b, resident=world.resident_desk)


def test_an_organisation_exception_overrides_the_network_cap(world):
    IntakeSettings.objects.update_or_create(network=world.leuven, defaults={"open_request_cap": 1})
    exception = OrganisationCap.objects.create(network=world.leuven, organisation=world.org_a, cap=None)
    make_request(world)  # no cap for org_a
    exception.cap = 2
    exception.save()
    with pytest.raises(services.IntakeRefused):
        make_request(world)


def test_without_a_cap_nothing_is_refused(world):
    for _ in range(3):
        make_request(world)
    assert Request.objects.filter(referred_by=world.org_a).count() == 4


# --- references and the service function --------------------------------------------------


def test_references_count_per_network_and_year(world):
    assert world.request_a.reference == f"R{YEAR}-00001"
    assert world.request_other.reference == f"R{YEAR}-00001"
    assert make_request(world).reference == f"R{YEAR}-00002"
    assert make_request(world).reference == f"R{YEAR}-00003"


def test_the_public_site_can_register_a_request_with_a_new_resident(world):
    data = {
        "first_name": "Nadia",
        "last_name": "Nieuw",
        "birth_year": 1990,
        "postcode": "3001",
        "languages": "fr",
        "legal_basis": "consent",
        "consent_date": timezone.localdate(),
        "preferred_channel": "",
    }
    created = services.request_create(
        network=world.leuven,
        resident_data=data,
        needs=["internet"],
        channel="web",
        actor=None,
        source="public",
    )
    assert created.resident.last_name == "Nieuw" and created.resident.registered_by_organisation is None
    with pytest.raises(LikelyDuplicate) as caught:
        services.request_create(
            network=world.leuven, resident_data=data, needs=["internet"], channel="web", actor=None
        )
    assert caught.value.check.hidden and not caught.value.check.visible  # the public sees no one


def test_the_service_refuses_a_resident_of_another_network(world):
    with pytest.raises(ValidationError):
        services.request_create(
            network=world.leuven,
            resident=world.resident_other,
            needs=["device"],
            channel="phone",
            actor=world.desk,
        )


def test_a_partner_referral_gives_the_referring_organisation_access(world):
    make_request(world, resident=world.resident_desk, referred_by=world.org_b, actor=world.partner_b)
    access = ResidentAccess.objects.get(resident=world.resident_desk, organisation=world.org_b)
    assert access.reason == "referred"
