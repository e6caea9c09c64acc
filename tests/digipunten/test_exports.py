"""Help contacts as CSV and XLSX: scoped (a volunteer: their own), nothing personal, constant queries."""

import datetime

import pytest
from django.urls import reverse

from digibank.digipunten import services
from digibank.digipunten.models import HelpContact
from tests.downloads import column, rows_of


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_help_contacts_of_the_network_are_exported(world, client_for, fmt):
    rows = rows_of(client_for(world.coordinator).get(reverse("digipunten:contacts_export"), {"format": fmt}))
    assert rows[0][:3] == ["When", "Where", "Theme"]
    assert column(rows, "Where") == ["Bibliotheek Tweebronnen (test)"]
    when = column(rows, "When")[0]
    assert (
        isinstance(when, datetime.datetime)
        if fmt == "xlsx"
        else datetime.datetime.strptime(when, "%d/%m/%Y %H:%M")
    )
    assert "Zegers" not in str(rows)


def test_a_volunteer_exports_only_their_own_contacts_and_others_get_403(world, client_for):
    assert HelpContact.objects.filter(network=world.leuven).exclude(registered_by=world.volunteer).exists()
    rows = rows_of(client_for(world.volunteer).get(reverse("digipunten:contacts_export")))
    assert (
        len(rows)
        == 1 + HelpContact.objects.filter(network=world.leuven, registered_by=world.volunteer).count()
    )
    for actor in (world.partner_a, world.steering):
        assert client_for(actor).get(reverse("digipunten:contacts_export")).status_code == 403
    rows = rows_of(client_for(world.outsider).get(reverse("digipunten:contacts_export")))
    assert column(rows, "Where") == ["Zegers digipunt"]


def test_the_page_links_to_both_formats(world, client_for):
    body = client_for(world.digipunt).get(reverse("digipunten:contacts")).content.decode()
    assert f"{reverse('digipunten:contacts_export')}?format=csv" in body
    assert f"{reverse('digipunten:contacts_export')}?format=xlsx" in body


def test_the_help_contacts_export_runs_a_constant_number_of_queries(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.coordinator)
    with django_assert_max_num_queries(12) as before:
        client.get(reverse("digipunten:contacts_export"), {"format": "xlsx"})
    membership = world.digipunt.memberships.get()
    for minutes in (5, 15, 25):
        services.helpcontact_register(
            membership=membership,
            actor=world.digipunt,
            digipunt=world.dp,
            theme=world.theme,
            outcome="solved",
            minutes=minutes,
            language="fr",
        )
    with django_assert_max_num_queries(len(before.captured_queries)):
        rows = rows_of(client.get(reverse("digipunten:contacts_export"), {"format": "xlsx"}))
    assert sorted(column(rows, "Minutes")) == [5, 10, 15, 25]
