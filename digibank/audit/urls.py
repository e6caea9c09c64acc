from django.urls import path

from . import views

app_name = "audit"

# One person's trail is served by the app that owns their record (residents:audit).
urlpatterns = [
    path("", views.audit_list, name="list"),
    path("member/<int:pk>/", views.audit_member, name="member"),
]
