from django.urls import path

from . import views

app_name = "donations"

urlpatterns = [
    path("", views.batch_list, name="batch_list"),
    path("export/", views.batch_list_export, name="batch_list_export"),
    path("batches/new/", views.batch_create, name="batch_create"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/edit/", views.batch_edit, name="batch_edit"),
    path("batches/<int:pk>/devices/add/", views.batch_device_add, name="batch_device_add"),
    path("batches/<int:pk>/receipt.pdf", views.batch_receipt, name="batch_receipt"),
    path("batches/<int:pk>/wipe-certificate.pdf", views.batch_certificate, name="batch_certificate"),
    path("batches/<int:pk>/export/", views.batch_export, name="batch_export"),
    path("donors/", views.donor_list, name="donor_list"),
    path("donors/new/", views.donor_create, name="donor_create"),
    path("donors/<int:pk>/", views.donor_detail, name="donor_detail"),
    path("donors/<int:pk>/edit/", views.donor_edit, name="donor_edit"),
    path("donors/<int:pk>/anonymise/", views.donor_anonymise, name="donor_anonymise"),
    path("import/", views.import_upload, name="import"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
    path("import/columns/", views.import_mapping, name="import_mapping"),
    path("import/template/", views.import_template, name="import_template"),
]
