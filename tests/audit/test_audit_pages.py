"""The coordinator's audit pages: the network's trail, per resident and per staff member."""

import pytest
from django.urls import reverse

from digibank.audit.models import AuditEntry
from digibank.networks.models import Membership

from .. import factories as f

LIST = reverse("audit:list")


def for_resident(resident) -> str:
    return reverse("residents:audit", kwargs={"pk": resident.pk})


def for_member(user, network) -> str:
    membership = Membership.objects.get(user=user, network=network)
    return reverse("audit:member", kwargs={"pk": membership.pk})


def entry(world, resident, actor, action="view", network=None, source="/residents/"):
    return AuditEntry.objects.create(
        network=network or world.leuven,
        subject_kind="resident",
        subject_id=resident.pk,
        actor=actor,
        action=action,
        source=source,
    )


@pytest.fixture(autouse=True)
def empty_trail(world):
    """Start from an empty trail: other areas' world extensions may have written entries."""
    AuditEntry.objects.all().delete()


@pytest.fixture
def trail(world):
    return [
        entry(world, world.resident_a, world.partner_a),
        entry(world, world.resident_a, world.desk, action="update"),
        entry(world, world.resident_desk, world.desk),
        entry(world, world.resident_other, world.outsider, network=world.other),
    ]


def test_the_coordinator_sees_the_networks_recent_entries_newest_first(world, client_for, trail):
    response = client_for(world.coordinator).get(LIST)
    assert response.status_code == 200
    assert response.context["entries"] == trail[2::-1]
    assert "Zegers" not in response.text


def test_the_trail_filters_by_action(world, client_for, trail):
    response = client_for(world.coordinator).get(LIST, {"action": "update"})
    assert response.context["entries"] == [trail[1]]
    assert client_for(world.coordinator).get(LIST, {"action": "junk"}).context["entries"] == trail[2::-1]


def test_the_per_resident_page_shows_only_entries_about_that_resident(world, client_for, trail):
    response = client_for(world.coordinator).get(for_resident(world.resident_a))
    assert response.context["entries"] == [trail[1], trail[0]]
    assert "Amira Aerts" in response.text


def test_the_per_member_page_shows_only_what_that_member_did(world, client_for, trail):
    response = client_for(world.coordinator).get(for_member(world.desk, world.leuven))
    assert response.context["entries"] == [trail[2], trail[1]]
    assert response.context["member"].user == world.desk


def test_entries_link_to_the_member_and_the_resident_pages(world, client_for, trail):
    text = client_for(world.coordinator).get(LIST).text
    assert for_member(world.desk, world.leuven) in text
    assert for_member(world.partner_a, world.leuven) in text
    assert for_resident(world.resident_a) in text


def test_the_resident_page_links_to_its_audit_trail_for_the_coordinator_only(world, client_for):
    detail = reverse("residents:detail", kwargs={"pk": world.resident_a.pk})
    assert for_resident(world.resident_a) in client_for(world.coordinator).get(detail).text
    assert for_resident(world.resident_a) not in client_for(world.desk).get(detail).text


def test_another_networks_resident_or_member_is_404(world, client_for, trail):
    client = client_for(world.coordinator)
    assert client.get(for_resident(world.resident_other)).status_code == 404
    assert client.get(for_member(world.outsider, world.other)).status_code == 404
    assert client_for(world.outsider).get(for_resident(world.resident_a)).status_code == 404


def test_the_outsider_sees_only_their_own_networks_trail(world, client_for, trail):
    response = client_for(world.outsider).get(LIST)
    assert response.context["entries"] == [trail[3]]
    assert "Aerts" not in response.text


@pytest.mark.parametrize("actor", ["desk", "partner_a", "digipunt", "steering", "volunteer"])
def test_only_the_coordinator_reads_the_audit_trail(world, client_for, trail, actor):
    client = client_for(getattr(world, actor))
    assert client.get(LIST).status_code == 403
    assert client.get(for_resident(world.resident_a)).status_code == 403
    assert client.get(for_member(world.desk, world.leuven)).status_code == 403


def test_an_erased_resident_keeps_their_audit_trail(world, client_for, trail):
    from digibank.residents import services

    services.resident_erase(resident=world.resident_a, actor=world.coordinator, source="test")
    response = client_for(world.coordinator).get(for_resident(world.resident_a))
    assert len(response.context["entries"]) == 3
    assert "Amira" not in response.text


def test_the_trail_is_paginated(world, client_for):
    AuditEntry.objects.bulk_create(
        AuditEntry(
            network=world.leuven,
            subject_kind="resident",
            subject_id=world.resident_a.pk,
            actor=world.desk,
            action="view",
            source="/",
        )
        for _ in range(60)
    )
    client = client_for(world.coordinator)
    assert len(client.get(LIST).context["entries"]) == 50
    assert len(client.get(LIST, {"page": 2}).context["entries"]) == 10


def test_the_audit_pages_use_a_constant_number_of_queries(world, client_for, django_assert_max_num_queries):
    client = client_for(world.coordinator)
    pages = [LIST, for_resident(world.resident_a), for_member(world.desk, world.leuven)]
    entry(world, world.resident_a, world.desk)
    counts = {}
    for page in pages:
        with django_assert_max_num_queries(12) as few:
            client.get(page)
        counts[page] = len(few.captured_queries)
    residents = f.ResidentFactory.create_batch(5, network=world.leuven)
    for number in range(40):
        actor = [world.desk, world.partner_a, world.digipunt, world.coordinator][number % 4]
        entry(world, world.resident_a if number % 2 else residents[number % 5], actor)
    for page in pages:
        with django_assert_max_num_queries(counts[page]):
            client.get(page)


def test_viewing_a_resident_appears_in_the_trail(world, client_for):
    client_for(world.desk).get(reverse("residents:detail", kwargs={"pk": world.resident_a.pk}))
    response = client_for(world.coordinator).get(for_resident(world.resident_a))
    [only] = response.context["entries"]
    assert (only.actor, only.action) == (world.desk, "view")
    assert reverse("residents:detail", kwargs={"pk": world.resident_a.pk}) in response.text
