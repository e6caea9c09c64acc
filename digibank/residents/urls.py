from django.urls import path

from . import views

app_name = "residents"

urlpatterns = [
    path("", views.resident_list, name="list"),
    path("new/", views.resident_create, name="create"),
    path("<int:pk>/", views.resident_detail, name="detail"),
]
