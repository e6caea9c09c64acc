"""The figures page (figures.view): aggregates only, under the figures policy."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from digibank.figures import FiguresPolicy
from digibank.networks.access import staff_view

from ..figures import figures_as_shown, help_figures
from ..forms import FiguresForm


@require_GET
@staff_view("figures.view")
def figures(request: HttpRequest) -> HttpResponse:
    form = FiguresForm(request.GET or None)
    start, end = form.period()
    result = help_figures(network_id=request.membership.network_id, start=start, end=end)
    shown = figures_as_shown(result, FiguresPolicy.for_member(request.membership))
    return render(request, "digipunten/figures.html", {"form": form, "figures": shown})
