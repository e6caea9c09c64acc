"""Open data: HSDS 3.0 JSON and iCal feeds (public, no log-in), per network.

The HSDS paths are the HSDS API's own (``/services``, ``/services/{id}`` …, no trailing slash).
"""

from django.urls import path

from .views import open as views

app_name = "open"

urlpatterns = [
    path("<slug:network_slug>/hsds/", views.hsds_root, name="hsds"),
    path("<slug:network_slug>/hsds/services", views.services, name="hsds_services"),
    path("<slug:network_slug>/hsds/services/<str:id>", views.service, name="hsds_service"),
    path("<slug:network_slug>/hsds/organizations", views.organizations, name="hsds_organizations"),
    path("<slug:network_slug>/hsds/organizations/<str:id>", views.organization, name="hsds_organization"),
    path("<slug:network_slug>/hsds/service_at_locations", views.service_at_locations, name="hsds_sals"),
    path(
        "<slug:network_slug>/hsds/service_at_locations/<str:id>", views.service_at_location, name="hsds_sal"
    ),
    path("<slug:network_slug>/hsds/locations", views.locations, name="hsds_locations"),
    path("<slug:network_slug>/hsds/locations/<str:id>", views.location, name="hsds_location"),
    path("<slug:network_slug>/ical/help-hours.ics", views.ical_network, name="ical"),
    path(
        "<slug:network_slug>/ical/digipunten/<int:pk>/help-hours.ics",
        views.ical_digipunt,
        name="ical_digipunt",
    ),
]
