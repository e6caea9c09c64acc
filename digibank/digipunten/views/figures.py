"""The figures page (figures.view): aggregates only, under the figures policy."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from digibank.figures import FiguresPolicy
from digibank.lib.exports import figures_response
from digibank.networks.access import staff_view

from ..figures import figures_as_shown, help_figures
from ..forms import FiguresForm


@require_GET
@staff_view("figures.view")
def figures(request: HttpRequest) -> HttpResponse:
    return render(request, "digipunten/figures.html", _context(request))


def _context(request: HttpRequest) -> dict:
    form = FiguresForm(request.GET or None)
    start, end = form.period()
    result = help_figures(network_id=request.membership.network_id, start=start, end=end)
    shown = figures_as_shown(result, FiguresPolicy.for_member(request.membership))
    return {"form": form, "figures": shown}


@require_GET
@staff_view("figures.view")
def figures_export(request: HttpRequest) -> HttpResponse:
    """The figures page as CSV or XLSX: what it shows, under the same policy and period."""
    return figures_response(
        request,
        template="digipunten/figures.html",
        context=_context(request),
        fmt=request.GET.get("format", "csv"),
        filename="digipunten-figures",
        title=_("Digipunten figures"),
    )
