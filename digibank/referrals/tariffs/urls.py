from django.urls import path

from . import views

app_name = "tariffs"

urlpatterns = [
    path("", views.tariff_list, name="list"),
    # pk is the resident; the application travels as ?application=<id> (see views).
    path("resident/<int:pk>/", views.tariff_resident, name="resident"),
]
