"""Reads about notifications: always the current user's own (NotificationQuerySet.visible_to)."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Notification

NOTIFICATIONS_PER_PAGE = 50


def notification_list(*, membership) -> QuerySet[Notification]:
    return Notification.objects.visible_to(membership).order_by("-created_at", "-pk")


def unread_count(*, membership) -> int:
    return Notification.objects.visible_to(membership).unread().count()
