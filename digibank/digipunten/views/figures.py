"""The figures page (figures.view): aggregates only."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from digibank.networks.access import staff_view

from ..figures import help_figures
from ..forms import FiguresForm

HEAT_LEVELS = 4


def _heat(count: int, maximum: int) -> int:
    """0..4 for the shading of a cell (the number is always shown too: colour is not the only cue)."""
    if not count or not maximum:
        return 0
    return max(1, round(HEAT_LEVELS * count / maximum))


@require_GET
@staff_view("figures.view")
def figures(request: HttpRequest) -> HttpResponse:
    form = FiguresForm(request.GET or None)
    start, end = form.period()
    result = help_figures(network_id=request.membership.network_id, start=start, end=end)
    grid = [
        (label, [(count, _heat(count, result.grid.maximum)) for count in counts])
        for label, counts in result.grid.rows
    ]
    return render(request, "digipunten/figures.html", {"form": form, "figures": result, "grid": grid})
