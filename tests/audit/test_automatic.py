"""The automatic audit (audit.shown): every staff page that shows a resident's name records it.

The authorization walk checks it for every URL and role; these tests pin the mechanism down.
"""

import pytest
from django.urls import reverse

from digibank.audit import shown
from digibank.audit.models import AuditEntry
from digibank.digipunten import selectors
from digibank.networks.models import Membership
from digibank.residents.models import Resident


def entries_about(resident, actor):
    return AuditEntry.objects.filter(subject_kind="resident", subject_id=resident.pk, actor=actor)


def free_slot_key(world):
    membership = Membership.objects.get(user=world.desk, network=world.leuven)
    return selectors.open_slots(membership=membership)[0].key


@pytest.mark.parametrize(
    "url_name", ["referrals:create", "digipunten:book"], ids=["new request", "book appointment"]
)
def test_a_page_chosen_for_a_resident_by_its_query_string_is_audited(world, client_for, url_name):
    resident = world.resident_desk
    before = entries_about(resident, world.desk).count()
    params = {"resident": resident.pk}
    if url_name == "digipunten:book":
        params["slot"] = free_slot_key(world)
    response = client_for(world.desk).get(reverse(url_name), params)
    assert response.status_code == 200
    assert resident.last_name in response.content.decode()
    entries = entries_about(resident, world.desk)
    assert entries.count() == before + 1
    entry = entries.latest("pk")
    assert entry.action == "view" and "name" in entry.fields
    assert entry.source == reverse(url_name)  # the path, never the query string


def test_a_page_that_loads_a_resident_without_showing_them_writes_nothing(world, client_for):
    resident = world.resident_desk
    before = AuditEntry.objects.count()
    # The request list's filter loads no name onto the page when nothing matches.
    response = client_for(world.desk).get(reverse("referrals:create"), {"q": "nobody-matches-this"})
    assert response.status_code == 200
    assert resident.last_name not in response.content.decode()
    assert AuditEntry.objects.count() == before


def test_a_view_that_records_its_own_entries_is_not_counted_twice(world, client_for):
    resident = world.resident_desk
    before = entries_about(resident, world.desk).count()
    response = client_for(world.desk).get(reverse("residents:detail", kwargs={"pk": resident.pk}))
    assert response.status_code == 200
    assert entries_about(resident, world.desk).count() == before + 1


def test_the_fields_shown_are_named_never_their_values():
    values = {"first_name": "Bart", "last_name": "O'Brien", "birth_year": 1961, "phone": "0470 12 34 56"}
    page = "<td>Bart O&#x27;Brien</td><td>1961</td>"
    assert shown.fields_shown(values, page) == ["name", "birth_year"]
    assert shown.fields_shown(values, "<td>Bart</td>") == []  # the name is not (all) there
    assert shown.fields_shown({"first_name": "Li", "last_name": "O"}, "<td>Li O</td>") == ["name"]
    erased = {"first_name": "— #12", "last_name": ""}
    assert shown.fields_shown(erased, "— #12") == []


def test_outside_a_request_nothing_is_noted(world):
    assert list(Resident.objects.filter(pk=world.resident_desk.pk))  # no error, no state


def test_a_resident_read_first_without_and_then_with_their_name_counts():
    values, token = shown.start()
    try:
        shown.resident_loaded(7, {})
        shown.resident_loaded(7, {"first_name": "Bart", "last_name": "Bosmans"})
        assert shown.fields_shown(values.loaded[7], "Bart Bosmans") == ["name"]
    finally:
        shown.stop(token)
