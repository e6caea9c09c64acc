"""Telling staff what happened: in-app notifications and a copy by e-mail.

One Notification row per user (in their own language, written inside the caller's
transaction) and a copy by e-mail, queued in the outbox (digibank.messaging) in the same
transaction: sent after commit, retried when the mail server fails. Messages to residents go
through the outbox too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from digibank.messaging.models import MessageChannel, RecipientKind
from digibank.messaging.services import message_queue

from .models import Notification

TEXT_LENGTH = Notification._meta.get_field("text").max_length


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path if path.startswith("/") else path


def notify(
    *,
    network_id: int,
    users: Iterable,
    text: Callable[[], str],
    url: str = "",
    email: bool = True,
) -> list[Notification]:
    """Notify staff users: an in-app notification each and, when ``email``, an e-mail copy
    through the outbox (digibank.messaging: sent after commit, retried, never twice).

    ``text`` is called once per user inside ``translation.override(user.preferred_language)``,
    so everyone reads it in their own language. Say what happened and where; never put a
    resident's name in it (e-mail is not a private place). ``url`` is a path in the app.
    """
    users = {user.pk: user for user in users if user is not None and user.is_active}.values()
    rows = []
    for user in users:
        language = user.preferred_language or settings.LANGUAGE_CODE
        with translation.override(language):
            message = str(text())[:TEXT_LENGTH]
            if email and user.email:
                body = render_to_string(
                    "notifications/email.txt",
                    {"user": user, "text": message, "url": absolute_url(url) if url else ""},
                )
                message_queue(
                    network_id=network_id,
                    recipient_kind=RecipientKind.USER,
                    recipient_id=user.pk,
                    channel=MessageChannel.EMAIL,
                    to=user.email,
                    template_key="notifications/email",
                    language=language,
                    payload={"subject": message[:150], "body": body},
                )
        rows.append(Notification(network_id=network_id, user=user, text=message, url=url))
    return Notification.objects.bulk_create(rows)


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_mark_all_read(*, membership) -> int:
    return Notification.objects.visible_to(membership).unread().update(read_at=timezone.now())
