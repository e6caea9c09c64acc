"""What the outbox holds about people, for the privacy registry: the messages sent (or to be
sent) to a resident, a web booker or a volunteer applicant -- address and text. Erasure blanks
both and stops what was not sent yet; status and dates stay for the counts."""

from __future__ import annotations

from django.utils.translation import gettext as _

from digibank.privacy.registry import Section, Subject

from . import selectors, services

MODELS = ["messaging.OutboundMessage"]


def messages_export(subject: Subject) -> list[Section]:
    rows = selectors.messages_of(subject.kind, subject.id, network_id=subject.network_id)
    return [
        Section(
            key="messages",
            title=_("Messages sent to you"),
            columns=[
                ("created_at", _("Written at")),
                ("channel", _("Channel")),
                ("to", _("Sent to")),
                ("subject", _("Subject")),
                ("body", _("Text")),
                ("status", _("Status")),
                ("sent_at", _("Sent at")),
            ],
            rows=rows,
        )
    ]


def messages_erase(subject: Subject) -> None:
    services.messages_erase(subject.kind, subject.id, network_id=subject.network_id)
