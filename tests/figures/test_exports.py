"""Figures pages as CSV and XLSX: what the page shows, under the viewer's figures policy."""

from decimal import Decimal

import pytest
from django.urls import reverse

from digibank.lib.exports import page_figures
from tests.downloads import rows_of

EXPORTS = ["referrals:figures_export", "digipunten:figures_export", "devices:impact_export"]


def figures_of(rows) -> dict[tuple[str, str, str], object]:
    return {(table, row, col): value for table, row, col, value in rows[1:]}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_steering_group_gets_less_than_5_where_the_page_says_so(world, client_for, fmt):
    rows = rows_of(client_for(world.steering).get(reverse("referrals:figures_export"), {"format": fmt}))
    assert rows[0] == ["Table", "Row", "Column", "Figure"]
    figures = figures_of(rows)
    assert figures[("All requests", "All requests", "Requests")] == "< 5"
    page = client_for(world.steering).get(reverse("referrals:figures")).content.decode()
    assert "&lt; 5" in page


def test_the_desk_gets_the_plain_numbers(world, client_for):
    rows = rows_of(client_for(world.desk).get(reverse("referrals:figures_export"), {"format": "xlsx"}))
    assert figures_of(rows)[("All requests", "All requests", "Requests")] == 1


def test_another_network_sees_nothing_of_this_one(world, client_for):
    for name in EXPORTS:
        ours = rows_of(client_for(world.coordinator).get(reverse(name), {"format": "csv"}))
        theirs = rows_of(client_for(world.outsider).get(reverse(name), {"format": "csv"}))
        text = str(theirs)
        assert "Buurtwerk A" not in text and "Bibliotheek Tweebronnen" not in text, name
        assert len(ours) > 1, name
    digipunten = str(rows_of(client_for(world.coordinator).get(reverse("digipunten:figures_export"))))
    assert "Bibliotheek Tweebronnen (test)" in digipunten and "Zegers" not in digipunten


def test_roles_without_figures_view_get_403(world, client_for):
    for name in EXPORTS:
        for actor in (world.volunteer, world.partner_a, world.digipunt):
            assert client_for(actor).get(reverse(name)).status_code == 403, (name, actor)


def test_the_figures_export_runs_a_constant_number_of_queries(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.steering)
    for name in EXPORTS:
        with django_assert_max_num_queries(25):
            client.get(reverse(name), {"format": "xlsx"})


def test_the_page_reader_takes_cards_tables_and_definitions_and_skips_constants():
    html = (
        "<nav><table><tr><td>9</td></tr></table></nav><main><h1>Figures</h1>"
        '<ul class="cards"><li><a><strong>12</strong> help contacts</a></li>'
        "<li><strong>&lt; 5</strong> visitors</li></ul>"
        "<table><caption>By theme</caption>"
        "<thead><tr><th>Theme</th><th>Contacts</th><th>Solved</th></tr></thead>"
        '<tbody><tr><th scope="row">E-mail</th><td>1 234</td><td>46 %</td></tr>'
        '<tr><td colspan="3">No help contacts.</td></tr></tbody></table>'
        "<table data-constants><tr><th>Laptop</th><td>2</td></tr></table>"
        "<h2>Appointments</h2><dl><dt>No-shows</dt><dd>3,5</dd></dl></main>"
    )
    assert page_figures(html) == [
        ["Figures", "help contacts", "", 12],
        ["Figures", "visitors", "", "< 5"],
        ["By theme", "E-mail", "Contacts", 1234],
        ["By theme", "E-mail", "Solved", "46 %"],
        ["Appointments", "No-shows", "", Decimal("3.5")],
    ]
