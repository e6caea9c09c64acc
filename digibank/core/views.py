"""The staff shell: the home page of each role and the global search."""

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string

from digibank.audit.services import audit_residents_listed
from digibank.networks.access import public_view, staff_view
from digibank.networks.roles import Role
from digibank.plugins.home import widgets_for
from digibank.plugins.search import sources_for

from . import selectors

HOME_TEMPLATES = {
    Role.COORDINATOR: "core/home_coordinator.html",
    Role.SERVICE_DESK: "core/home_desk.html",
    Role.PARTNER_WORKER: "core/home_partner.html",
    Role.DIGIPUNT_STAFF: "core/home_desk.html",
    Role.COURSE_PROVIDER: "core/home_provider.html",
    Role.VOLUNTEER: "core/home_volunteer.html",
    Role.STEERING_VIEWER: "core/home_steering.html",
}


@staff_view("home.view")
def home(request: HttpRequest) -> HttpResponse:
    membership = request.membership
    context = selectors.home_context(membership=membership)
    if recent := context.get("recent_residents"):
        audit_residents_listed(request=request, residents=recent)
    # What waits for this person in each capability (repairs, triage, shifts …).
    context["widgets"] = widgets_for(request)
    context["work_waits"] = any(not widget.action for widget in context["widgets"])
    return render(request, HOME_TEMPLATES[membership.role], context)


@staff_view("search.use")
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    membership = request.membership
    results = selectors.search(membership=membership, query=query) if query else []
    audit_residents_listed(request=request, residents=results)
    # What the capabilities find (devices by asset tag or serial …), each in its own section.
    sections = []
    for source in sources_for(membership) if query else []:
        hits = source.find(membership=membership, query=query)
        if not hits:
            continue
        exact = source.exact(hits[0], query) if source.exact and len(hits) == 1 else None
        if exact and not results and not request.htmx:
            return redirect(exact)  # a scanned or typed asset tag opens the device
        sections.append(render_to_string(source.template, {"hits": hits, "query": query}, request=request))
    template = "core/search.html#results" if request.htmx else "core/search.html"
    return render(request, template, {"query": query, "results": results, "sections": sections})


@public_view
def health(request: HttpRequest) -> HttpResponse:
    """For load balancers: the app answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
