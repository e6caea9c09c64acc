"""The lending desk's home widget: offers waiting for their hand-over, or one button to make them."""

from __future__ import annotations

from django.http import HttpRequest

from digibank.audit.services import audit_residents_listed

from . import selectors
from .forms import ConfirmForm

# Whom to call or write about their device: what the widget shows of each resident.
OFFER_LIST_FIELDS = ("name", "phone", "email")


def home_handovers(request: HttpRequest) -> dict | None:
    """Context of ``lending/_home_handovers.html``; None when nothing waits (the widget is left out)."""
    queue = selectors.handover_queue(membership=request.membership)
    if not queue.offers and not queue.can_fill:
        return None
    audit_residents_listed(
        request=request, residents=[offer.entry.resident for offer in queue.offers], fields=OFFER_LIST_FIELDS
    )
    return {"queue": queue, "confirm": ConfirmForm()}
