"""Writes of the outbox: queue a message, claim and send it, print letters, erase a person.

Every capability queues through ``message_queue`` (or ``resident_message`` for a resident: the
channel and language chosen here, once). The worker's claim-and-send loop is in sending.py.

Letters are not sent: they wait (queued) for the letters PDF and are marked sent when printed.
Phone messages wait with status "to call" until a colleague has rung.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string, select_template
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from digibank.lib.pdf import render_pdf
from digibank.networks.models import Network
from digibank.residents.models import Resident

from .models import SENT_BY_WORKER, MessageChannel, MessageStatus, OutboundMessage, RecipientKind
from .tasks import send_message

ERROR_LENGTH = OutboundMessage._meta.get_field("error").max_length

RESIDENT_LANGUAGES = ("nl", "fr", "en")
# What we write in when a resident speaks none of those: the network's own language, Dutch
# (not the interface default, which a test or a French-speaking colleague may have changed).
DEFAULT_LANGUAGE = "nl"
# A resident without a preferred channel is reached by the first channel we have the details for.
FALLBACK_CHANNELS = (MessageChannel.EMAIL, MessageChannel.SMS, MessageChannel.LETTER)


# --- residents: language, channel, address ---------------------------------------------------


def resident_language(resident: Resident) -> str:
    """The first of the resident's languages that we write in (messages, agreements); Dutch otherwise."""
    languages = [code.lower() for code in resident.language_list()]
    return languages[0] if languages and languages[0] in RESIDENT_LANGUAGES else DEFAULT_LANGUAGE


def resident_reachable(resident: Resident, channel: str) -> bool:
    if channel == MessageChannel.EMAIL:
        return bool(resident.email)
    if channel in (MessageChannel.SMS, MessageChannel.PHONE):
        return bool(resident.phone)
    if channel == MessageChannel.LETTER:
        return bool(resident.street and resident.city)
    return False


def channel_for(resident: Resident, *, calls: bool = True, fallback: bool = False) -> str:
    """The resident's preferred channel, else the first one we have the details for, else a letter.

    ``calls=False``: "phone" becomes SMS (no one rings about an appointment). ``fallback``: a
    preferred channel we lack the details for gives way to one we have; without it the message
    fails visibly, for the desk to fix the details (lending's reminders).
    """
    preferred = resident.preferred_channel
    if preferred == MessageChannel.PHONE and not calls:
        preferred = MessageChannel.SMS
    if preferred and (not fallback or resident_reachable(resident, preferred)):
        return preferred
    for channel in FALLBACK_CHANNELS:
        if resident_reachable(resident, channel):
            return channel
    return preferred or MessageChannel.LETTER


def resident_address(resident: Resident, channel: str) -> tuple[str, str]:
    """(to, postal lines) of a resident on ``channel``."""
    if channel == MessageChannel.EMAIL:
        return resident.email, ""
    if channel in (MessageChannel.SMS, MessageChannel.PHONE):
        return resident.phone, ""
    if channel == MessageChannel.LETTER and resident_reachable(resident, channel):
        name = f"{resident.first_name} {resident.last_name}".strip()
        city = f"{resident.postcode} {resident.city}".strip()
        return "", "\n".join(line for line in (name, resident.street, city) if line)
    return "", ""


# --- rendering -------------------------------------------------------------------------------


def _templates(template_key: str, channel: str) -> dict[str, list[str]]:
    """The templates of a message per part, most specific first (``<key>/<channel>.txt`` …)."""
    key = template_key.strip("/")
    if channel == MessageChannel.EMAIL:
        return {"subject": [f"{key}/email_subject.txt"], "body": [f"{key}/email.txt", f"{key}/message.txt"]}
    if channel == MessageChannel.SMS:
        return {"body": [f"{key}/sms.txt", f"{key}/message.txt"]}
    if channel == MessageChannel.PHONE:
        return {"body": [f"{key}/phone.txt", f"{key}/sms.txt", f"{key}/message.txt"]}
    return {"html": [f"{key}/letter.html"]}


def message_render(*, template_key: str, channel: str, language: str, context: dict) -> dict:
    """The payload of a message: its parts rendered from the key's templates in ``language``."""
    payload = {}
    with translation.override(language):
        for part, names in _templates(template_key, channel).items():
            text = select_template(names).render(context).strip()
            payload[part] = " ".join(text.split()) if part == "subject" else text
    return payload


# --- queueing --------------------------------------------------------------------------------


def message_queue(
    *,
    network_id: int,
    recipient_kind: str,
    recipient_id: int | None,
    channel: str,
    to: str = "",
    postal: str = "",
    template_key: str,
    language: str | None = None,
    context: dict | None = None,
    payload: dict | None = None,
    idempotency_key: str = "",
    send_after: datetime.datetime | None = None,
    status: str = MessageStatus.QUEUED,
    error: str = "",
    typed_by_visitor: bool = False,
) -> OutboundMessage:
    """Queue one message; the worker sends it after the caller's transaction commits.

    Give either ``context`` (rendered now from ``<template_key>/<channel>…`` templates, in
    ``language``) or a ready ``payload`` (``subject``/``body``, or ``html`` for a letter). With an
    ``idempotency_key`` a second call returns the first message and queues nothing.

    ``typed_by_visitor``: the address came from a public form (anyone can type anyone's). Such
    a message must carry no text the visitor typed (the caller's template sees to that), and an
    address gets at most ``VISITOR_MESSAGES_PER_ADDRESS_PER_DAY`` messages a day: past that the
    message is kept as skipped, never sent, so the network cannot be made to spam someone.
    """
    if channel not in MessageChannel.values:
        raise ValueError(f"Unknown channel {channel!r}")
    language = language or settings.LANGUAGE_CODE
    if idempotency_key and (existing := _by_key(network_id, idempotency_key)) is not None:
        return existing
    if typed_by_visitor and status == MessageStatus.QUEUED and visitor_address_exhausted(network_id, to):
        status = MessageStatus.SKIPPED
        error = _("Not sent: this address already got the most messages a day from the public site.")
    if status == MessageStatus.QUEUED and channel == MessageChannel.PHONE:
        status = MessageStatus.TO_CALL
    if payload is None and status in (MessageStatus.QUEUED, MessageStatus.TO_CALL):
        payload = message_render(
            template_key=template_key, channel=channel, language=language, context=context or {}
        )
    if channel == MessageChannel.LETTER and payload and "html" not in payload:
        payload = {**payload, "html": _letter_html(network_id, postal, payload, language)}
    fields = {
        "network_id": network_id,
        "recipient_kind": recipient_kind,
        "recipient_id": recipient_id,
        "channel": channel,
        "to": to,
        "postal": postal,
        "template_key": template_key,
        "language": language,
        "payload": payload or {},
        "status": status,
        "error": str(error)[:ERROR_LENGTH],
        "send_after": send_after,
        "idempotency_key": idempotency_key,
    }
    try:
        # A savepoint: losing a race on the key leaves the caller's transaction usable.
        with transaction.atomic():
            message = OutboundMessage.objects.create(**fields)
    except IntegrityError:
        if idempotency_key and (existing := _by_key(network_id, idempotency_key)) is not None:
            return existing
        raise
    if message.status == MessageStatus.QUEUED and channel in SENT_BY_WORKER and send_after is None:
        message_id = message.pk
        transaction.on_commit(lambda: send_message.enqueue(message_id))
    return message


def visitor_address_exhausted(network_id: int, to: str, *, now: datetime.datetime | None = None) -> bool:
    """Whether ``to`` already got (or has waiting) the day's most messages of this network."""
    to = (to or "").strip()
    if not to:
        return False
    since = (now or timezone.now()) - datetime.timedelta(days=1)
    recent = (
        OutboundMessage.objects.in_network(network_id)
        .filter(to__iexact=to, created_at__gte=since)
        .exclude(status=MessageStatus.SKIPPED)
    )
    return recent.count() >= settings.VISITOR_MESSAGES_PER_ADDRESS_PER_DAY


def _letter_html(network_id: int, postal: str, payload: dict, language: str) -> str:
    """A letter page around a message's subject and text (for a payload without its own html)."""
    context = {
        "network": Network.objects.get(pk=network_id),
        "postal": postal,
        "subject": payload.get("subject", ""),
        "body": payload.get("body", ""),
        "day": timezone.localdate(),
    }
    with translation.override(language):
        return render_to_string("messaging/pdf/_letter.html", context).strip()


def _by_key(network_id: int, idempotency_key: str) -> OutboundMessage | None:
    return OutboundMessage.objects.in_network(network_id).filter(idempotency_key=idempotency_key).first()


def resident_message(
    *,
    resident: Resident,
    template_key: str,
    context: dict | None = None,
    payload: dict | None = None,
    channel: str | None = None,
    language: str | None = None,
    idempotency_key: str = "",
    send_after: datetime.datetime | None = None,
) -> OutboundMessage:
    """Queue a message to a resident on their channel (``channel_for``) in their language.

    A resident who asked not to be contacted, or was erased, gets nothing: the row says
    "skipped". Without the details for the channel the row says "failed", for the desk to see.
    """
    channel = channel or channel_for(resident)
    common = {
        "network_id": resident.network_id,
        "recipient_kind": RecipientKind.RESIDENT,
        "recipient_id": resident.pk,
        "channel": channel,
        "template_key": template_key,
        "language": language or resident_language(resident),
        "idempotency_key": idempotency_key,
        "send_after": send_after,
    }
    if resident.do_not_contact or resident.is_erased:
        return message_queue(**common, status=MessageStatus.SKIPPED, error=_("Do not contact."))
    if not resident_reachable(resident, channel):
        label = MessageChannel(channel).label.lower() if channel in MessageChannel.values else channel
        error = _("No %(channel)s details for this resident.") % {"channel": label}
        return message_queue(**common, status=MessageStatus.FAILED, error=error)
    to, postal = resident_address(resident, channel)
    return message_queue(**common, to=to, postal=postal, context=context, payload=payload)


@transaction.atomic
def messages_cancel(*, network_id: int, idempotency_keys: Iterable[str] = (), reason: str = "") -> int:
    """A capability no longer wants messages it queued (the appointment was cancelled): skipped."""
    return (
        OutboundMessage.objects.in_network(network_id)
        .filter(
            idempotency_key__in=[key for key in idempotency_keys if key],
            status__in=(MessageStatus.QUEUED, MessageStatus.TO_CALL),
        )
        .update(status=MessageStatus.SKIPPED, error=str(reason)[:ERROR_LENGTH])
    )


# --- letters and calls -----------------------------------------------------------------------


def letters_pdf(messages: list[OutboundMessage], *, network) -> bytes | None:
    """One PDF to print, a page per letter (each already rendered in its own language)."""
    if not messages:
        return None
    return render_pdf("messaging/pdf/letters.html", {"messages": messages, "network": network})


@transaction.atomic
def letters_mark_printed(*, messages: Iterable[OutboundMessage], now: datetime.datetime | None = None) -> int:
    """The letters were printed (and will be posted): sent."""
    return OutboundMessage.objects.filter(
        pk__in=[m.pk for m in messages], channel=MessageChannel.LETTER, status=MessageStatus.QUEUED
    ).update(status=MessageStatus.SENT, sent_at=now or timezone.now())


@transaction.atomic
def message_mark_called(*, message: OutboundMessage, now: datetime.datetime | None = None) -> bool:
    """Someone rang the person of a phone message."""
    return bool(
        OutboundMessage.objects.filter(pk=message.pk, status=MessageStatus.TO_CALL).update(
            status=MessageStatus.SENT, sent_at=now or timezone.now()
        )
    )


# --- privacy ---------------------------------------------------------------------------------


@transaction.atomic
def messages_erase(kind: str, recipient_id: int, *, network_id: int) -> int:
    """Blank the address and the text of a person's messages; status and dates stay for the counts.

    Messages not yet sent are not sent any more (skipped).
    """
    rows = OutboundMessage.objects.in_network(network_id).filter(
        recipient_kind=kind, recipient_id=recipient_id
    )
    rows.filter(status__in=(MessageStatus.QUEUED, MessageStatus.TO_CALL)).update(status=MessageStatus.SKIPPED)
    return rows.update(to="", postal="", payload={}, error="")


def finished_messages_with_text(cutoff: datetime.datetime):
    """Messages done with (sent, failed, skipped) before ``cutoff`` that still hold an address or
    a text (retention: the status and dates stay for the counts)."""
    done = Q(status=MessageStatus.SENT, sent_at__lt=cutoff) | Q(
        status__in=(MessageStatus.FAILED, MessageStatus.SKIPPED), created_at__lt=cutoff
    )
    return OutboundMessage.objects.filter(done).exclude(to="", postal="", payload={}, error="")


def messages_blank(rows) -> int:
    return rows.update(to="", postal="", payload={}, error="")
