"""What the lending desk holds about a resident, for the privacy registry (registered in hooks.py).

Waiting-list entries (and the offers made from them), loans and gifts with their agreement
data, and the reminders sent about them. Erasure blanks the free texts a colleague typed
(notes, reasons for an exception, the condition of the device, why the resident was eligible,
a delivery error that may quote a phone number); numbers, dates, statuses and devices stay, so
the stock and the figures still add up.
"""

from django.utils.translation import gettext as _

from digibank.privacy.registry import Section, Subject

from .models import Loan, Offer, Reminder, WaitingListEntry

MODELS = ["lending.WaitingListEntry", "lending.Offer", "lending.Loan", "lending.Reminder"]


def _entries(subject: Subject):
    return WaitingListEntry.objects.in_network(subject.network_id).filter(resident_id=subject.id)


def _loans(subject: Subject):
    return Loan.objects.in_network(subject.network_id).filter(resident_id=subject.id)


def lending_export(subject: Subject) -> list[Section]:
    entries = list(_entries(subject).select_related("category").order_by("requested_at", "pk"))
    offers = (
        Offer.objects.in_network(subject.network_id)
        .filter(entry__in=[e.pk for e in entries])
        .select_related("device")
        .order_by("offered_at", "pk")
    )
    loans = list(_loans(subject).select_related("device").order_by("started_on", "pk"))
    reminders = (
        Reminder.objects.in_network(subject.network_id)
        .filter(loan__in=[loan.pk for loan in loans])
        .select_related("loan", "message")
        .order_by("created_at", "pk")
    )
    return [
        Section(
            key="waiting_list",
            title=_("Waiting list for a device"),
            columns=[
                ("device_kind", _("Device wanted")),
                ("requested_at", _("On the list since")),
                ("status_label", _("Status")),
                ("eligibility_basis", _("Eligible because")),
                ("override_reason", _("Exception to the eligibility rules")),
                ("note", _("Note")),
            ],
            rows=[
                {
                    "device_kind": e.device_kind_label,
                    "category": e.category.name,
                    "requested_at": e.requested_at,
                    "status": e.status,
                    "status_label": e.get_status_display(),
                    "closed_at": e.closed_at,
                    "eligibility_basis": e.eligibility_basis,
                    "override_reason": e.override_reason,
                    "note": e.note,
                }
                for e in entries
            ],
        ),
        Section(
            key="device_offers",
            title=_("Devices offered"),
            columns=[("device", _("Device")), ("offered_at", _("Offered at")), ("status_label", _("Status"))],
            rows=[
                {
                    "device": o.device.asset_tag,
                    "offered_at": o.offered_at,
                    "expires_at": o.expires_at,
                    "status": o.status,
                    "status_label": o.get_status_display(),
                }
                for o in offers
            ],
        ),
        Section(
            key="loans",
            title=_("Devices lent or given"),
            columns=[
                ("number", _("Agreement number")),
                ("kind_label", _("Kind")),
                ("device", _("Device")),
                ("started_on", _("Handed over on")),
                ("due_on", _("Due on")),
                ("returned_on", _("Returned on")),
                ("condition_out", _("Condition at hand-over")),
                ("override_reason", _("Exception to the eligibility rules")),
            ],
            rows=[
                {
                    "number": loan.number,
                    "kind": loan.kind,
                    "kind_label": loan.get_kind_display(),
                    "device": loan.device.asset_tag,
                    "status": loan.status,
                    "status_label": loan.get_status_display(),
                    "started_on": loan.started_on,
                    "due_on": loan.due_on,
                    "returned_on": loan.returned_on,
                    "extensions": loan.extensions,
                    "deposit": loan.deposit,
                    "deposit_refunded": loan.deposit_refunded,
                    "language": loan.language,
                    "condition_out": loan.condition_out,
                    "condition_in": loan.condition_in,
                    "eligibility_basis": loan.eligibility_basis,
                    "override_reason": loan.override_reason,
                }
                for loan in loans
            ],
        ),
        Section(
            key="loan_reminders",
            title=_("Reminders about the loans"),
            columns=[
                ("loan", _("Agreement number")),
                ("due_date", _("For due date")),
                ("channel", _("Channel")),
                ("status_label", _("Status")),
                ("sent_at", _("Sent at")),
            ],
            rows=[
                {
                    "loan": r.loan.number,
                    "kind": r.kind,
                    "due_date": r.due_date,
                    "channel": r.channel,
                    "status": r.status,
                    "status_label": r.get_status_display(),
                    "sent_at": r.sent_at,
                    "called_at": r.called_at,
                }
                for r in reminders
            ],
        ),
    ]


def lending_erase(subject: Subject) -> None:
    _entries(subject).update(note="", override_reason="", eligibility_basis="")
    loans = _loans(subject)
    loans.update(condition_out="", condition_in="", override_reason="", eligibility_basis="")
    # Reminders hold no text of their own any more: their messages are the outbox's (messaging.privacy).
