"""Every figures page a steering-group member can open shows no count between 1 and 4.

The walk opens every page behind the figures permission (``figures.view``: aggregates, read
from the views' declared access, so a new figures page is walked the moment it exists) and the
home page, as a member of the steering group, on the demo
network, whose realistic data has plenty of small groups, and on the figures pages with the
period widened to all the demo data. It reads every number standing alone in a table cell, a
definition or a highlighted figure; none may be 1, 2, 3 or 4. A second test turns the policy
off and shows the same walk finding small numbers, so the first one cannot pass by accident.
"""

import csv
import io
import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from openpyxl import load_workbook

from digibank.demo.services import demo_load
from digibank.figures import FiguresPolicy
from digibank.lib.exports import XLSX_TYPE
from digibank.networks.models import Membership, Network
from digibank.networks.roles import Role, role_has
from tests.sharing import module_data
from tests.test_authorization import KWARG, ROUTES

demo_data = module_data(demo_load, name="demo_data")

# A number on its own: "3", "1 234", "1.234" (thousands separators), nothing else in the cell.
ALONE = re.compile(r"^\d{1,3}(?:[ .\u00a0\u202f]\d{3})*$")
FIGURE_TAGS = {"td", "dd", "strong"}
ALL_TIME = {"since": "2000-01-01", "until": "2099-12-31", "start": "2000-01-01", "end": "2099-12-31"}


class Numbers(HTMLParser):
    """Numbers alone in <td>, <dd> or <strong> inside <main>, outside tables of constants."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.in_main = 0
        self.constants = 0
        self.found: list[str] = []
        self.text: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "main":
            self.in_main += 1
        if tag == "table" and "data-constants" in names:
            self.constants += 1
        if tag in FIGURE_TAGS and self.in_main and not self.constants:
            self.text = []
        self.stack.append((tag, "data-constants" in names))

    def handle_endtag(self, tag):
        if tag in FIGURE_TAGS and self.text is not None:
            value = "".join(self.text).strip()
            if ALONE.match(value):
                self.found.append(value)
            self.text = None
        if tag == "table" and self.stack and self.stack[-1] == ("table", True):
            self.constants -= 1
        if tag == "main":
            self.in_main -= 1
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self.text is not None:
            self.text.append(data)


def small_numbers(html: str) -> list[int]:
    parser = Numbers()
    parser.feed(html)
    return [n for value in parser.found if 0 < (n := int(re.sub(r"\D", "", value))) < 5]


FIGURES = "figures.view"


def steering_pages(network: Network) -> list[str]:
    """The home page and every figures page (without an object) of the network."""
    pages = ["/"]
    for route, view in ROUTES:
        access = view.access
        if access.model is not None or access.requirement != FIGURES:
            continue
        names = {m.group(2) for m in KWARG.finditer(route)}
        if names - {"network_slug"}:
            continue
        pages.append("/" + KWARG.sub(network.slug, route).replace("^", "").replace("$", ""))
    return pages


@pytest.fixture
def steering_client(demo_data, db):
    demo_data.get()
    network = Network.objects.get(slug="leuven-demo")
    member = (
        Membership.objects.filter(network=network, role=Role.STEERING_VIEWER).select_related("user").first()
    )
    assert member is not None, "the demo has a steering-group member"
    client = Client()
    client.force_login(member.user)
    return client, network


def small_numbers_in_download(response) -> list[int]:
    """The same rule for a CSV or XLSX export: every cell that is a number alone."""
    if response["Content-Type"] == XLSX_TYPE:
        sheet = load_workbook(io.BytesIO(response.content)).active
        # A number with decimals (a median of days, "3.0") is not a count, as on the page.
        cells = [c.value for row in sheet.iter_rows(min_row=2) for c in row if c.number_format == "General"]
    else:
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
        cells = [v for row in rows[1:] for v in row]
    numbers = [v for v in cells if isinstance(v, int) or (isinstance(v, str) and ALONE.match(v))]
    return [n for n in (int(re.sub(r"\D", "", str(v))) for v in numbers) if 0 < n < 5]


def walk(client, network) -> dict[str, list[int]]:
    """Every figures page, and every figures export as CSV and XLSX."""
    found = {}
    pages = steering_pages(network)
    for page in pages:
        for query in ({}, ALL_TIME, {"format": "xlsx"}, {**ALL_TIME, "format": "xlsx"}):
            response = client.get(page, query)
            kind = response.get("Content-Type", "")
            if response.status_code != 200:
                continue
            if "html" in kind:
                small = small_numbers(response.content.decode())
            elif kind.startswith("text/csv") or kind == XLSX_TYPE:
                small = small_numbers_in_download(response)
            else:
                continue
            if small:
                found[f"{page}?{'&'.join(query)}"] = small
    return found


def test_the_walk_reaches_the_figures_exports(steering_client):
    client, network = steering_client
    exports = [page for page in steering_pages(network) if page.endswith("/export/")]
    assert len(exports) >= 3, exports
    for page in exports:
        for fmt in ("csv", "xlsx"):
            response = client.get(page, {**ALL_TIME, "format": fmt})
            assert response.status_code == 200, page
            assert response["Content-Disposition"].startswith("attachment")
            if fmt == "csv":
                rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
                assert rows[0] == ["Table", "Row", "Column", "Figure"] and len(rows) > 5, page


def test_the_steering_group_sees_no_count_between_1_and_4_on_any_page(steering_client):
    client, network = steering_client
    pages = steering_pages(network)
    # The walk does reach the figures pages (requests, digipunten, impact of reuse) and the home page.
    assert role_has(Role.STEERING_VIEWER, FIGURES) and len(pages) >= 4, pages
    assert walk(client, network) == {}


def test_the_walk_finds_small_counts_when_the_policy_is_switched_off(steering_client, monkeypatch):
    client, network = steering_client
    monkeypatch.setattr(FiguresPolicy, "for_member", classmethod(lambda cls, membership: cls(suppress=False)))
    found = walk(client, network)
    assert found, "the demo data has small groups; with the policy off the walk must see them"
    downloads = {page for page in found if "/export/" in page}
    assert any("format" in page for page in downloads), "and must see them in the XLSX exports"
    assert any("format" not in page for page in downloads), "and in the CSV exports"


def test_the_parser_reads_numbers_alone_in_figure_cells_only():
    html = (
        "<main><table><tr><th>3</th><td>4</td><td>12</td><td>&lt; 5</td><td>2 %</td></tr></table>"
        "<dl><dd>1</dd></dl><p>3 devices</p><strong>1 234</strong>"
        "<table data-constants><tr><td>2</td></tr></table></main><td>2</td>"
    )
    assert small_numbers(html) == [4, 1]
