"""Partner organisations and their contact people: list, detail, and edits for coordinators."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from digibank.lib.forms import add_errors
from digibank.networks.access import staff_view

from . import selectors, services
from .forms import ContactPersonForm, OrganisationFilterForm, OrganisationForm
from .models import Organisation


@staff_view("organisation.view")
def organisation_list(request: HttpRequest) -> HttpResponse:
    filter_form = OrganisationFilterForm(request.GET or None)
    wanted_type = request.GET.get("type", "")
    organisations = selectors.organisation_list(membership=request.membership, type=wanted_type)
    template = "organisations/list.html#results" if request.htmx else "organisations/list.html"
    return render(
        request,
        template,
        {"organisations": organisations, "filter_form": filter_form, "type": wanted_type},
    )


@staff_view("organisation.change")
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None, network=request.network)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(
                network=request.network, actor=request.user, data=form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("%(name)s is added.") % {"name": organisation.name})
            return redirect("organisations:detail", pk=organisation.pk)
    return render(request, "organisations/form.html", {"form": form, "organisation": None})


@staff_view("organisation.view", model=Organisation)
def organisation_detail(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    context = {
        "organisation": organisation,
        "contacts": selectors.contacts_of(organisation=organisation),
        "contact_form": ContactPersonForm(auto_id="new_contact_%s"),
    }
    return render(request, "organisations/detail.html", context)


@staff_view("organisation.change", model=Organisation)
def organisation_edit(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    form = OrganisationForm(request.POST or None, instance=organisation, network=request.network)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                organisation=organisation, actor=request.user, data=form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The organisation is saved."))
            return redirect("organisations:detail", pk=organisation.pk)
    # An invalid form has already changed the instance in memory: show the saved name in the title.
    return render(
        request,
        "organisations/form.html",
        {"form": form, "organisation": organisation, "title_name": form.initial.get("name")},
    )


@staff_view("organisation.change", model=Organisation)
def contact_add(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    form = ContactPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contact = services.contact_create(
            organisation=organisation, actor=request.user, data=form.cleaned_data
        )
        messages.success(request, _("%(name)s is added as a contact person.") % {"name": contact.name})
        return redirect("organisations:detail", pk=organisation.pk)
    return render(
        request,
        "organisations/contact_form.html",
        {"form": form, "organisation": organisation, "contact": None},
    )


@staff_view("organisation.change", model=Organisation)
def contact_edit(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """Edit one contact person; its id travels as ``contact`` (query string, then POST data)."""
    contact_id = request.POST.get("contact") if request.method == "POST" else request.GET.get("contact")
    if not contact_id:
        messages.error(request, _("Choose a contact person to edit."))
        return redirect("organisations:detail", pk=organisation.pk)
    contact = selectors.contact_get(
        membership=request.membership, organisation=organisation, contact_id=contact_id
    )
    form = ContactPersonForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        services.contact_update(contact=contact, actor=request.user, data=form.cleaned_data)
        messages.success(request, _("The contact person is saved."))
        return redirect("organisations:detail", pk=organisation.pk)
    return render(
        request,
        "organisations/contact_form.html",
        {"form": form, "organisation": organisation, "contact": contact},
    )


@require_POST
@staff_view("organisation.change", model=Organisation)
def contact_remove(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    contact_id = request.POST.get("contact")
    if not contact_id:
        # An empty POST removes nothing.
        messages.error(request, _("Choose a contact person to remove."))
        return redirect("organisations:detail", pk=organisation.pk)
    contact = selectors.contact_get(
        membership=request.membership, organisation=organisation, contact_id=contact_id
    )
    name = contact.name
    services.contact_delete(contact=contact, actor=request.user)
    messages.success(request, _("%(name)s is no longer a contact person.") % {"name": name})
    return redirect("organisations:detail", pk=organisation.pk)
