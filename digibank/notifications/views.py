"""The user's own notifications: the list, opening one (marks it read) and "mark all as read"."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from digibank.networks.access import staff_view

from . import selectors, services
from .models import Notification


@require_GET
@staff_view("notification.view")
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = selectors.notification_list(membership=request.membership)
    page = Paginator(notifications, selectors.NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    unread = selectors.unread_count(membership=request.membership)
    return render(
        request,
        "notifications/list.html",
        {"page": page, "notifications": page.object_list, "unread": unread},
    )


@require_GET
@staff_view("notification.view", model=Notification)
def notification_open(request: HttpRequest, notification: Notification) -> HttpResponse:
    """Follow a notification's link; opening it marks it read (harmless to repeat)."""
    services.notification_mark_read(notification=notification)
    url = notification.url
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts=None) and url.startswith("/"):
        return redirect(url)
    return redirect("notifications:list")


@require_POST
@staff_view("notification.view")
def notification_read_all(request: HttpRequest) -> HttpResponse:
    # An explicit field, so an empty POST (a stray request) changes nothing.
    if request.POST.get("all") == "1":
        count = services.notifications_mark_all_read(membership=request.membership)
        if count:
            messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:list")
