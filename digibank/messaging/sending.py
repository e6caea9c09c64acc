"""The worker's claim-and-send loop (called by tasks.py and ``manage.py send_messages``).

1. ``message_claim`` takes a message with one conditional UPDATE (queued -> sending,
   attempts + 1, claimed_at = now). Only the caller that gets 1 row back sends it.
2. The message goes out after the claim is committed; then it is marked sent, or put back in
   the queue with the error (``send_after`` later), or failed after ``MAX_ATTEMPTS``.
3. A message left in "sending" longer than ``STALE_AFTER`` (a worker crashed mid-send) is
   claimed again by the next run. Such a message may have gone out before the crash: at least
   once, and never twice from two live workers (a late finish of a reclaimed attempt is ignored).
"""

from __future__ import annotations

import datetime
import logging

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from digibank.lib.sms import send_sms

from .models import SENT_BY_WORKER, MessageChannel, MessageStatus, OutboundMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
STALE_AFTER = datetime.timedelta(minutes=15)
# After a failed attempt n, wait RETRY_DELAY * n before the next one.
RETRY_DELAY = datetime.timedelta(minutes=10)
ERROR_LENGTH = OutboundMessage._meta.get_field("error").max_length


def _claimable(now: datetime.datetime) -> Q:
    """Queued and due, or left in "sending" by a worker that crashed, with attempts left."""
    due = Q(send_after__isnull=True) | Q(send_after__lte=now)
    stale = Q(status=MessageStatus.SENDING, claimed_at__lt=now - STALE_AFTER)
    return ((Q(status=MessageStatus.QUEUED) & due) | stale) & Q(
        channel__in=SENT_BY_WORKER, attempts__lt=MAX_ATTEMPTS
    )


def message_claim(message_id: int, *, now: datetime.datetime | None = None) -> int | None:
    """Take a message for sending; its attempt number for exactly one caller, else None."""
    now = now or timezone.now()
    claimed = OutboundMessage.objects.filter(_claimable(now), pk=message_id).update(
        status=MessageStatus.SENDING, attempts=F("attempts") + 1, claimed_at=now
    )
    if claimed != 1:
        return None
    return OutboundMessage.objects.values_list("attempts", flat=True).get(pk=message_id)


def _deliver(message: OutboundMessage) -> None:
    if message.channel == MessageChannel.EMAIL:
        reply_to = message.payload.get("reply_to") or None
        EmailMessage(
            message.subject, message.body, None, [message.to], reply_to=[reply_to] if reply_to else None
        ).send()
    elif message.channel == MessageChannel.SMS:
        send_sms(message.to, message.body)
    else:  # never claimed: see _claimable
        raise ValueError(f"The worker does not send {message.channel}")


def _finish(message_id: int, attempt: int, **fields) -> bool:
    """Record the outcome of attempt ``attempt``, unless another worker has reclaimed it since."""
    return bool(
        OutboundMessage.objects.filter(pk=message_id, status=MessageStatus.SENDING, attempts=attempt).update(
            **fields
        )
    )


def _send_claimed(message_id: int, attempt: int, now: datetime.datetime) -> None:
    message = OutboundMessage.objects.get(pk=message_id)
    try:
        _deliver(message)
    except Exception as exc:  # a gateway or mail server error: record it, go on with the others
        logger.exception("Message %s could not be sent (attempt %s)", message_id, attempt)
        error = f"{type(exc).__name__}: {exc}"[:ERROR_LENGTH]
        if attempt >= MAX_ATTEMPTS:
            _finish(message_id, attempt, status=MessageStatus.FAILED, error=error)
        else:
            retry = now + RETRY_DELAY * attempt
            _finish(message_id, attempt, status=MessageStatus.QUEUED, error=error, send_after=retry)
        return
    _finish(message_id, attempt, status=MessageStatus.SENT, sent_at=now, error="")


def message_send(message_id: int, *, now: datetime.datetime | None = None) -> bool:
    """Claim and send one message; it goes out only after the claim is committed."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = message_claim(message_id, now=now)
        if attempt is not None:
            transaction.on_commit(lambda: _send_claimed(message_id, attempt, now))
    return attempt is not None


def messages_fail_exhausted(*, now: datetime.datetime | None = None) -> int:
    """Messages stuck in "sending" with no attempts left: failed, for a coordinator to see."""
    now = now or timezone.now()
    return OutboundMessage.objects.filter(
        status=MessageStatus.SENDING, claimed_at__lt=now - STALE_AFTER, attempts__gte=MAX_ATTEMPTS
    ).update(
        status=MessageStatus.FAILED,
        error=_("Gave up after %(count)s attempts.") % {"count": MAX_ATTEMPTS},
    )


def messages_send_due(
    *, now: datetime.datetime | None = None, network_id: int | None = None, template_key: str = ""
) -> dict:
    """The worker's loop: claim and send every due message; safe to run in two workers at once.

    ``network_id``/``template_key``: only those (a capability's own job sending its messages now).
    """
    now = now or timezone.now()
    failed = messages_fail_exhausted(now=now)
    due = OutboundMessage.objects.filter(_claimable(now))
    if network_id is not None:
        due = due.in_network(network_id)
    if template_key:
        due = due.filter(template_key=template_key)
    claimed = sum(message_send(pk, now=now) for pk in list(due.order_by("pk").values_list("pk", flat=True)))
    return {"claimed": claimed, "failed": failed}
