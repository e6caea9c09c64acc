from django.urls import path

from . import views

app_name = "messaging"

urlpatterns = [
    path("", views.outbox, name="outbox"),
    path("letters/", views.letters, name="letters"),
    path("letters/printed/", views.letters_printed, name="letters_printed"),
]
