"""Telling staff what happened: in-app notifications and a copy by e-mail.

One Notification row per user (in their own language, written inside the caller's
transaction) and a copy by e-mail, sent only when that transaction commits. Messages to
residents go through the outbox (digibank.messaging).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Notification

logger = logging.getLogger(__name__)

TEXT_LENGTH = Notification._meta.get_field("text").max_length


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path if path.startswith("/") else path


@dataclass(frozen=True)
class _Mail:
    to: str
    subject: str
    body: str


def _send_mails(mails: list[_Mail]) -> None:
    """Send after commit. One failing address must not stop the others nor the user's page."""
    for mail in mails:
        try:
            send_mail(mail.subject, mail.body, None, [mail.to])
        except Exception:  # noqa: BLE001 -- logged; the in-app notification is there anyway
            logger.exception("Could not send a notification e-mail")


def notify(
    *,
    network_id: int,
    users: Iterable,
    text: Callable[[], str],
    url: str = "",
    email: bool = True,
) -> list[Notification]:
    """Notify staff users: an in-app notification each and, when ``email``, an e-mail on commit.

    ``text`` is called once per user inside ``translation.override(user.preferred_language)``,
    so everyone reads it in their own language. Say what happened and where; never put a
    resident's name in it (e-mail is not a private place). ``url`` is a path in the app.
    """
    users = {user.pk: user for user in users if user is not None and user.is_active}.values()
    rows, mails = [], []
    for user in users:
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            message = str(text())[:TEXT_LENGTH]
            if email and user.email:
                body = render_to_string(
                    "notifications/email.txt",
                    {"user": user, "text": message, "url": absolute_url(url) if url else ""},
                )
                mails.append(_Mail(to=user.email, subject=message[:150], body=body))
        rows.append(Notification(network_id=network_id, user=user, text=message, url=url))
    created = Notification.objects.bulk_create(rows)
    if mails:
        transaction.on_commit(lambda: _send_mails(mails))
    return created


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_mark_all_read(*, membership) -> int:
    return Notification.objects.visible_to(membership).unread().update(read_at=timezone.now())
