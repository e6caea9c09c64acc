"""What referrals holds about a resident, for the privacy registry (registered in hooks.py).

Requests (also those taken in through intake and the public site), their referrals, the
referrals' notes and status changes, and internet-tariff applications. Erasure blanks the free
texts, which may hold anything about the person; statuses, dates, services and organisations
stay, so the figures (days to first referral, outcomes per partner) still count.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from digibank.privacy.registry import Section, Subject

from .models import InternetTariffApplication, Referral, ReferralEvent, ReferralNote, Request

MODELS = [
    "referrals.Request",
    "referrals.Referral",
    "referrals.ReferralEvent",
    "referrals.ReferralNote",
    "referrals.InternetTariffApplication",
]
ERASED_TEXT = gettext_lazy("(erased)")


def _requests(subject: Subject):
    return Request.objects.in_network(subject.network_id).filter(resident_id=subject.id)


def _person(user) -> str:
    return str(user) if user is not None else ""


def referrals_export(subject: Subject) -> list[Section]:
    requests = list(_requests(subject).order_by("created_at", "pk"))
    referrals = list(
        Referral.objects.in_network(subject.network_id)
        .filter(request__in=[r.pk for r in requests])
        .select_related("request", "service", "to_organisation")
        .order_by("created_at", "pk")
    )
    notes = (
        ReferralNote.objects.in_network(subject.network_id)
        .filter(referral__in=[r.pk for r in referrals])
        .select_related("referral__request", "author")
        .order_by("created_at", "pk")
    )
    events = (
        ReferralEvent.objects.in_network(subject.network_id)
        .filter(referral__in=[r.pk for r in referrals])
        .select_related("referral__request")
        .order_by("at", "pk")
    )
    tariffs = (
        InternetTariffApplication.objects.in_network(subject.network_id)
        .filter(resident_id=subject.id)
        .order_by("created_at", "pk")
    )
    return [
        Section(
            key="requests",
            title=_("Requests for help"),
            columns=[
                ("reference", _("Reference")),
                ("created_at", _("Received at")),
                ("needs", _("Needs")),
                ("description", _("In their own words")),
                ("status_label", _("Status")),
                ("closed_reason", _("Why closed")),
            ],
            rows=[
                {
                    "reference": r.reference,
                    "created_at": r.created_at,
                    "needs": r.need_labels(),
                    "description": r.description,
                    "urgency": r.urgency,
                    "channel": r.channel,
                    "consent_to_share": r.consent_to_share,
                    "status": r.status,
                    "status_label": r.get_status_display(),
                    "closed_at": r.closed_at,
                    "closed_reason": r.closed_reason,
                }
                for r in requests
            ],
        ),
        Section(
            key="referrals",
            title=_("Referrals to organisations"),
            columns=[
                ("request", _("Request")),
                ("service", _("Service")),
                ("organisation", _("Organisation")),
                ("status_label", _("Status")),
                ("handover_contact", _("How to reach the resident")),
                ("outcome_reason", _("Reason")),
            ],
            rows=[
                {
                    "request": r.request.reference,
                    "service": r.service.name,
                    "organisation": r.to_organisation.name,
                    "created_at": r.created_at,
                    "status": r.status,
                    "status_label": r.get_status_display(),
                    "handover_contact": r.handover_contact,
                    "outcome_reason": r.outcome_reason,
                    "delivered_at": r.delivered_at,
                }
                for r in referrals
            ],
        ),
        Section(
            key="referral_events",
            title=_("Status changes of the referrals"),
            columns=[
                ("request", _("Request")),
                ("at", _("When")),
                ("to_status", _("Status")),
                ("reason", _("Reason")),
            ],
            rows=[
                {
                    "request": e.referral.request.reference,
                    "at": e.at,
                    "from_status": e.from_status,
                    "to_status": e.to_status,
                    "reason": e.reason,
                }
                for e in events
            ],
        ),
        Section(
            key="referral_notes",
            title=_("Notes on the referrals"),
            columns=[
                ("request", _("Request")),
                ("created_at", _("When")),
                ("author", _("Who")),
                ("text", _("Note")),
            ],
            rows=[
                {
                    "request": n.referral.request.reference,
                    "created_at": n.created_at,
                    "author": _person(n.author),
                    "visibility": n.visibility,
                    "text": n.text,
                }
                for n in notes
            ],
        ),
        Section(
            key="tariff_applications",
            title=_("Internet tariff applications"),
            columns=[
                ("offer", _("Offer")),
                ("eligibility_basis", _("Eligible because")),
                ("outcome_label", _("Outcome")),
                ("notes", _("Notes")),
            ],
            rows=[
                {
                    "offer": t.offer,
                    "eligibility_basis": t.eligibility_basis,
                    "applied_on": t.applied_on,
                    "outcome": t.outcome,
                    "outcome_label": t.get_outcome_display(),
                    "follow_up_on": t.follow_up_on,
                    "notes": t.notes,
                    "created_at": t.created_at,
                }
                for t in tariffs
            ],
        ),
    ]


def referrals_erase(subject: Subject) -> None:
    network_id = subject.network_id
    requests = _requests(subject)
    requests.update(description="", closed_reason="")
    referrals = Referral.objects.in_network(network_id).filter(request__in=requests)
    referrals.update(handover_contact="", outcome_reason="")
    ReferralEvent.objects.in_network(network_id).filter(referral__in=referrals).update(reason="")
    ReferralNote.objects.in_network(network_id).filter(referral__in=referrals).update(text=str(ERASED_TEXT))
    InternetTariffApplication.objects.in_network(network_id).filter(resident_id=subject.id).update(
        notes="", eligibility_basis=""
    )
