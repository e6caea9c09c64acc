"""Root URLconf. Every view below is wrapped in one access decorator (networks.access)."""

from django.urls import include, path
from django.views.i18n import set_language

from digibank.networks.access import public_view

urlpatterns = [
    path("i18n/setlang/", public_view(set_language), name="set_language"),
    path("accounts/", include("digibank.accounts.urls")),
    path("network/", include("digibank.networks.urls")),
    path("organisations/", include("digibank.organisations.urls")),
    path("residents/", include("digibank.residents.urls")),
    path("audit/", include("digibank.audit.urls")),
    path("devices/", include("digibank.devices.urls")),
    path("donations/", include("digibank.devices.donations.urls")),
    path("lending/", include("digibank.lending.urls")),
    path("services/", include("digibank.catalogue.urls")),
    path("requests/", include("digibank.referrals.urls")),
    path("internet-tariff/", include("digibank.referrals.tariffs.urls")),
    path("notifications/", include("digibank.notifications.urls")),
    path("outbox/", include("digibank.messaging.urls")),
    path("digipunten/", include("digibank.digipunten.urls")),
    path("site/", include("digibank.public.urls")),
    path("open/", include("digibank.public.open_urls")),
    path("api/v1/", include("digibank.api.urls")),
    path("", include("digibank.core.urls")),
]
