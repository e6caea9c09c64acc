"""What the digipunten hold about a person, for the privacy registry (registered in hooks.py).

Two kinds of people: a registered resident (their appointments and the help contacts linked
to them) and a *booker*, someone who booked a help hour without being registered (the public
site, a phone call): the appointment is their whole record, so its id is theirs.

Erasure blanks what the resident needs help with, why it was cancelled and a booker's name
and contact data; slots, times, themes and statuses stay for the figures. The confirmations
and reminders sent are the outbox's (messaging.privacy).
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from digibank.privacy.registry import BOOKER, RESIDENT, Section, Subject, SubjectRef

from .models import Appointment, HelpContact

MODELS = ["digipunten.Appointment", "digipunten.HelpContact"]
# A booker's name after erasure (the appointment must name someone: appointment_has_someone).
ERASED_NAME = "—"


def _appointments(subject: Subject):
    appointments = Appointment.objects.in_network(subject.network_id)
    if subject.kind == BOOKER:
        return appointments.filter(pk=subject.id, resident__isnull=True)
    return appointments.filter(resident_id=subject.id)


def describe_bookers(membership, ids: list[int]) -> dict[int, SubjectRef]:
    """How the audit pages name bookers this member may see: their name, a link to the appointment."""
    return {
        appointment.pk: SubjectRef(
            label=appointment.name, url=reverse("digipunten:appointment", kwargs={"pk": appointment.pk})
        )
        for appointment in Appointment.objects.visible_to(membership)
        .filter(pk__in=ids, resident__isnull=True)
        .only("pk", "name")
    }


def digipunten_export(subject: Subject) -> list[Section]:
    appointments = list(
        _appointments(subject).select_related("slot__digipunt", "theme").order_by("slot__starts_at", "pk")
    )
    sections = [
        Section(
            key="appointments",
            title=_("Appointments in help hours"),
            columns=[
                ("starts_at", _("When")),
                ("digipunt", _("Digipunt")),
                ("name", _("Name")),
                ("phone", _("Phone")),
                ("email", _("E-mail")),
                ("notes", _("What the resident needs help with")),
                ("status_label", _("Status")),
                ("cancel_reason", _("Reason for cancelling")),
            ],
            rows=[
                {
                    "starts_at": a.slot.starts_at,
                    "digipunt": a.slot.digipunt.name,
                    "name": a.name,
                    "phone": a.phone,
                    "email": a.email,
                    "language": a.language,
                    "theme": a.theme.label if a.theme else "",
                    "notes": a.notes,
                    "status": a.status,
                    "status_label": a.get_status_display(),
                    "channel": a.channel,
                    "booked_at": a.booked_at,
                    "cancel_reason": a.cancel_reason,
                }
                for a in appointments
            ],
        ),
    ]
    if subject.kind == RESIDENT:
        contacts = (
            HelpContact.objects.in_network(subject.network_id)
            .filter(resident_id=subject.id)
            .select_related("digipunt", "theme")
            .order_by("occurred_at", "pk")
        )
        sections.append(
            Section(
                key="help_contacts",
                title=_("Questions answered at a digipunt"),
                columns=[
                    ("occurred_at", _("When")),
                    ("digipunt", _("Digipunt")),
                    ("theme", _("Theme")),
                    ("outcome_label", _("Outcome")),
                ],
                rows=[
                    {
                        "occurred_at": c.occurred_at,
                        "digipunt": c.digipunt.name,
                        "theme": c.theme.label,
                        "minutes": c.minutes,
                        "language": c.language,
                        "outcome": c.outcome,
                        "outcome_label": c.get_outcome_display(),
                    }
                    for c in contacts
                ],
            )
        )
    return sections


def digipunten_erase(subject: Subject) -> None:
    appointments = _appointments(subject)
    if subject.kind == BOOKER:
        appointments.update(name=ERASED_NAME, phone="", email="", notes="", cancel_reason="")
    else:
        appointments.update(name="", phone="", email="", notes="", cancel_reason="")
    # Help contacts hold no free text: their link to the (now anonymous) resident stays for the figures.
