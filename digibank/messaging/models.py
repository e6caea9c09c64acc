"""The outbox: every message to a resident, a booker or an applicant, one row each.

Capabilities queue messages through ``services.message_queue`` (or ``resident_message``); the
worker claims and sends them. Coordinators read the rows on the Outbox page.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from digibank.networks.scoping import NetworkOwned


class MessageChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    LETTER = "letter", _("Letter")
    # A call for a colleague to make: the row waits with status "to call".
    PHONE = "phone", _("Phone")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")
    TO_CALL = "to_call", _("To call")


# Allowed transitions (services performs them with conditional updates):
#   queued -> sending (claim) -> sent | failed | queued (a retry after an error)
#   sending (stale: the worker crashed) -> sending (reclaimed) or failed (out of attempts)
#   queued | to_call -> skipped (cancelled by the capability)
#   queued letter -> sent (printed); to_call -> sent (called)
# What the worker sends by itself; letters are printed and calls made by a person.
SENT_BY_WORKER = (MessageChannel.EMAIL, MessageChannel.SMS)


class RecipientKind(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    BOOKER = "booker", _("Person who booked")
    USER = "user", _("Staff member")
    APPLICANT = "applicant", _("Applicant")
    DONOR = "donor", _("Donor")


class OutboundMessage(NetworkOwned):
    """One message to one person on one channel, with what was sent and what became of it.

    The recipient is a kind and an id (``resident`` 12, ``booker`` 7 …), not a foreign key: the
    outbox is foundation and knows no capability's tables. ``to``/``postal`` are the address used;
    ``payload`` holds the text as rendered in ``language`` when queued (``subject``/``body``, or
    ``html`` for a letter). Both are blanked when the person is erased (``messages_erase``);
    status and dates stay for the counts. Read by coordinators on the Outbox page.
    """

    visible_with = ("network.manage",)

    recipient_kind = models.CharField(_("recipient"), max_length=20, choices=RecipientKind.choices)
    recipient_id = models.PositiveBigIntegerField(null=True, blank=True)
    to = models.CharField(_("address"), max_length=254, blank=True)
    postal = models.TextField(_("postal address"), blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=MessageChannel.choices)
    template_key = models.CharField(_("message"), max_length=100)
    language = models.CharField(_("language"), max_length=10)
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    send_after = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Set by a capability that must not queue the same message twice ("lending.reminder:42:…").
    idempotency_key = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="message_idempotency_key_unique",
            ),
            models.CheckConstraint(condition=Q(status__in=MessageStatus.values), name="message_status_valid"),
            models.CheckConstraint(
                condition=Q(channel__in=MessageChannel.values), name="message_channel_valid"
            ),
            # A message in the hands of a worker says since when (stale claims are retried).
            models.CheckConstraint(
                condition=~Q(status=MessageStatus.SENDING) | Q(claimed_at__isnull=False),
                name="message_sending_has_claimed_at",
            ),
        ]
        indexes = [
            # The worker: what is queued (or stuck in sending), oldest first.
            models.Index(fields=["status", "send_after"], name="message_worker_idx"),
            # The Outbox page and the failed count: per network and status.
            models.Index(fields=["network", "status", "created_at"], name="message_outbox_idx"),
            # Subject access and erasure: one person's messages.
            models.Index(fields=["recipient_kind", "recipient_id"], name="message_recipient_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.template_key} → {self.recipient_kind} {self.recipient_id} ({self.channel})"

    @property
    def subject(self) -> str:
        return str(self.payload.get("subject", ""))

    @property
    def body(self) -> str:
        return str(self.payload.get("body", ""))
