"""The directory of digipunten: list with "open now", detail, editing, hours, closures,
help sessions and the network's help themes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from digibank.lib.forms import add_errors
from digibank.networks.access import staff_view
from digibank.networks.models import District

from .. import selectors, services
from ..forms import (
    ClosureForm,
    DigipuntForm,
    HelpSessionForm,
    OpeningPeriodForm,
    ThemeForm,
)
from ..models import Closure, Digipunt, HelpSession, HelpTheme, OpeningPeriod

UPCOMING_CLOSURES = 20


@require_GET
@staff_view("digipunt.view")
def digipunt_list(request: HttpRequest) -> HttpResponse:
    membership = request.membership
    districts = list(District.objects.in_network(membership.network_id).order_by("name"))
    district = next((d for d in districts if str(d.pk) == request.GET.get("district")), None)
    rows = selectors.directory(membership=membership, district=district)
    context = {"rows": rows, "districts": districts, "district": district, "now": timezone.now()}
    template = "digipunten/list.html#results" if request.htmx else "digipunten/list.html"
    return render(request, template, context)


@require_GET
@staff_view("digipunt.view", model=Digipunt)
def digipunt_detail(request: HttpRequest, digipunt: Digipunt) -> HttpResponse:
    now = timezone.now()
    schedule = selectors.schedule_for(digipunt)
    today = timezone.localdate()
    context = {
        "digipunt": digipunt,
        "is_open": schedule.is_open(now),
        "open_until": schedule.open_until(now),
        "next_open": schedule.next_open(now),
        "week": schedule.week(today),
        "regular": selectors.regular_hours(digipunt),
        "closures": list(selectors.closures_for(digipunt)[:UPCOMING_CLOSURES]),
        "sessions": list(selectors.sessions_of(digipunt)),
        "visitors_today": selectors.tally_today(digipunt),
    }
    return render(request, "digipunten/detail.html", context)


@require_http_methods(["GET", "POST"])
@staff_view("digipunt.manage")
def digipunt_create(request: HttpRequest) -> HttpResponse:
    network_id = request.membership.network_id
    form = DigipuntForm(request.POST or None, network_id=network_id)
    if request.method == "POST" and form.is_valid():
        try:
            digipunt = services.digipunt_save(network=network_id, data=form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, _("%(name)s is added. Now enter its opening hours.") % {"name": digipunt.name}
            )
            return redirect("digipunten:hours", pk=digipunt.pk)
    return render(request, "digipunten/form.html", {"form": form, "digipunt": None})


@require_http_methods(["GET", "POST"])
@staff_view("digipunt.manage", model=Digipunt)
def digipunt_edit(request: HttpRequest, digipunt: Digipunt) -> HttpResponse:
    form = DigipuntForm(request.POST or None, instance=digipunt, network_id=digipunt.network_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.digipunt_save(network=digipunt.network_id, data=form.cleaned_data, digipunt=digipunt)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The digipunt is saved."))
            return redirect("digipunten:detail", pk=digipunt.pk)
    return render(request, "digipunten/form.html", {"form": form, "digipunt": digipunt})


def _lookup(model, request: HttpRequest, name: str, **filters):
    """A sub-object named in the POST data, through the scoped queryset and its parent."""
    value = request.POST.get(name, "")
    if not value.isdigit():
        return None
    return model.objects.visible_to(request.membership).filter(pk=int(value), **filters).first()


@require_http_methods(["GET", "POST"])
@staff_view("digipunt.manage", model=Digipunt)
def digipunt_hours(request: HttpRequest, digipunt: Digipunt) -> HttpResponse:
    """Regular hours and this digipunt's closures: add and remove (action in the POST data)."""
    action = request.POST.get("action") if request.method == "POST" else None
    period_form = OpeningPeriodForm(request.POST if action == "add_period" else None)
    closure_form = ClosureForm(request.POST if action == "add_closure" else None)
    if action == "add_period" and period_form.is_valid():
        try:
            services.opening_period_add(digipunt=digipunt, data=period_form.cleaned_data)
        except ValidationError as exc:
            add_errors(period_form, exc)
        else:
            messages.success(request, _("The opening hours are added."))
            return redirect("digipunten:hours", pk=digipunt.pk)
    elif action == "add_closure" and closure_form.is_valid():
        try:
            services.closure_add(
                network=digipunt.network_id, digipunt=digipunt, data=closure_form.cleaned_data
            )
        except ValidationError as exc:
            add_errors(closure_form, exc)
        else:
            messages.success(request, _("The closure is added."))
            return redirect("digipunten:hours", pk=digipunt.pk)
    elif action == "remove_period":
        period = _lookup(OpeningPeriod, request, "period", digipunt=digipunt)
        if period is None:
            messages.error(request, _("Choose opening hours to remove."))
        else:
            services.opening_period_remove(period=period)
            messages.success(request, _("The opening hours are removed."))
        return redirect("digipunten:hours", pk=digipunt.pk)
    elif action == "remove_closure":
        closure = _lookup(Closure, request, "closure", digipunt=digipunt)
        if closure is None:
            messages.error(request, _("Choose a closure to remove."))
        else:
            services.closure_remove(closure=closure)
            messages.success(request, _("The closure is removed."))
        return redirect("digipunten:hours", pk=digipunt.pk)
    elif request.method == "POST" and action not in {"add_period", "add_closure"}:
        messages.error(request, _("Nothing was changed."))
        return redirect("digipunten:hours", pk=digipunt.pk)
    context = {
        "digipunt": digipunt,
        "periods": list(selectors.opening_periods(digipunt)),
        "closures": list(selectors.closures_for(digipunt)),
        "period_form": period_form,
        "closure_form": closure_form,
    }
    return render(request, "digipunten/hours.html", context)


@require_http_methods(["GET", "POST"])
@staff_view("digipunt.manage")
def network_closures(request: HttpRequest) -> HttpResponse:
    """Exceptions for every digipunt of the network (public holidays)."""
    membership = request.membership
    action = request.POST.get("action") if request.method == "POST" else None
    form = ClosureForm(request.POST if action == "add_closure" else None)
    if action == "add_closure" and form.is_valid():
        try:
            services.closure_add(network=membership.network_id, data=form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The closure is added for every digipunt."))
            return redirect("digipunten:closures")
    elif action == "add_holidays":
        year = request.POST.get("year", "")
        if not (year.isdigit() and 2000 <= int(year) <= 2100):
            messages.error(request, _("Choose a year."))
        else:
            added = services.public_holidays_add(network=membership.network_id, year=int(year))
            messages.success(
                request,
                ngettext(
                    "%(count)s public holiday of %(year)s added.",
                    "%(count)s public holidays of %(year)s added.",
                    added,
                )
                % {"count": added, "year": year},
            )
        return redirect("digipunten:closures")
    elif request.method == "POST" and action != "add_closure":
        closure = (
            _lookup(Closure, request, "closure", digipunt__isnull=True)
            if action == "remove_closure"
            else None
        )
        if closure is None:
            messages.error(request, _("Choose a closure to remove."))
        else:
            services.closure_remove(closure=closure)
            messages.success(request, _("The closure is removed."))
        return redirect("digipunten:closures")
    this_year = timezone.localdate().year
    context = {
        "closures": list(selectors.network_closures(membership=membership)),
        "form": form,
        "holiday_years": [this_year, this_year + 1],
    }
    return render(request, "digipunten/closures.html", context)


@require_http_methods(["GET", "POST"])
@staff_view("digipunt.manage", model=Digipunt)
def session_create(request: HttpRequest, digipunt: Digipunt) -> HttpResponse:
    form = HelpSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_save(digipunt=digipunt, data=form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The help session is added."))
            return redirect("digipunten:detail", pk=digipunt.pk)
    return render(
        request, "digipunten/session_form.html", {"form": form, "digipunt": digipunt, "session": None}
    )


@require_http_methods(["GET", "POST"])
@staff_view("digipunt.manage", model=HelpSession)
def session_edit(request: HttpRequest, session: HelpSession) -> HttpResponse:
    digipunt = session.digipunt
    form = HelpSessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_save(digipunt=digipunt, data=form.cleaned_data, session=session)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The help session is saved."))
            return redirect("digipunten:detail", pk=digipunt.pk)
    return render(
        request, "digipunten/session_form.html", {"form": form, "digipunt": digipunt, "session": session}
    )


@require_http_methods(["GET", "POST"])
@staff_view("digipunt.manage")
def theme_list(request: HttpRequest) -> HttpResponse:
    network_id = request.membership.network_id
    services.themes_ensure(network=network_id)
    form = ThemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            theme = services.theme_save(network=network_id, data=form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The theme %(name)s is added.") % {"name": theme.label})
            return redirect("digipunten:themes")
    themes = list(selectors.themes_all(membership=request.membership))
    return render(request, "digipunten/themes.html", {"themes": themes, "form": form})


@require_http_methods(["GET", "POST"])
@staff_view("digipunt.manage", model=HelpTheme)
def theme_edit(request: HttpRequest, theme: HelpTheme) -> HttpResponse:
    form = ThemeForm(request.POST or None, instance=theme)
    if request.method == "POST" and form.is_valid():
        try:
            services.theme_save(network=theme.network_id, data=form.cleaned_data, theme=theme)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The theme is saved."))
            return redirect("digipunten:themes")
    return render(request, "digipunten/theme_form.html", {"theme": theme, "form": form})
