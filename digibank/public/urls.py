"""The public site (/site/, public_view) and the team's pages for it (staff_view).

The team's pages come first: "manage" and "inbox" are therefore not usable as network slugs.
"""

from django.urls import path

from .views import booking, site, staff, submit

app_name = "public"

urlpatterns = [
    # The team's side.
    path("manage/texts/", staff.texts, name="texts"),
    path("manage/texts/edit/", staff.text_edit, name="text_edit"),
    path("inbox/", staff.inbox, name="inbox"),
    path("inbox/volunteers/<int:pk>/", staff.application, name="application"),
    path("inbox/donations/<int:pk>/", staff.offer, name="offer"),
    path("inbox/donations/<int:pk>/receive/", staff.offer_receive, name="offer_receive"),
    # Residents.
    path("", site.network_list, name="networks"),
    path("<slug:network_slug>/", site.home, name="home"),
    path("<slug:network_slug>/find/", site.find, name="find"),
    path("<slug:network_slug>/digipunten/<int:pk>/", site.digipunt, name="digipunt"),
    path("<slug:network_slug>/digipunten/<int:pk>/book/", booking.book, name="book"),
    path("<slug:network_slug>/digipunten/<int:pk>/flyer.pdf", site.flyer_digipunt, name="flyer_digipunt"),
    path("<slug:network_slug>/book/", booking.book_start, name="book_start"),
    path("<slug:network_slug>/appointment/<str:token>/cancel/", booking.cancel, name="cancel"),
    path("<slug:network_slug>/help/", submit.help_request, name="help"),
    path("<slug:network_slug>/volunteer/", submit.volunteer, name="volunteer"),
    path("<slug:network_slug>/donate/", submit.donate, name="donate"),
    path("<slug:network_slug>/thanks/<uuid:token>/", submit.thanks, name="thanks"),
    path("<slug:network_slug>/privacy/", site.privacy, name="privacy"),
    path("<slug:network_slug>/flyers/", site.flyer_list, name="flyers"),
    path("<slug:network_slug>/flyers/district-<int:pk>.pdf", site.flyer_district, name="flyer_district"),
]
