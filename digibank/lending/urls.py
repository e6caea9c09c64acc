from django.urls import path

from . import exports, views

app_name = "lending"

urlpatterns = [
    path("", views.loan_list, name="loans"),
    path("export/", exports.loan_list_export, name="loans_export"),
    path("loans/<int:pk>/", views.loan_detail, name="loan"),
    path("loans/<int:pk>/document.pdf", views.loan_document, name="loan_document"),
    path("loans/<int:pk>/extend/", views.loan_extend, name="loan_extend"),
    path("loans/<int:pk>/return/", views.loan_return, name="loan_return"),
    path("loans/<int:pk>/lost/", views.loan_lost, name="loan_lost"),
    path("find/", views.resident_find, name="find"),
    path("residents/<int:pk>/handover/", views.handover, name="handover"),
    path("residents/<int:pk>/waiting/", views.waiting_add, name="waiting_add"),
    path("waiting/", views.waiting_list, name="waiting"),
    path("waiting/export/", exports.waiting_list_export, name="waiting_export"),
    path("waiting/<int:pk>/cancel/", views.waiting_cancel, name="waiting_cancel"),
    path("offers/", views.offer_list, name="offers"),
    path("offers/make/", views.offer_device, name="offer_device"),
    path("offers/fill/", views.offers_fill, name="offers_fill"),
    path("offers/<int:pk>/decline/", views.offer_decline, name="offer_decline"),
    path("overdue/", views.overdue, name="overdue"),
    path("overdue/called/", views.call_done, name="call_done"),
    path("letters.pdf", views.letters, name="letters"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/categories/add/", views.category_add, name="category_add"),
    path("settings/categories/<int:pk>/", views.category_edit, name="category_edit"),
]
