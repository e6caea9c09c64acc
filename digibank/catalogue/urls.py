from django.urls import path

from . import tariff_views, views

app_name = "catalogue"

urlpatterns = [
    path("", views.service_list, name="list"),
    path("new/", views.service_create, name="create"),
    path("<int:pk>/", views.service_detail, name="detail"),
    path("<int:pk>/edit/", views.service_edit, name="edit"),
    path("intake/", views.intake_settings, name="intake"),
    path("intake/caps/set/", views.organisation_cap_set, name="cap_set"),
    path("intake/caps/remove/", views.organisation_cap_remove, name="cap_remove"),
    path("internet-tariff/", tariff_views.tariff_list, name="tariff_list"),
    # pk is the resident; the application travels as ?application=<id> (see tariff_views).
    path("internet-tariff/resident/<int:pk>/", tariff_views.tariff_resident, name="tariff_resident"),
]
