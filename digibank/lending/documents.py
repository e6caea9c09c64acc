"""PDF documents of the lending desk, in the resident's language: the loan agreement, the gift
deed and the day's reminder letters (one PDF, a page per letter)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import translation
from django.utils.safestring import mark_safe

from digibank.lib.pdf import render_pdf

from . import selectors
from .models import Loan


def euros(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def loan_document_filename(loan: Loan) -> str:
    return f"{loan.number}.pdf"


def loan_document_pdf(loan: Loan) -> bytes:
    """The signed paper of a hand-over: the loan agreement, or the deed of a gift."""
    template = "lending/pdf/gift_deed.html" if loan.is_gift else "lending/pdf/agreement.html"
    context = {
        "loan": loan,
        "resident": loan.resident,
        "device": loan.device,
        "network": loan.network,
        "deposit": euros(loan.deposit_cents),
    }
    with translation.override(loan.language or selectors.DEFAULT_LANGUAGE):
        return render_pdf(template, context)


def letters_pdf(*, network, day: datetime.date) -> tuple[bytes | None, list]:
    """All letters of ``day`` in one PDF (None when there are none) and the reminders in it.

    Each letter was rendered in its loan's language when queued in the outbox; the pages are
    printed and posted together (the Outbox page prints and marks them too).
    """
    reminders = list(selectors.letters_of_day(network=network, day=day))
    if not reminders:
        return None, []
    letters = []
    for reminder in reminders:
        message = reminder.message
        # Rendered (and escaped) from our own template, in the loan's language, when it was queued.
        html = mark_safe(message.payload.get("html", ""))  # noqa: S308
        letters.append({"language": message.language, "html": html})
    context = {"letters": letters, "network": network, "day": day}
    return render_pdf("lending/pdf/letters.html", context), reminders
