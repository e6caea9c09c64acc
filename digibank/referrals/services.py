"""Writes about requests and referrals: intake, triage, referring, the referral lifecycle, notes.

The rules of the closed loop live here, once, for the pages, the API, the public site and the
demo alike:

- Intake: a reference per network and year (R2026-00001), taken under a row lock that also
  serialises the cap on open requests per referring organisation.
- Resident access: the referring organisation always keeps access to the resident it
  referred; a receiving organisation gets access only when the resident consented to share
  (Request.consent_to_share). Without consent it sees the need, the first name and the
  hand-over route the desk chose (Referral.handover_contact) — see selectors.resident_shown.
- Lifecycle: models.REFERRAL_TRANSITIONS is the one table; ``referral_transition`` the one
  function that changes a status, and every change is a ReferralEvent (who, when, from → to, why).
- The request follows its referrals: "referred" while one is open, "needs follow-up" when a
  hand-over failed and nothing else is open (never silently closed), closed automatically
  only when every referral is done (cancelled ones aside), otherwise only by the desk.

Side effects (e-mail, SMS) go out on commit, through digibank.notifications.services.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from digibank.catalogue import ports
from digibank.catalogue.models import Service
from digibank.messaging.models import MessageStatus
from digibank.messaging.services import resident_language, resident_message
from digibank.networks.models import Membership
from digibank.networks.roles import Role
from digibank.notifications.services import notify
from digibank.organisations.models import Organisation
from digibank.residents.models import Resident, ResidentAccess
from digibank.residents.services import resident_create, timeline_add

from . import texts
from .intake.selectors import cap_refusal_message
from .models import (
    DESK_ONLY_TRANSITIONS,
    FAILED_REFERRAL_STATUSES,
    OPEN_REFERRAL_STATUSES,
    REASON_REQUIRED,
    REFERRAL_TRANSITIONS,
    Channel,
    Need,
    NoteVisibility,
    Referral,
    ReferralEvent,
    ReferralNote,
    ReferralStatus,
    ReferralTimelineKind,
    Request,
    RequestSequence,
    RequestStatus,
    Urgency,
)

DEFAULT_FOLLOW_UP_DAYS = 7
REASON_LENGTH = 300


class IntakeRefused(ValidationError):
    """A request was refused (e.g. the referring organisation reached its cap). Nothing was saved."""


class ReferralRefused(ValidationError):
    """A referral or a status change was refused. Nothing was changed."""


@dataclass(frozen=True)
class PublicIntake:
    """Stands in for a membership when nobody of the network registers (the public site).

    It sees no resident, so the duplicate check can only say "a likely duplicate exists".
    """

    network_id: int
    organisation_id: None = None
    role: str = ""
    is_active: bool = True

    def has(self, permission: str) -> bool:
        return False


def _network_id(network) -> int:
    return network if isinstance(network, int) else network.pk


def _clean_text(value: str | None, length: int = REASON_LENGTH) -> str:
    return " ".join((value or "").split())[:length]


def membership_of(*, user, network_id: int) -> Membership | None:
    if user is None:
        return None
    return (
        Membership.objects.in_network(network_id)
        .active()
        .filter(user=user)
        .select_related("organisation")
        .first()
    )


# --- the cap ---------------------------------------------------------------------------------


def _check_cap(*, network_id: int, organisation: Organisation) -> None:
    """The intake rules (intake.selectors.cap_refusal_message) say whether a new request of
    ``organisation`` would pass the cap. Called under the sequence lock."""
    message = cap_refusal_message(network=network_id, organisation=organisation)
    if message:
        raise IntakeRefused(
            "%s %s" % (message, _("Nothing was saved.")),  # noqa: UP031 -- two translated sentences
            code="cap",
        )


def _next_reference(*, network_id: int, year: int) -> str:
    """R2026-00001, R2026-00002 … per network and year. The row lock makes it safe under concurrency."""
    RequestSequence.objects.get_or_create(network_id=network_id, year=year)
    sequence = RequestSequence.objects.select_for_update().get(network_id=network_id, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"R{year}-{sequence.last:05d}"


def _grant_access(*, resident: Resident, organisation_id: int) -> None:
    ResidentAccess.objects.get_or_create(
        network_id=resident.network_id,
        resident=resident,
        organisation_id=organisation_id,
        defaults={"reason": ResidentAccess.Reason.REFERRED},
    )


# --- requests --------------------------------------------------------------------------------


def _clean_needs(needs: Iterable[str]) -> list[str]:
    needs = list(dict.fromkeys(needs or []))
    if not needs:
        raise ValidationError({"needs": _("Tick at least one need.")})
    unknown = [need for need in needs if need not in Need.values]
    if unknown:
        raise ValidationError({"needs": _("Unknown need: %(needs)s.") % {"needs": ", ".join(unknown)}})
    return needs


@transaction.atomic
def request_create(
    *,
    network,
    needs: Iterable[str],
    channel: str,
    actor,
    resident: Resident | None = None,
    resident_data: dict | None = None,
    description: str = "",
    urgency: str = Urgency.NORMAL,
    referred_by: Organisation | None = None,
    consent_to_share: bool = False,
    membership=None,
    allow_duplicate: bool = False,
    source: str = "requests",
) -> Request:
    """Register a need that entered the network. THE entry point for every channel.

    Called by the request form (service desk: phone, walk-in; partner worker: the referral
    form; digipunt staff), the API (a partner's case system), the digipunten help
    registration and the public site (later).

    - ``network``: the Network (or its id).
    - ``resident`` (an existing Resident of the network) **or** ``resident_data`` (the fields of
      residents.forms.ResidentForm, cleaned): a new resident, registered through
      residents.services.resident_create — which raises residents.services.LikelyDuplicate
      unless ``allow_duplicate`` (the user saw the warning and confirmed).
    - ``needs``: values of models.Need (at least one); ``description``: in their own words.
    - ``urgency``: models.Urgency; ``channel``: models.Channel.
    - ``referred_by``: the referring Organisation; required for channel "partner". The
      network's cap on open requests per referring organisation applies to it
      (IntakeRefused, nothing saved), and it keeps access to the resident.
    - ``consent_to_share``: the resident agrees that receiving organisations get their data.
    - ``actor``: the user who registers (None for the public site); ``membership``: theirs
      (None for the public site: the duplicate check then cannot show who the duplicate is).
    - ``source``: where it came from, for the audit trail (a path, "api:…", "public").

    Returns the Request (status "new"). Raises ValidationError (per field) on bad input.
    """
    network_id = _network_id(network)
    if (resident is None) == (resident_data is None):
        raise ValidationError(_("Give either an existing resident or the data of a new one."))
    needs = _clean_needs(needs)
    if urgency not in Urgency.values:
        raise ValidationError({"urgency": _("Choose an urgency.")})
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Choose how the request came in.")})
    if referred_by is not None and referred_by.network_id != network_id:
        raise ValidationError({"referred_by": _("Choose an organisation of this network.")})
    if channel == Channel.PARTNER and referred_by is None:
        raise ValidationError({"referred_by": _("A partner referral needs the referring organisation.")})
    if resident is not None:
        if resident.network_id != network_id:
            raise ValidationError({"resident": _("Choose a resident of this network.")})
        if resident.is_erased:
            raise ValidationError({"resident": _("This resident was erased.")})
    now = timezone.now()
    # The lock on the year's sequence also serialises the cap check: two partners' requests
    # at the same moment cannot both slip under the cap.
    reference = _next_reference(network_id=network_id, year=timezone.localdate(now).year)
    if referred_by is not None:
        _check_cap(network_id=network_id, organisation=referred_by)
    if resident is None:
        resident = resident_create(
            membership=membership if membership is not None else PublicIntake(network_id=network_id),
            actor=actor,
            data=resident_data,
            source=source,
            allow_duplicate=allow_duplicate,
        )
    request = Request.objects.create(
        network_id=network_id,
        reference=reference,
        resident=resident,
        needs=needs,
        description=(description or "").strip(),
        urgency=urgency,
        channel=channel,
        referred_by=referred_by,
        consent_to_share=bool(consent_to_share),
        status=RequestStatus.NEW,
        created_by=actor,
        created_at=now,
    )
    if referred_by is not None:
        _grant_access(resident=resident, organisation_id=referred_by.pk)
    timeline_add(
        resident=resident,
        kind=ReferralTimelineKind.REQUEST_RECEIVED,
        summary=texts.timeline_request_received(request),
        actor=actor,
        occurred_at=now,
    )
    return request


def _lock_request(request: Request) -> Request:
    return (
        Request.objects.select_for_update(of=("self",))
        .select_related("resident", "referred_by")
        .get(pk=request.pk, network_id=request.network_id)
    )


def triage_colleagues(*, network):
    """Members a request can be assigned to: active coordinators and service desk."""
    return (
        Membership.objects.in_network(_network_id(network))
        .active()
        .filter(role__in=[Role.COORDINATOR, Role.SERVICE_DESK], user__is_active=True)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "pk")
    )


@transaction.atomic
def request_assign(*, request: Request, assignee, actor) -> Request:
    """Give a request to a colleague of the desk (``assignee`` None: nobody). New → in triage."""
    request = _lock_request(request)
    if (
        assignee is not None
        and not triage_colleagues(network=request.network_id).filter(user=assignee).exists()
    ):
        raise ValidationError({"assigned_to": _("Choose a colleague of the service desk.")})
    request.assigned_to = assignee
    fields = ["assigned_to"]
    if assignee is not None and request.status == RequestStatus.NEW:
        request.status = RequestStatus.IN_TRIAGE
        fields.append("status")
    request.save(update_fields=fields)
    if assignee is not None and actor is not None and assignee.pk != actor.pk:
        notify(
            network_id=request.network_id,
            users=[assignee],
            text=lambda: texts.assigned(request),
            url=texts.request_url(request),
        )
    return request


def _receiving_organisations(request: Request) -> set[int]:
    return set(
        Referral.objects.in_network(request.network_id)
        .filter(request=request)
        .values_list("to_organisation_id", flat=True)
    )


@transaction.atomic
def request_set_consent(*, request: Request, consent_to_share: bool, actor) -> Request:
    """Record that the resident gave or withdrew consent to share with receiving organisations.

    Given: every organisation this request was referred to gets access. Withdrawn: those
    organisations lose the access this request gave them (not access they have for another
    reason: they registered or referred the resident, or another request with consent).
    """
    request = _lock_request(request)
    consent_to_share = bool(consent_to_share)
    if request.consent_to_share == consent_to_share:
        return request
    request.consent_to_share = consent_to_share
    request.save(update_fields=["consent_to_share"])
    resident = request.resident
    receivers = _receiving_organisations(request)
    if consent_to_share:
        for organisation_id in receivers:
            _grant_access(resident=resident, organisation_id=organisation_id)
    else:
        for organisation_id in receivers - {request.referred_by_id}:
            _revoke_access_if_unused(resident=resident, organisation_id=organisation_id)
    timeline_add(
        resident=resident,
        kind=ReferralTimelineKind.REFERRAL_CHANGED,
        summary=texts.timeline_consent(request),
        actor=actor,
    )
    return request


def _revoke_access_if_unused(*, resident: Resident, organisation_id: int) -> None:
    network_id = resident.network_id
    still_needed = (
        Request.objects.in_network(network_id)
        .filter(resident=resident, referred_by_id=organisation_id)
        .exists()
        or Referral.objects.in_network(network_id)
        .filter(
            request__resident=resident, request__consent_to_share=True, to_organisation_id=organisation_id
        )
        .exists()
    )
    if not still_needed:
        ResidentAccess.objects.in_network(network_id).filter(
            resident=resident, organisation_id=organisation_id, reason=ResidentAccess.Reason.REFERRED
        ).delete()


@transaction.atomic
def request_close(*, request: Request, actor, reason: str) -> Request:
    """The desk closes a request explicitly (with a reason). Refused while a referral is still open."""
    request = _lock_request(request)
    reason = _clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why the request is closed.")})
    if request.status == RequestStatus.CLOSED:
        raise ValidationError(_("This request is already closed."))
    open_referrals = Referral.objects.in_network(request.network_id).filter(
        request=request, status__in=OPEN_REFERRAL_STATUSES
    )
    if open_referrals.exists():
        raise ValidationError(
            _(
                "This request still has open referrals. Wait for their outcome or cancel them first, "
                "so the receiving organisation knows."
            )
        )
    request.status = RequestStatus.CLOSED
    request.closed_at = timezone.now()
    request.closed_reason = reason
    request.save(update_fields=["status", "closed_at", "closed_reason"])
    timeline_add(
        resident=request.resident,
        kind=ReferralTimelineKind.REQUEST_CLOSED,
        summary=texts.timeline_closed(request),
        actor=actor,
    )
    _notify_partners(request=request, referral=None, actor=actor, text=lambda: texts.request_closed(request))
    return request


@transaction.atomic
def request_reopen(*, request: Request, actor) -> Request:
    """Open a closed request again; it comes back as "needs follow-up" for the desk."""
    request = _lock_request(request)
    if request.status != RequestStatus.CLOSED:
        raise ValidationError(_("This request is not closed."))
    request.status = RequestStatus.FOLLOW_UP
    request.closed_at = None
    request.closed_reason = ""
    request.save(update_fields=["status", "closed_at", "closed_reason"])
    timeline_add(
        resident=request.resident,
        kind=ReferralTimelineKind.REQUEST_REOPENED,
        summary=texts.timeline_reopened(request),
        actor=actor,
    )
    return request


def request_sync_status(request: Request, *, now: datetime.datetime | None = None) -> Request:
    """Let the request follow its referrals (call inside the transaction that changed them).

    Open referral → "referred". Nothing open: every referral done (cancelled ones aside) →
    closed; a failed or cancelled hand-over → "needs follow-up". A request the desk closed
    stays closed unless a referral is open again.
    """
    statuses = set(
        Referral.objects.in_network(request.network_id)
        .filter(request=request)
        .values_list("status", flat=True)
    )
    if not statuses:
        return request
    now = now or timezone.now()
    if statuses & OPEN_REFERRAL_STATUSES:
        status, closed_at, closed_reason = RequestStatus.REFERRED, None, ""
    elif request.status == RequestStatus.CLOSED:
        return request
    elif ReferralStatus.DONE in statuses and statuses <= {ReferralStatus.DONE, ReferralStatus.CANCELLED}:
        status, closed_at, closed_reason = RequestStatus.CLOSED, now, texts.closed_all_done()
    else:
        status, closed_at, closed_reason = RequestStatus.FOLLOW_UP, None, ""
    if (request.status, request.closed_at, request.closed_reason) != (status, closed_at, closed_reason):
        request.status, request.closed_at, request.closed_reason = status, closed_at, closed_reason
        Request.objects.filter(pk=request.pk).update(
            status=status, closed_at=closed_at, closed_reason=closed_reason
        )
    return request


# --- referring -------------------------------------------------------------------------------


def _delivery_start(*, referral: Referral, actor, data: dict) -> None:
    """A service whose kind a capability delivers (a device loan: lending) starts there now; the
    referral keeps the handle. Refused in the capability -> the referral is refused too."""
    delivery = ports.delivery_for(referral.service.kind)
    if delivery is None:
        return
    request = referral.request
    info = ports.ReferralInfo(
        network_id=referral.network_id, resident=request.resident, reference=request.reference
    )
    try:
        referral.delivery_handle = delivery.start(referral=info, data=data, actor=actor)
    except ports.DeliveryRefused as exc:
        raise ReferralRefused(" ".join(exc.messages)) from exc


def _delivery_stop(*, referral: Referral, actor, reason: str) -> None:
    """A declined or cancelled referral stops its delivery (the resident leaves the waiting list),
    unless another open referral counts on the same handle."""
    delivery = ports.delivery_for(referral.service.kind)
    if delivery is None or referral.delivery_handle is None:
        return
    shared = (
        Referral.objects.in_network(referral.network_id)
        .filter(
            service__kind=referral.service.kind,
            delivery_handle=referral.delivery_handle,
            status__in=OPEN_REFERRAL_STATUSES,
        )
        .exclude(pk=referral.pk)
    )
    if not shared.exists():
        delivery.stop(
            network_id=referral.network_id, handle=referral.delivery_handle, actor=actor, reason=reason
        )


@transaction.atomic
def request_refer(
    *,
    request: Request,
    services: Iterable[Service],
    actor,
    follow_up_on: datetime.date | None = None,
    handover_contact: str = "",
    note: str = "",
    note_visibility: str = NoteVisibility.ALL,
    delivery_data: dict | None = None,
) -> list[Referral]:
    """Refer a request to one or more services: a Referral each (status "sent"), with its event,
    access for the receiving organisation when the resident consented, the start of the delivery
    where a capability delivers that kind of service (a device loan: the waiting list, with
    ``delivery_data`` such as the device kind and category), notifications to both partners and
    to the resident.

    Refused (ReferralRefused, nothing saved) when the request is closed, a service is not on
    offer, a service needs consent the resident did not give, or the request already has an
    open referral to that service.
    """
    request = _lock_request(request)
    services = list(dict.fromkeys(services))
    if not services:
        raise ValidationError({"services": _("Choose at least one service.")})
    if request.status == RequestStatus.CLOSED:
        raise ReferralRefused(_("This request is closed. Reopen it before you refer it again."))
    now = timezone.now()
    follow_up_on = follow_up_on or timezone.localdate(now) + datetime.timedelta(days=DEFAULT_FOLLOW_UP_DAYS)
    handover_contact = _clean_text(handover_contact)
    already = set(
        Referral.objects.in_network(request.network_id)
        .filter(request=request, status__in=OPEN_REFERRAL_STATUSES)
        .values_list("service_id", flat=True)
    )
    for service in services:
        if service.network_id != request.network_id or not service.is_active:
            raise ReferralRefused(
                _("%(service)s is not on offer in this network.") % {"service": service.name}
            )
        if service.requires_consent and not request.consent_to_share:
            raise ReferralRefused(
                _(
                    "%(service)s needs the resident's consent to share their data with %(organisation)s. "
                    "Ask the resident and record their consent on this request first."
                )
                % {"service": service.name, "organisation": service.organisation.name}
            )
        if service.pk in already:
            raise ReferralRefused(
                _("This request already has an open referral to %(service)s.") % {"service": service.name}
            )
    referrals = []
    for service in services:
        referral = Referral(
            network_id=request.network_id,
            request=request,
            service=service,
            to_organisation_id=service.organisation_id,
            status=ReferralStatus.SENT,
            follow_up_on=follow_up_on,
            handover_contact=handover_contact,
            created_by=actor,
            created_at=now,
        )
        if request.consent_to_share:
            _grant_access(resident=request.resident, organisation_id=service.organisation_id)
        _delivery_start(referral=referral, actor=actor, data=delivery_data or {})
        referral.save()
        ReferralEvent.objects.create(
            network_id=request.network_id,
            referral=referral,
            actor=actor,
            from_status="",
            to_status=referral.status,
        )
        if _clean_text(note, 5000):
            ReferralNote.objects.create(
                network_id=request.network_id,
                referral=referral,
                author=actor,
                text=note.strip(),
                visibility=note_visibility
                if note_visibility in NoteVisibility.values
                else NoteVisibility.DESK,
            )
        timeline_add(
            resident=request.resident,
            kind=ReferralTimelineKind.REFERRAL_SENT,
            summary=texts.timeline_referred(referral),
            actor=actor,
            occurred_at=now,
        )
        referrals.append(referral)
    request_sync_status(request, now=now)
    for referral in referrals:
        _after_change(referral=referral, actor=actor)
    return referrals


# --- the lifecycle ---------------------------------------------------------------------------


def allowed_transitions(*, referral: Referral, membership) -> list[str]:
    """The statuses this membership may move ``referral`` to now (for the forms)."""
    targets = REFERRAL_TRANSITIONS.get(referral.status, frozenset())
    return [
        status
        for status in ReferralStatus.values
        if status in targets and _may_move(membership=membership, referral=referral, to_status=status) is None
    ]


def _may_move(*, membership, referral: Referral, to_status: str) -> str | None:
    """None when allowed, else why not (the clear message for the user)."""
    if membership is None or not membership.has("referral.update"):
        return _("Your role may not change referrals.")
    if membership.has("request.triage"):
        return None
    if membership.organisation_id != referral.to_organisation_id:
        return _(
            "Only the receiving organisation or the service desk can change the status of this referral."
        )
    if (referral.status, to_status) in DESK_ONLY_TRANSITIONS:
        return _("Only the service desk can cancel a referral or send it again.")
    return None


@transaction.atomic
def referral_transition(
    *,
    referral: Referral,
    to_status: str,
    actor,
    reason: str = "",
    membership=None,
    follow_up_on: datetime.date | None = None,
) -> Referral:
    """Move a referral to ``to_status``: THE one place a referral's status changes.

    Checks the transition against models.REFERRAL_TRANSITIONS and who may make it (the
    receiving organisation, or the desk; cancelling and sending again only the desk), asks a
    reason where one is required (declined, cancelled), records a ReferralEvent, sets
    ``delivered_at`` on "done", lets the request follow, and notifies. A refused change raises
    ReferralRefused with a clear message and changes nothing. ``actor`` None: the system.
    """
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("request__resident", "request__referred_by", "service", "to_organisation")
        .get(pk=referral.pk, network_id=referral.network_id)
    )
    from_status = referral.status
    if to_status not in ReferralStatus.values:
        raise ReferralRefused({"to_status": _("Choose a status.")})
    labels = dict(ReferralStatus.choices)
    allowed = REFERRAL_TRANSITIONS[from_status]
    if to_status not in allowed:
        if not allowed:
            message = _("This referral is “%(from)s”, which is final: its status can no longer change.")
        else:
            message = _(
                "A referral that is “%(from)s” cannot become “%(to)s”. Possible next steps: %(next)s."
            )
        raise ReferralRefused(
            message
            % {
                "from": labels[from_status],
                "to": labels[to_status],
                "next": ", ".join(str(labels[s]) for s in ReferralStatus.values if s in allowed),
            },
            code="forbidden_transition",
        )
    if actor is not None:
        if membership is None:
            membership = membership_of(user=actor, network_id=referral.network_id)
        if (why_not := _may_move(membership=membership, referral=referral, to_status=to_status)) is not None:
            raise ReferralRefused(why_not, code="not_allowed")
    reason = _clean_text(reason)
    if to_status in REASON_REQUIRED and not reason:
        raise ReferralRefused(
            {"reason": _("Say why (the referring partner and the service desk read it).")}, code="reason"
        )
    now = timezone.now()
    referral.status = to_status
    fields = ["status", "outcome_reason"]
    if to_status == ReferralStatus.SENT:  # sent again after a failed hand-over
        referral.outcome_reason = ""
        referral.follow_up_on = follow_up_on or timezone.localdate(now) + datetime.timedelta(
            days=DEFAULT_FOLLOW_UP_DAYS
        )
        fields.append("follow_up_on")
    else:
        referral.outcome_reason = reason or (
            referral.outcome_reason if to_status in FAILED_REFERRAL_STATUSES else ""
        )
        if follow_up_on is not None:
            referral.follow_up_on = follow_up_on
            fields.append("follow_up_on")
    if to_status == ReferralStatus.DONE:
        referral.delivered_at = now
        fields.append("delivered_at")
    referral.save(update_fields=fields)
    ReferralEvent.objects.create(
        network_id=referral.network_id,
        referral=referral,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
    )
    if to_status in (ReferralStatus.DECLINED, ReferralStatus.CANCELLED):
        _delivery_stop(referral=referral, actor=actor, reason=reason)
    request_sync_status(referral.request, now=now)
    timeline_add(
        resident=referral.request.resident,
        kind=ReferralTimelineKind.REFERRAL_CHANGED,
        summary=texts.timeline_changed(referral),
        actor=actor,
        occurred_at=now,
    )
    _after_change(referral=referral, actor=actor)
    return referral


@transaction.atomic
def referral_set_follow_up(
    *, referral: Referral, follow_up_on: datetime.date, actor, membership=None
) -> Referral:
    """Move the follow-up date (the desk, or the receiving organisation)."""
    if actor is not None:
        membership = membership or membership_of(user=actor, network_id=referral.network_id)
        if membership is None or not (
            membership.has("request.triage")
            or (
                membership.has("referral.update")
                and membership.organisation_id == referral.to_organisation_id
            )
        ):
            raise ReferralRefused(
                _("Only the receiving organisation or the service desk can plan the follow-up.")
            )
    if follow_up_on is None:
        raise ValidationError({"follow_up_on": _("Choose a date.")})
    if referral.is_final:
        raise ReferralRefused(_("This referral is finished: there is nothing left to follow up."))
    Referral.objects.filter(pk=referral.pk, network_id=referral.network_id).update(follow_up_on=follow_up_on)
    referral.follow_up_on = follow_up_on
    return referral


def note_visibilities_for(*, membership, referral: Referral) -> list[str]:
    """Which visibilities this membership may give a note on ``referral``."""
    if membership is None:
        return []
    if membership.has("request.triage"):
        return list(NoteVisibility.values)
    if membership.organisation_id and membership.organisation_id == referral.to_organisation_id:
        return [NoteVisibility.ALL, NoteVisibility.RECEIVER]
    return [NoteVisibility.ALL]


@transaction.atomic
def referral_note_add(*, referral: Referral, author, text: str, visibility: str, membership) -> ReferralNote:
    """A note on a referral, for the people ``visibility`` names (selectors.notes_for)."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the note.")})
    if membership is None or not membership.has("referral.update"):
        raise ReferralRefused(_("Your role may not add notes to referrals."))
    if visibility not in note_visibilities_for(membership=membership, referral=referral):
        raise ValidationError({"visibility": _("Choose who may read the note.")})
    return ReferralNote.objects.create(
        network_id=referral.network_id, referral=referral, author=author, text=text, visibility=visibility
    )


# --- telling people --------------------------------------------------------------------------


def _partner_workers(*, network_id: int, organisation_ids: set[int]):
    organisation_ids = {pk for pk in organisation_ids if pk}
    if not organisation_ids:
        return []
    return [
        m.user
        for m in Membership.objects.in_network(network_id)
        .active()
        .filter(role=Role.PARTNER_WORKER, organisation_id__in=organisation_ids, user__is_active=True)
        .select_related("user")
    ]


def _notify_partners(*, request: Request, referral: Referral | None, actor, text) -> None:
    organisation_ids = {request.referred_by_id}
    if referral is not None:
        organisation_ids.add(referral.to_organisation_id)
    users = _partner_workers(network_id=request.network_id, organisation_ids=organisation_ids)
    if request.assigned_to_id:
        users.append(request.assigned_to)
    users = [user for user in users if actor is None or user.pk != actor.pk]
    if users:
        url = texts.referral_url(referral) if referral is not None else texts.request_url(request)
        notify(network_id=request.network_id, users=users, text=text, url=url)


RESIDENT_TOLD_ON = frozenset({ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.DONE})


def _after_change(*, referral: Referral, actor) -> None:
    """Notify the partners on both sides (in-app + e-mail) and, for some steps, the resident."""
    request = referral.request
    _notify_partners(
        request=request, referral=referral, actor=actor, text=lambda: texts.referral_changed(referral)
    )
    if referral.status not in RESIDENT_TOLD_ON:
        return
    resident = request.resident
    with translation.override(resident_language(resident)):
        subject, text = (str(part) for part in texts.for_resident(referral))
    message = resident_message(
        resident=resident,
        template_key="referrals/status",
        payload={"subject": subject, "body": text},
        idempotency_key=f"referral:{referral.pk}:{referral.status}",
    )
    channel = message.channel if message.status in (MessageStatus.QUEUED, MessageStatus.TO_CALL) else ""
    if channel in ("phone", "letter"):
        # A call for a colleague to make, or a letter to print from the outbox: a line for the desk.
        ReferralNote.objects.create(
            network_id=referral.network_id,
            referral=referral,
            author=None,
            text=texts.contact_by_hand(referral, channel),
            visibility=NoteVisibility.DESK,
        )
