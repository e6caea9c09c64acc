"""The social internet tariff: applications per resident, scoped through the resident's visibility."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from digibank.audit.models import AuditEntry
from digibank.referrals.models import TARIFF_OFFER_EXAMPLES, InternetTariffApplication, Referral, Request
from digibank.residents.models import EligibilityProof, TimelineEntry

from .. import factories as f

LIST = reverse("tariffs:list")
TODAY = timezone.localdate()


def page_of(resident) -> str:
    return reverse("tariffs:resident", kwargs={"pk": resident.pk})


def offers(response) -> set[str]:
    return {application.offer for application in response.context["applications"]}


def application_for(resident, **values) -> InternetTariffApplication:
    values.setdefault("offer", "Sociaal internetaanbod – Proximus")
    return InternetTariffApplication.objects.create(network=resident.network, resident=resident, **values)


def new_data(**overrides) -> dict:
    data = {
        "offer": "Sociaal internetaanbod – Telenet",
        "eligibility_basis": "Living wage",
        "applied_on": "",
        "outcome": "preparing",
        "follow_up_on": (TODAY + datetime.timedelta(days=7)).isoformat(),
        "notes": "Attest OCMW vragen",
        "referral": "",
    }
    data.update(overrides)
    return data


# --- the list -------------------------------------------------------------------------------


def test_the_desk_sees_every_application_of_the_network(world, client_for):
    application_for(world.resident_desk)
    response = client_for(world.desk).get(LIST)
    assert response.status_code == 200
    assert offers(response) == {"Telenet Essential Internet", "Sociaal internetaanbod – Proximus"}
    assert "Zegers" not in response.text


def test_a_partner_sees_only_applications_of_residents_they_may_see(world, client_for):
    application_for(world.resident_desk)
    assert offers(client_for(world.partner_a).get(LIST)) == {"Telenet Essential Internet"}
    response = client_for(world.partner_b).get(LIST)
    assert offers(response) == set()
    assert "Amira" not in response.text and "Aerts" not in response.text


def test_applications_of_erased_residents_are_left_off_the_list(world, client_for):
    world.resident_a.erased_at = timezone.now()
    world.resident_a.save()
    assert offers(client_for(world.desk).get(LIST)) == set()


def test_the_list_filters_by_outcome_and_by_follow_up_due(world, client_for):
    application_for(world.resident_desk, outcome="applied", applied_on=TODAY, follow_up_on=TODAY)
    application_for(
        world.resident_desk,
        offer="Overdue",
        outcome="applied",
        applied_on=TODAY,
        follow_up_on=TODAY - datetime.timedelta(days=3),
    )
    application_for(world.resident_desk, offer="Later", follow_up_on=TODAY + datetime.timedelta(days=3))
    application_for(
        world.resident_desk,
        offer="Done",
        outcome="granted",
        applied_on=TODAY,
        follow_up_on=TODAY - datetime.timedelta(days=3),
    )
    client = client_for(world.desk)
    assert offers(client.get(LIST, {"outcome": "granted"})) == {"Done"}
    due = client.get(LIST, {"due": "on"})
    assert offers(due) == {"Sociaal internetaanbod – Proximus", "Overdue"}
    assert "overdue" in due.text and "today" in due.text
    assert offers(client.get(LIST, {"outcome": "nonsense"})) == offers(client.get(LIST))


def test_the_list_writes_the_listed_residents_to_the_audit_trail(world, client_for):
    client_for(world.desk).get(LIST)
    entry = AuditEntry.objects.get(network=world.leuven, actor=world.desk)
    assert (entry.subject_kind, entry.subject_id) == ("resident", world.resident_a.pk)
    assert entry.source == LIST


def test_the_list_needs_a_constant_number_of_queries(world, client_for, django_assert_max_num_queries):
    client = client_for(world.desk)
    client.get(LIST)
    with django_assert_max_num_queries(12) as few:
        client.get(LIST)
    for number in range(20):
        resident = f.ResidentFactory(network=world.leuven, last_name=f"Peeters{number}")
        application_for(resident, helped_by=world.desk)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert len(response.context["applications"]) == 21


@pytest.mark.parametrize("actor", ["volunteer", "steering", "provider"])
def test_roles_without_access_to_residents_may_not_see_the_list(world, client_for, actor):
    assert client_for(getattr(world, actor)).get(LIST).status_code == 403


# --- one resident's page --------------------------------------------------------------------


def test_the_page_suggests_offers_and_prefills_the_eligibility_from_valid_proofs(world, client_for):
    EligibilityProof.objects.create(
        network=world.leuven, resident=world.resident_a, kind="living_wage", seen_on=TODAY
    )
    EligibilityProof.objects.create(
        network=world.leuven,
        resident=world.resident_a,
        kind="debt_mediation",
        seen_on=TODAY - datetime.timedelta(days=400),
        valid_until=TODAY - datetime.timedelta(days=1),
    )
    response = client_for(world.partner_a).get(page_of(world.resident_a))
    assert response.status_code == 200
    assert response.context["form"]["eligibility_basis"].value() == "Living wage"
    assert 'list="tariff-offers"' in response.text
    assert '<datalist id="tariff-offers">' in response.text
    for offer in TARIFF_OFFER_EXAMPLES:
        assert f'<option value="{offer}">' in response.text
    assert "examples only" in response.text
    assert offers(response) == {"Telenet Essential Internet"}


def test_a_partner_records_an_application_for_their_resident(world, client_for):
    response = client_for(world.partner_a).post(page_of(world.resident_a), new_data())
    assert response.status_code == 302
    application = InternetTariffApplication.objects.get(offer="Sociaal internetaanbod – Telenet")
    assert application.network == world.leuven
    assert application.resident == world.resident_a
    assert application.helped_by == world.partner_a
    assert application.outcome == "preparing"
    line = TimelineEntry.objects.get(resident=world.resident_a, kind="tariff_started")
    assert "Sociaal internetaanbod – Telenet" in line.summary
    assert AuditEntry.objects.filter(
        subject_kind="resident", subject_id=world.resident_a.pk, action="create"
    ).exists()


def test_the_page_itself_is_audited_as_a_view_of_personal_data(world, client_for):
    client_for(world.desk).get(page_of(world.resident_a))
    assert AuditEntry.objects.filter(
        subject_kind="resident", subject_id=world.resident_a.pk, action="view", actor=world.desk
    ).exists()


def test_partner_b_cannot_reach_partner_as_resident_at_all(world, client_for):
    client = client_for(world.partner_b)
    assert client.get(page_of(world.resident_a)).status_code == 404
    assert client.post(page_of(world.resident_a), new_data()).status_code == 404
    url = page_of(world.resident_a) + f"?application={world.tariff_a.pk}"
    assert client.get(url).status_code == 404
    assert InternetTariffApplication.objects.filter(resident=world.resident_a).count() == 1


def test_an_application_cannot_be_reached_through_another_residents_page(world, client_for):
    mine = f.ResidentFactory(network=world.leuven, organisation=world.org_b, first_name="Bea")
    client = client_for(world.partner_b)
    assert client.get(page_of(mine)).status_code == 200
    response = client.get(page_of(mine) + f"?application={world.tariff_a.pk}")
    assert response.status_code == 404
    response = client.post(page_of(mine), new_data(application=world.tariff_a.pk, outcome="withdrawn"))
    assert response.status_code == 404
    world.tariff_a.refresh_from_db()
    assert world.tariff_a.outcome == "preparing"


def test_another_networks_resident_is_not_found(world, client_for):
    assert client_for(world.coordinator).get(page_of(world.resident_other)).status_code == 404
    response = client_for(world.coordinator).get(
        page_of(world.resident_a) + f"?application={world.tariff_other.pk}"
    )
    assert response.status_code == 404


def test_roles_that_may_not_change_residents_get_403(world, client_for):
    for actor in ["digipunt", "volunteer", "steering", "provider"]:
        assert (
            client_for(getattr(world, actor)).post(page_of(world.resident_a), new_data()).status_code == 403
        )
    assert InternetTariffApplication.objects.filter(resident=world.resident_a).count() == 1


def test_an_erased_resident_gets_no_new_applications(world, client_for):
    world.resident_a.erased_at = timezone.now()
    world.resident_a.save()
    assert client_for(world.coordinator).post(page_of(world.resident_a), new_data()).status_code == 404


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"offer": "   "}, "offer"),
        ({"outcome": "applied"}, "applied_on"),
        ({"outcome": "granted"}, "applied_on"),
        ({"outcome": "maybe"}, "outcome"),
        (
            {"applied_on": (TODAY + datetime.timedelta(days=1)).isoformat(), "outcome": "applied"},
            "applied_on",
        ),
        ({"follow_up_on": "31-02-2026"}, "follow_up_on"),
    ],
)
def test_bad_input_re_renders_with_an_error_and_saves_nothing(world, client_for, overrides, field):
    response = client_for(world.desk).post(page_of(world.resident_a), new_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert InternetTariffApplication.objects.filter(resident=world.resident_a).count() == 1
    assert not TimelineEntry.objects.filter(kind="tariff_started").exists()


def test_a_changed_outcome_goes_on_the_timeline(world, client_for):
    client = client_for(world.desk)
    url = page_of(world.resident_a)
    form = client.get(url + f"?application={world.tariff_a.pk}").context["form"]
    assert form.instance == world.tariff_a
    data = new_data(
        application=world.tariff_a.pk,
        offer="Telenet Essential Internet",
        outcome="applied",
        applied_on=TODAY.isoformat(),
    )
    assert client.post(url, data).status_code == 302
    world.tariff_a.refresh_from_db()
    assert world.tariff_a.outcome == "applied" and world.tariff_a.applied_on == TODAY
    assert world.tariff_a.helped_by == world.desk  # the first helper stays
    line = TimelineEntry.objects.get(resident=world.resident_a, kind="tariff_outcome")
    assert "Preparing the application → Applied" in line.summary
    # The same data again changes nothing and writes nothing.
    response = client.post(url, data, follow=True)
    assert "Nothing was changed." in response.text
    assert TimelineEntry.objects.filter(kind="tariff_outcome").count() == 1


def test_an_application_can_come_from_a_referral_of_the_same_resident(world, client_for):
    def referral_for(resident, reference):
        request = Request.objects.create(
            network=world.leuven,
            reference=reference,
            resident=resident,
            channel="phone",
            created_at=timezone.now(),
        )
        return Referral.objects.create(
            network=world.leuven,
            request=request,
            service=world.service_internet,
            to_organisation=world.org_b,
            created_at=timezone.now(),
        )

    hers = referral_for(world.resident_a, "R-1")
    other = referral_for(world.resident_desk, "R-2")
    client = client_for(world.desk)
    response = client.get(page_of(world.resident_a) + f"?referral={hers.pk}")
    assert response.context["form"]["referral"].value() == hers.pk
    response = client.post(page_of(world.resident_a), new_data(referral=other.pk))
    assert response.status_code == 200
    assert "referral" in response.context["form"].errors
    assert client.post(page_of(world.resident_a), new_data(referral=hers.pk)).status_code == 302
    assert InternetTariffApplication.objects.get(referral=hers).resident == world.resident_a
