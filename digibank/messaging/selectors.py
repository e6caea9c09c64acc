"""Reads of the outbox: the coordinators' list, the failed count, letters to print, one person's messages."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import MessageChannel, MessageStatus, OutboundMessage

MESSAGES_PER_PAGE = 50


def outbox(*, membership, status: str = "") -> QuerySet[OutboundMessage]:
    messages = OutboundMessage.objects.visible_to(membership)
    if status:
        messages = messages.filter(status=status)
    return messages.order_by("-created_at", "-pk")


def failed_count(*, membership) -> int:
    return OutboundMessage.objects.visible_to(membership).filter(status=MessageStatus.FAILED).count()


def letters_to_print(*, network, template_prefix: str = "") -> QuerySet[OutboundMessage]:
    """Letters waiting to be printed (oldest first); ``template_prefix`` narrows them to one capability's."""
    letters = OutboundMessage.objects.in_network(network).filter(
        channel=MessageChannel.LETTER, status=MessageStatus.QUEUED
    )
    if template_prefix:
        letters = letters.filter(template_key__startswith=template_prefix)
    return letters.order_by("created_at", "pk")


def messages_of(kind: str, recipient_id: int, *, network_id: int) -> list[dict]:
    """Everything the outbox holds about one person of one network (the subject-access export)."""
    rows = (
        OutboundMessage.objects.in_network(network_id)
        .filter(recipient_kind=kind, recipient_id=recipient_id)
        .order_by("created_at", "pk")
    )
    return [
        {
            "created_at": message.created_at.isoformat(),
            "channel": message.channel,
            "message": message.template_key,
            "language": message.language,
            "to": message.to,
            "postal": message.postal,
            "subject": message.subject,
            "body": message.body or str(message.payload.get("html", "")),
            "status": message.status,
            "sent_at": message.sent_at.isoformat() if message.sent_at else None,
        }
        for message in rows
    ]
