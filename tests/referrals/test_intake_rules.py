"""Intake rules: the cap on open requests per referring organisation, with exceptions."""

import pytest
from django.urls import reverse
from django.utils import timezone

from digibank.referrals.intake.selectors import (
    cap_refusal_message,
    intake_settings_for,
    open_request_cap_for,
    open_request_count,
)
from digibank.referrals.models import IntakeSettings, OrganisationCap, Request

from .. import factories as f

INTAKE = reverse("referrals:intake")
CAP_SET = reverse("referrals:cap_set")
CAP_REMOVE = reverse("referrals:cap_remove")


def settings_of(network, cap=None, days=5):
    """The network's rules (another area's test world may have saved the defaults already)."""
    settings, _created = IntakeSettings.objects.update_or_create(
        network=network, defaults={"open_request_cap": cap, "unreferred_alert_days": days}
    )
    return settings


def saved_rules(network):
    return list(
        IntakeSettings.objects.in_network(network).values_list("open_request_cap", "unreferred_alert_days")
    )


@pytest.fixture
def org_t(world):
    """A referring organisation of our own: no open requests from other areas' test worlds."""
    return f.OrganisationFactory(network=world.leuven, name="Buurthuis T")


def requests_from(world, organisation, count, status="new", network=None):
    network = network or world.leuven
    resident = world.resident_a if network == world.leuven else world.resident_other
    start = Request.objects.count()
    for number in range(count):
        Request.objects.create(
            network=network,
            reference=f"T-{start + number}",
            resident=resident,
            channel="partner",
            referred_by=organisation,
            status=status,
            created_at=timezone.now(),
        )


# --- the selectors ---------------------------------------------------------------------------


def test_there_is_no_cap_by_default(world, org_t):
    assert open_request_cap_for(network=world.leuven, organisation=org_t) is None
    assert cap_refusal_message(network=world.leuven, organisation=org_t) is None


def test_missing_rules_read_as_the_defaults_without_writing(db):
    network = f.NetworkFactory(slug="nieuw")
    defaults = intake_settings_for(network=network)
    assert defaults.pk is None and defaults.open_request_cap is None and defaults.unreferred_alert_days == 5
    assert not IntakeSettings.objects.filter(network=network).exists()


def test_the_network_cap_applies_to_every_referring_organisation(world):
    settings_of(world.leuven, cap=3)
    assert open_request_cap_for(network=world.leuven, organisation=world.org_a) == 3
    assert open_request_cap_for(network=world.leuven, organisation=world.org_b) == 3
    assert open_request_cap_for(network=world.other, organisation=world.org_other) is None
    # A network id does as well as the network (callers often hold only the id).
    assert open_request_cap_for(network=world.leuven.pk, organisation=world.org_a) == 3
    assert intake_settings_for(network=world.leuven.pk).open_request_cap == 3


def test_an_exception_comes_before_the_network_cap(world):
    settings_of(world.leuven, cap=3)
    OrganisationCap.objects.create(network=world.leuven, organisation=world.org_a, cap=10)
    OrganisationCap.objects.create(network=world.leuven, organisation=world.org_b, cap=None)
    assert open_request_cap_for(network=world.leuven, organisation=world.org_a) == 10
    assert open_request_cap_for(network=world.leuven, organisation=world.org_b) is None  # exempt


def test_an_exception_applies_even_when_the_network_has_no_cap(world):
    OrganisationCap.objects.create(network=world.leuven, organisation=world.org_a, cap=2)
    assert open_request_cap_for(network=world.leuven, organisation=world.org_a) == 2
    assert open_request_cap_for(network=world.leuven, organisation=world.org_b) is None


def test_a_request_without_a_referring_organisation_is_never_capped(world):
    settings_of(world.leuven, cap=1)
    assert open_request_cap_for(network=world.leuven, organisation=None) is None
    assert cap_refusal_message(network=world.leuven, organisation=None) is None


def test_only_open_requests_of_that_organisation_count(world, org_t):
    requests_from(world, org_t, 2)
    requests_from(world, org_t, 1, status="referred")
    requests_from(world, org_t, 1, status="follow_up")
    requests_from(world, org_t, 3, status="closed")
    requests_from(world, world.org_b, 4)
    assert open_request_count(network=world.leuven, organisation=org_t) == 4


def test_the_partner_is_told_why_a_new_request_is_refused_at_the_cap(world, org_t):
    settings_of(world.leuven, cap=2)
    requests_from(world, org_t, 1)
    assert cap_refusal_message(network=world.leuven, organisation=org_t) is None
    requests_from(world, org_t, 1)
    message = cap_refusal_message(network=world.leuven, organisation=org_t)
    assert "Buurthuis T already has 2 open requests" in message
    assert "at most 2 open requests per referring organisation" in message
    assert cap_refusal_message(network=world.leuven, organisation=org_t, open_count=1) is None
    other = f.OrganisationFactory(network=world.leuven, name="Buurthuis U")
    assert cap_refusal_message(network=world.leuven, organisation=other) is None


# --- the page -------------------------------------------------------------------------------


def test_the_coordinator_sees_the_defaults_and_saves_a_cap(world, client_for):
    IntakeSettings.objects.in_network(world.leuven).delete()
    client = client_for(world.coordinator)
    response = client.get(INTAKE)
    assert response.status_code == 200
    assert response.context["form"]["unreferred_alert_days"].value() == 5
    assert not IntakeSettings.objects.in_network(world.leuven).exists()  # reading writes nothing
    response = client.post(INTAKE, {"open_request_cap": "4", "unreferred_alert_days": "7"})
    assert response.status_code == 302
    saved = IntakeSettings.objects.get(network=world.leuven)
    assert (saved.open_request_cap, saved.unreferred_alert_days) == (4, 7)
    client.post(INTAKE, {"open_request_cap": "", "unreferred_alert_days": "7"})
    saved.refresh_from_db()
    assert saved.open_request_cap is None  # empty: the cap is off again
    assert IntakeSettings.objects.filter(network=world.leuven).count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"open_request_cap": "0", "unreferred_alert_days": "5"}, "open_request_cap"),
        ({"open_request_cap": "many", "unreferred_alert_days": "5"}, "open_request_cap"),
        ({"open_request_cap": "3", "unreferred_alert_days": ""}, "unreferred_alert_days"),
        ({"open_request_cap": "3", "unreferred_alert_days": "0"}, "unreferred_alert_days"),
        ({"open_request_cap": "3", "unreferred_alert_days": "1000"}, "unreferred_alert_days"),
    ],
)
def test_bad_intake_rules_are_refused_and_nothing_is_saved(world, client_for, data, field):
    before = saved_rules(world.leuven)
    response = client_for(world.coordinator).post(INTAKE, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert saved_rules(world.leuven) == before


def test_the_coordinator_adds_changes_and_removes_an_exception(world, client_for, org_t):
    client = client_for(world.coordinator)
    response = client.post(CAP_SET, {"cap-organisation": org_t.pk, "cap-cap": "6"})
    assert response.status_code == 302
    exception = OrganisationCap.objects.get(network=world.leuven, organisation=org_t)
    assert exception.cap == 6
    client.post(CAP_SET, {"cap-organisation": org_t.pk, "cap-cap": ""})
    exception.refresh_from_db()
    assert exception.cap is None
    assert OrganisationCap.objects.filter(network=world.leuven, organisation=org_t).count() == 1
    requests_from(world, org_t, 2)
    page = client.get(INTAKE)
    [shown] = [row for row in page.context["exceptions"] if row.organisation == org_t]
    assert shown.open_count == 2
    assert "Buurthuis T" in page.text
    response = client.post(CAP_REMOVE, {"exception": exception.pk}, follow=True)
    assert "Buurthuis T follows the network&#x27;s cap again." in response.text
    assert not OrganisationCap.objects.filter(network=world.leuven, organisation=org_t).exists()


def test_an_exception_for_an_organisation_of_another_network_is_refused(world, client_for):
    response = client_for(world.coordinator).post(
        CAP_SET, {"cap-organisation": world.org_other.pk, "cap-cap": "3"}
    )
    assert response.status_code == 200
    assert "organisation" in response.context["cap_form"].errors
    assert not OrganisationCap.objects.filter(organisation=world.org_other).exists()


def test_an_exception_of_zero_is_refused(world, client_for):
    response = client_for(world.coordinator).post(
        CAP_SET, {"cap-organisation": world.org_a.pk, "cap-cap": "0"}
    )
    assert response.status_code == 200
    assert "cap" in response.context["cap_form"].errors
    assert not OrganisationCap.objects.filter(organisation=world.org_a).exists()


def test_an_empty_or_foreign_remove_removes_nothing(world, client_for):
    mine = OrganisationCap.objects.create(network=world.leuven, organisation=world.org_a, cap=2)
    theirs = OrganisationCap.objects.create(network=world.other, organisation=world.org_other, cap=2)
    client = client_for(world.coordinator)
    for data in ({}, {"exception": "x"}, {"exception": theirs.pk}):
        response = client.post(CAP_REMOVE, data, follow=True)
        assert "That exception was not found. Nothing was removed." in response.text
    assert set(OrganisationCap.objects.all()) == {mine, theirs}


def test_each_network_sees_its_own_exceptions_only(world, client_for):
    OrganisationCap.objects.create(network=world.other, organisation=world.org_other, cap=2)
    response = client_for(world.coordinator).get(INTAKE)
    assert all(row.network_id == world.leuven.pk for row in response.context["exceptions"])
    assert "Partner elders" not in response.text


@pytest.mark.parametrize("actor", ["desk", "partner_a", "digipunt", "provider", "steering", "volunteer"])
def test_only_the_coordinator_may_change_the_intake_rules(world, client_for, actor):
    client = client_for(getattr(world, actor))
    exception = OrganisationCap.objects.create(network=world.leuven, organisation=world.org_b, cap=2)
    rules, exceptions = saved_rules(world.leuven), list(OrganisationCap.objects.all())
    assert client.get(INTAKE).status_code == 403
    assert client.post(INTAKE, {"open_request_cap": "1", "unreferred_alert_days": "5"}).status_code == 403
    assert client.post(CAP_SET, {"cap-organisation": world.org_a.pk, "cap-cap": "1"}).status_code == 403
    assert client.post(CAP_REMOVE, {"exception": exception.pk}).status_code == 403
    assert saved_rules(world.leuven) == rules
    assert list(OrganisationCap.objects.all()) == exceptions


def test_a_new_organisation_can_be_picked_for_an_exception(world, client_for, org_t):
    response = client_for(world.coordinator).get(INTAKE)
    choices = response.context["cap_form"].fields["organisation"].queryset
    assert org_t in choices and world.org_other not in choices
