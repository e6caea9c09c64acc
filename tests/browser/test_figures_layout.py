"""Figures tables sit side by side on a 1,280 px screen without running into each other."""

import pytest

from digibank.digipunten.models import Digipunt

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def overlaps(boxes: list[dict]) -> list[tuple[int, int]]:
    found = []
    for i, a in enumerate(boxes):
        for j, b in enumerate(boxes[i + 1 :], start=i + 1):
            apart = (
                a["x"] + a["width"] <= b["x"] + 0.5
                or b["x"] + b["width"] <= a["x"] + 0.5
                or a["y"] + a["height"] <= b["y"] + 0.5
                or b["y"] + b["height"] <= a["y"] + 0.5
            )
            if not apart:
                found.append((i, j))
    return found


def test_the_figures_tables_do_not_overlap_at_1280_px(page, world, assert_accessible):
    # A long digipunt name widens its table, as real names do.
    Digipunt.objects.filter(pk=world.dp.pk).update(
        name="Sociaal Huis Leuven – Ontmoetingsruimte en digitale hulp op de benedenverdieping"
    )
    login(page, "coordinator")
    page.goto(page.base_url + "/digipunten/figures/?start=2000-01-01&end=2099-12-31")
    tables = page.locator(".grid table")
    assert tables.count() >= 4
    boxes = [tables.nth(i).bounding_box() for i in range(tables.count())]
    assert overlaps(boxes) == []
    # Each table stays inside its column of the grid (else it runs under its neighbour).
    cells = page.locator(".grid > *")
    for i in range(cells.count()):
        cell = cells.nth(i).bounding_box()
        for table in cells.nth(i).locator("table").all():
            box = table.bounding_box()
            assert box["x"] + box["width"] <= cell["x"] + cell["width"] + 0.5, i
    # Nothing sticks out of the page either.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert_accessible(page)
