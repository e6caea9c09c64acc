"""Catalogue pages (list, detail, add, edit) and the intake rules (cap on open requests).

Thin views: reads through selectors (already scoped), writes through services.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from digibank.networks.access import staff_view
from digibank.referrals.models import OrganisationCap

from . import selectors, services
from .forms import IntakeSettingsForm, OrganisationCapForm, ServiceFilterForm, ServiceForm
from .models import Service


def add_service_errors(form, error: ValidationError) -> None:
    """A rule broken in the service (e.g. a race on the unique name) shown on the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- the catalogue --------------------------------------------------------------------------


@require_GET
@staff_view("service.view")
def service_list(request: HttpRequest) -> HttpResponse:
    form = ServiceFilterForm(request.GET or None, network=request.network)
    filters = form.filters()
    service_rows = selectors.service_list(membership=request.membership, **filters)
    template = "catalogue/list.html#results" if request.htmx else "catalogue/list.html"
    context = {
        "form": form,
        "services": service_rows,
        "filtered": any(value not in ("", None) for value in filters.values()),
    }
    return render(request, template, context)


@require_GET
@staff_view("service.view", model=Service)
def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    service = selectors.service_get(membership=request.membership, pk=pk)
    return render(request, "catalogue/detail.html", {"service": service})


@require_http_methods(["GET", "POST"])
@staff_view("service.manage")
def service_create(request: HttpRequest) -> HttpResponse:
    form = ServiceForm(request.POST or None, network=request.network)
    if request.method == "POST" and form.is_valid():
        try:
            service = services.service_create(
                network=request.network, actor=request.user, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s is added to the catalogue.") % {"name": service.name})
            return redirect("catalogue:detail", pk=service.pk)
    return render(request, "catalogue/form.html", {"form": form, "service": None})


@require_http_methods(["GET", "POST"])
@staff_view("service.manage", model=Service)
def service_edit(request: HttpRequest, pk: int) -> HttpResponse:
    service = selectors.service_get(membership=request.membership, pk=pk)
    saved_name = service.name  # an invalid form changes the instance in memory
    form = ServiceForm(request.POST or None, instance=service, network=request.network)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_update(service=service, actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The service is saved."))
            return redirect("catalogue:detail", pk=service.pk)
    return render(
        request, "catalogue/form.html", {"form": form, "service": service, "title_name": saved_name}
    )


# --- intake rules ---------------------------------------------------------------------------


def _render_intake(
    request: HttpRequest,
    *,
    form: IntakeSettingsForm | None = None,
    cap_form: OrganisationCapForm | None = None,
) -> HttpResponse:
    network = request.network
    if form is None:
        form = IntakeSettingsForm(instance=selectors.intake_settings_for(network=network))
    exceptions = list(selectors.organisation_caps(membership=request.membership))
    counts = selectors.open_request_counts(
        network=network, organisation_ids=[exception.organisation_id for exception in exceptions]
    )
    for exception in exceptions:
        exception.open_count = counts.get(exception.organisation_id, 0)
    context = {
        "form": form,
        "exceptions": exceptions,
        "cap_form": cap_form or OrganisationCapForm(network=network),
    }
    return render(request, "catalogue/intake.html", context)


@require_http_methods(["GET", "POST"])
@staff_view("service.manage")
def intake_settings(request: HttpRequest) -> HttpResponse:
    network = request.network
    if request.method == "POST":
        form = IntakeSettingsForm(request.POST, instance=selectors.intake_settings_for(network=network))
        if form.is_valid():
            services.intake_settings_update(network=network, actor=request.user, data=form.cleaned_data)
            messages.success(request, _("The intake rules are saved."))
            return redirect("catalogue:intake")
        return _render_intake(request, form=form)
    return _render_intake(request)


@require_POST
@staff_view("service.manage")
def organisation_cap_set(request: HttpRequest) -> HttpResponse:
    """Add or change one organisation's exception (organisation and cap in POST data)."""
    cap_form = OrganisationCapForm(request.POST, network=request.network)
    if not cap_form.is_valid():
        messages.error(request, _("The exception was not saved: please correct the form below."))
        return _render_intake(request, cap_form=cap_form)
    organisation, cap = cap_form.cleaned_data["organisation"], cap_form.cleaned_data["cap"]
    services.organisation_cap_set(
        network=request.network, actor=request.user, organisation=organisation, cap=cap
    )
    if cap is None:
        message = _("%(organisation)s has no cap on open requests.") % {"organisation": organisation.name}
    else:
        message = _("%(organisation)s may have at most %(cap)s open requests.") % {
            "organisation": organisation.name,
            "cap": cap,
        }
    messages.success(request, message)
    return redirect("catalogue:intake")


@require_POST
@staff_view("service.manage")
def organisation_cap_remove(request: HttpRequest) -> HttpResponse:
    exception_id = request.POST.get("exception", "")
    exception = None
    if exception_id.isdigit():
        exception = (
            OrganisationCap.objects.visible_to(request.membership)
            .select_related("organisation")
            .filter(pk=int(exception_id))
            .first()
        )
    if exception is None:
        # An empty or stale POST removes nothing.
        messages.error(request, _("That exception was not found. Nothing was removed."))
    else:
        name = exception.organisation.name
        services.organisation_cap_remove(exception=exception, actor=request.user)
        messages.success(
            request, _("%(organisation)s follows the network's cap again.") % {"organisation": name}
        )
    return redirect("catalogue:intake")
