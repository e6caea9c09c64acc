from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_list, name="list"),
    path("<int:pk>/", views.audit_resident, name="resident"),
    path("member/<int:pk>/", views.audit_member, name="member"),
]
