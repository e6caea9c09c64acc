from django.urls import path

from . import views

app_name = "networks"

urlpatterns = [
    path("switch/", views.network_switch, name="switch"),
    path("none/", views.no_network, name="none"),
    path("settings/", views.network_settings, name="settings"),
]
