"""Help-hour shifts: the next weeks' sessions, who helps, where helpers are missing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from digibank.networks.access import staff_view

from .. import selectors, services
from ..forms import ShiftForm

WEEK_CHOICES = [2, 4, 8]


@require_GET
@staff_view("shift.signup")
def board(request: HttpRequest) -> HttpResponse:
    membership = request.membership
    weeks = int(request.GET["weeks"]) if request.GET.get("weeks") in {str(w) for w in WEEK_CHOICES} else 4
    gaps_only = request.GET.get("gaps") == "1"
    rows = selectors.shift_board(membership=membership, weeks=weeks, gaps_only=gaps_only)
    context = {
        "rows": rows,
        "weeks": weeks,
        "week_choices": WEEK_CHOICES,
        "gaps_only": gaps_only,
        "gap_count": sum(1 for row in rows if row.is_gap),
        "show_names": membership.role in selectors.SHIFT_ORGANISERS,
        "mine": [row for row in rows if row.mine],
    }
    return render(request, "digipunten/shifts.html", context)


def _shift_action(request: HttpRequest, action) -> HttpResponse:
    form = ShiftForm(request.POST, membership=request.membership)
    if not form.is_valid():
        messages.error(request, _("Choose a help session and a date."))
        return redirect("digipunten:shifts")
    try:
        done = action(
            membership=request.membership,
            session=form.cleaned_data["session"],
            date=form.cleaned_data["date"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        return done
    return redirect("digipunten:shifts")


@require_POST
@staff_view("shift.signup")
def signup(request: HttpRequest) -> HttpResponse:
    def act(**kwargs):
        shift = services.shift_signup(**kwargs)
        messages.success(
            request,
            _("You help at %(session)s on %(date)s. Thank you!")
            % {"session": shift.session.digipunt.name, "date": f"{shift.date:%d/%m/%Y}"},
        )
        return redirect("digipunten:shifts")

    return _shift_action(request, act)


@require_POST
@staff_view("shift.signup")
def withdraw(request: HttpRequest) -> HttpResponse:
    def act(**kwargs):
        if services.shift_withdraw(**kwargs):
            messages.success(request, _("You are no longer signed up for that date."))
        else:
            messages.error(request, _("You were not signed up for that date."))
        return redirect("digipunten:shifts")

    return _shift_action(request, act)
