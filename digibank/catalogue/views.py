"""Catalogue pages (list, detail, add, edit) and the intake rules (cap on open requests).

Thin views: reads through selectors (already scoped), writes through services.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from digibank.lib.forms import add_errors
from digibank.networks.access import staff_view

from . import selectors, services
from .forms import ServiceFilterForm, ServiceForm
from .models import Service

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
def service_detail(request: HttpRequest, service: Service) -> HttpResponse:
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
            add_errors(form, error)
        else:
            messages.success(request, _("%(name)s is added to the catalogue.") % {"name": service.name})
            return redirect("catalogue:detail", pk=service.pk)
    return render(request, "catalogue/form.html", {"form": form, "service": None})


@require_http_methods(["GET", "POST"])
@staff_view("service.manage", model=Service)
def service_edit(request: HttpRequest, service: Service) -> HttpResponse:
    saved_name = service.name  # an invalid form changes the instance in memory
    form = ServiceForm(request.POST or None, instance=service, network=request.network)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_update(service=service, actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The service is saved."))
            return redirect("catalogue:detail", pk=service.pk)
    return render(
        request, "catalogue/form.html", {"form": form, "service": service, "title_name": saved_name}
    )


# --- intake rules ---------------------------------------------------------------------------
