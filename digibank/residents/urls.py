from django.urls import path

from . import views

app_name = "residents"

urlpatterns = [
    path("", views.resident_list, name="list"),
    path("new/", views.resident_create, name="create"),
    path("duplicates/", views.resident_duplicates, name="duplicates"),
    path("<int:pk>/", views.resident_detail, name="detail"),
    path("<int:pk>/edit/", views.resident_edit, name="edit"),
    path("<int:pk>/eligibility/add/", views.eligibility_add, name="eligibility_add"),
    path("<int:pk>/eligibility/remove/", views.eligibility_remove, name="eligibility_remove"),
    path("<int:pk>/export.json", views.resident_export_json, name="export_json"),
    path("<int:pk>/export.pdf", views.resident_export_pdf, name="export_pdf"),
    path("<int:pk>/erase/", views.resident_erase, name="erase"),
    path("<int:pk>/audit/", views.resident_audit, name="audit"),
]
