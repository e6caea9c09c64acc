"""The staff shell: the home page of each role and the global search."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from digibank.audit.services import audit_residents_listed
from digibank.networks.access import public_view, staff_view
from digibank.networks.roles import Role

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
    return render(request, HOME_TEMPLATES[membership.role], context)


@staff_view("search.use")
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    results = selectors.search(membership=request.membership, query=query) if query else []
    audit_residents_listed(request=request, residents=results)
    template = "core/search.html#results" if request.htmx else "core/search.html"
    return render(request, template, {"query": query, "results": results})


@public_view
def health(request: HttpRequest) -> HttpResponse:
    """For load balancers: the app answers and reaches its database."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
