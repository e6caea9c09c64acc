"""Demo data of the referral flow: requests and referrals between the demo partners, in every
status, with their history over the last months, notes, follow-ups and notifications.

Called by ``manage.py demo`` once per demo network, after the catalogue (its services are
what residents are referred to) and lending (its waiting-list categories). Deterministic:
every random value is drawn from ``rng`` before anything is looked up, so a second run
consumes ``rng`` exactly like the first. Idempotent: nothing is added to a network that
already has requests.

The rows are written directly with their historic timestamps (the services stamp "now");
each history follows models.REFERRAL_TRANSITIONS and the request's status is derived by
services.request_sync_status, the same rule as live. No e-mail or SMS is sent.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from digibank.catalogue import ports
from digibank.catalogue.models import Service, ServiceKind
from digibank.networks.models import Membership
from digibank.networks.roles import Role
from digibank.notifications.models import Notification
from digibank.organisations.models import Organisation
from digibank.residents.models import Resident, ResidentAccess
from digibank.residents.services import timeline_add

from . import texts
from .intake import demo as intake_demo
from .models import (
    OPEN_REFERRAL_STATUSES,
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
)
from .services import request_sync_status
from .tariffs import demo as tariffs_demo

S = ReferralStatus
# Where each demo referral ends, as the steps it took from "sent" (checked against the table).
PATHS: dict[str, list[str]] = {
    "sent": [],
    "accepted": [S.ACCEPTED],
    "in_progress": [S.ACCEPTED, S.IN_PROGRESS],
    "done": [S.ACCEPTED, S.IN_PROGRESS, S.DONE],
    "declined": [S.DECLINED],
    "no_show": [S.ACCEPTED, S.NO_SHOW],
    "not_reached": [S.NOT_REACHED],
    "cancelled": [S.NOT_REACHED, S.CANCELLED],
    "sent_again": [S.ACCEPTED, S.NO_SHOW, S.SENT],
}
# How many demo requests end in each way, per network size. Every status at least twice.
LEUVEN_PLAN = {
    "unreferred": 4,
    "sent": 4,
    "accepted": 4,
    "in_progress": 5,
    "done": 10,
    "declined": 3,
    "no_show": 3,
    "not_reached": 2,
    "cancelled": 2,
    "sent_again": 2,
}
SMALL_PLAN = {key: min(count, 2) for key, count in LEUVEN_PLAN.items()}
NEEDS_BY_KIND = {
    ServiceKind.DEVICE_LOAN: Need.DEVICE,
    ServiceKind.DEVICE_GIFT: Need.DEVICE,
    ServiceKind.INTERNET_TARIFF: Need.INTERNET,
    ServiceKind.COURSE: Need.SKILLS,
    ServiceKind.DIGIBUDDY: Need.ONE_TO_ONE,
    ServiceKind.HELP_HOURS: Need.TASK_HELP,
    ServiceKind.TASK_HELP: Need.TASK_HELP,
    ServiceKind.REPAIR: Need.DEVICE,
}
# Dutch, like the rest of the demo content (the interface itself is translated).
DESCRIPTIONS = [
    "Heeft een laptop nodig voor de school van de kinderen.",
    "Wil leren mailen en foto's van de kleinkinderen bekijken.",
    "Zoekt werk en moet solliciteren via de website van de VDAB.",
    "Krijgt de brieven van de bank alleen nog digitaal en raakt er niet wijs uit.",
    "Heeft geen internet thuis; het abonnement is te duur.",
    "Wil itsme installeren om de belastingaangifte te kunnen doen.",
    "Oude computer start niet meer op.",
]
DECLINE_REASONS = [
    "Cursus zit vol tot na de zomer; we zetten haar op de reservelijst.",
    "Valt buiten ons werkingsgebied.",
    "Geen vrijwilliger beschikbaar die Arabisch spreekt.",
]
FAIL_REASONS = [
    "Twee keer gebeld, geen antwoord; brief gestuurd.",
    "Niet komen opdagen op de afspraak van dinsdag.",
    "Telefoonnummer klopt niet meer.",
]
CANCEL_REASONS = [
    "Inwoner is verhuisd naar een andere gemeente.",
    "Heeft intussen zelf een oplossing gevonden.",
]
NOTES = [
    ("Belt liefst 's ochtends, voor 11 uur.", NoteVisibility.ALL),
    ("Spreekt weinig Nederlands; een tolk of Frans helpt.", NoteVisibility.RECEIVER),
    ("Schuldbemiddeling loopt; niet over geld beginnen aan de telefoon.", NoteVisibility.DESK),
    ("Afspraak vastgelegd voor volgende week.", NoteVisibility.ALL),
]


@dataclass
class Draw:
    """Every random choice for one demo request, drawn before anything is looked up."""

    outcome: str
    days_ago: int
    urgency: str
    channel_roll: float
    partner_roll: float
    resident_roll: float
    service_roll: float
    consent: bool
    description: int
    step_gaps: list[int] = field(default_factory=list)
    follow_up_offset: int = 0
    note: int | None = None
    reason: int = 0
    assigned: bool = False


def _draws(rng: random.Random, plan: dict[str, int]) -> list[Draw]:
    draws = []
    for outcome, count in plan.items():
        for _ in range(count):
            draws.append(
                Draw(
                    outcome=outcome,
                    days_ago=rng.randint(8, 12) if outcome == "unreferred" else rng.randint(3, 150),
                    urgency=rng.choices(["low", "normal", "high"], weights=[2, 6, 2])[0],
                    channel_roll=rng.random(),
                    partner_roll=rng.random(),
                    resident_roll=rng.random(),
                    service_roll=rng.random(),
                    consent=rng.random() < 0.85,
                    description=rng.randrange(len(DESCRIPTIONS)),
                    step_gaps=[rng.randint(1, 6) for _ in range(5)],
                    follow_up_offset=rng.choice([-9, -4, -2, -1, 0, 0, 1, 3, 7, 10]),
                    note=rng.randrange(len(NOTES)) if rng.random() < 0.5 else None,
                    reason=rng.randrange(6),
                    assigned=rng.random() < 0.6,
                )
            )
    return draws


def _pick(items: list, roll: float):
    return items[min(int(roll * len(items)), len(items) - 1)]


def _members(network, role) -> list[Membership]:
    return list(
        Membership.objects.in_network(network)
        .active()
        .filter(role=role)
        .select_related("user", "organisation")
        .order_by("pk")
    )


@transaction.atomic
def demo_load(*, network, rng: random.Random, users: dict | None = None) -> None:
    """Intake rules, internet tariff applications, then requests and referrals for a demo network."""
    intake_demo.demo_load(network=network)
    tariffs_demo.demo_load(network=network, rng=random.Random(f"{network.slug}:tariffs"), users=users or {})
    _requests_demo(network=network, rng=rng, users=users)


def _requests_demo(*, network, rng: random.Random, users: dict | None = None) -> None:
    """Requests and referrals; nothing when the network already has requests."""
    plan = LEUVEN_PLAN if network.slug == "leuven-demo" else SMALL_PLAN
    draws = _draws(rng, plan)
    if Request.objects.in_network(network).exists():
        return
    services = list(
        Service.objects.in_network(network)
        .filter(is_active=True)
        .select_related("organisation")
        .order_by("pk")
    )
    residents = list(Resident.objects.in_network(network).not_erased().order_by("pk"))
    desk_members = _members(network, Role.SERVICE_DESK) or _members(network, Role.COORDINATOR)
    if not services or not residents or not desk_members:
        return
    desk = desk_members[0].user
    partner_members = _members(network, Role.PARTNER_WORKER)
    workers: dict[int, list] = {}
    for member in partner_members:
        workers.setdefault(member.organisation_id, []).append(member.user)
    # Referring partners: those with a demo user first (so their outbox shows the loop), then others.
    referrers = [m.organisation for m in partner_members]
    referrers += [
        o
        for o in Organisation.objects.in_network(network).filter(is_active=True).order_by("name")
        if o.pk not in {r.pk for r in referrers} and o.pk not in {s.organisation_id for s in services}
    ][:4]
    registered_by = {}
    for access in ResidentAccess.objects.in_network(network).filter(reason=ResidentAccess.Reason.REGISTERED):
        registered_by.setdefault(access.organisation_id, []).append(access.resident_id)
    residents_by_id = {r.pk: r for r in residents}
    today = timezone.localdate()
    now = timezone.now()
    numbers: dict[int, int] = {}
    with translation.override(settings.LANGUAGE_CODE):
        for draw in sorted(draws, key=lambda d: -d.days_ago):  # oldest first: references in order
            created_at = now - datetime.timedelta(days=draw.days_ago, hours=draw.step_gaps[0])
            year = timezone.localdate(created_at).year
            numbers[year] = numbers.get(year, 0) + 1
            channel, referrer = _channel(draw, referrers)
            own = registered_by.get(referrer.pk, []) if referrer else []
            resident = (
                residents_by_id[_pick(own, draw.resident_roll)]
                if own
                else _pick(residents, draw.resident_roll)
            )
            service = _pick(services, draw.service_roll)
            request = Request.objects.create(
                network=network,
                reference=f"R{year}-{numbers[year]:05d}",
                resident=resident,
                needs=[NEEDS_BY_KIND.get(service.kind, Need.OTHER)],
                description=DESCRIPTIONS[draw.description],
                urgency=draw.urgency,
                channel=channel,
                referred_by=referrer,
                consent_to_share=draw.consent or service.requires_consent,
                status=RequestStatus.IN_TRIAGE if draw.assigned else RequestStatus.NEW,
                assigned_to=desk if draw.assigned else None,
                created_by=(workers.get(referrer.pk) or [desk])[0] if referrer else desk,
                created_at=created_at,
            )
            if referrer is not None:
                ResidentAccess.objects.get_or_create(
                    network=network,
                    resident=resident,
                    organisation=referrer,
                    defaults={"reason": ResidentAccess.Reason.REFERRED},
                )
            timeline_add(
                resident=resident,
                kind=ReferralTimelineKind.REQUEST_RECEIVED,
                summary=texts.timeline_request_received(request),
                actor=request.created_by,
                occurred_at=created_at,
            )
            if draw.outcome == "unreferred":
                continue
            _referral(
                request=request, service=service, draw=draw, desk=desk, workers=workers, today=today, now=now
            )
    for year, last in numbers.items():
        RequestSequence.objects.update_or_create(network=network, year=year, defaults={"last": last})


def _channel(draw: Draw, referrers: list[Organisation]) -> tuple[str, Organisation | None]:
    if draw.channel_roll < 0.55 and referrers:
        return Channel.PARTNER, _pick(referrers, draw.partner_roll)
    if draw.channel_roll < 0.75:
        return Channel.PHONE, None
    if draw.channel_roll < 0.9:
        return Channel.WALK_IN, None
    return Channel.DIGIPUNT, None


def _referral(*, request: Request, service: Service, draw: Draw, desk, workers: dict, today, now) -> None:
    network_id = request.network_id
    receiver = (workers.get(service.organisation_id) or [desk])[0]
    at = request.created_at + datetime.timedelta(days=draw.step_gaps[1])
    referral = Referral.objects.create(
        network_id=network_id,
        request=request,
        service=service,
        to_organisation_id=service.organisation_id,
        status=S.SENT,
        created_by=desk,
        created_at=at,
        handover_contact="" if request.consent_to_share else "Via de servicedesk: 016 00 00 00 (demo)",
    )
    if request.consent_to_share:
        ResidentAccess.objects.get_or_create(
            network_id=network_id,
            resident=request.resident,
            organisation_id=service.organisation_id,
            defaults={"reason": ResidentAccess.Reason.REFERRED},
        )
    events = [
        ReferralEvent(network_id=network_id, referral=referral, actor=desk, from_status="", to_status=S.SENT)
    ]
    times = [at]
    status = S.SENT
    reason = ""
    for index, step in enumerate(PATHS[draw.outcome]):
        assert step in REFERRAL_TRANSITIONS[status], (status, step)
        at = min(
            at + datetime.timedelta(days=draw.step_gaps[(index + 2) % 5]), now - datetime.timedelta(hours=1)
        )
        reason = {
            S.DECLINED: DECLINE_REASONS[draw.reason % len(DECLINE_REASONS)],
            S.NO_SHOW: FAIL_REASONS[draw.reason % len(FAIL_REASONS)],
            S.NOT_REACHED: FAIL_REASONS[draw.reason % len(FAIL_REASONS)],
            S.CANCELLED: CANCEL_REASONS[draw.reason % len(CANCEL_REASONS)],
        }.get(step, "")
        actor = desk if step in (S.CANCELLED, S.SENT) else receiver
        events.append(
            ReferralEvent(
                network_id=network_id,
                referral=referral,
                actor=actor,
                from_status=status,
                to_status=step,
                reason=reason,
            )
        )
        times.append(at)
        status = step
    referral.status = status
    referral.outcome_reason = reason if status != S.SENT else ""
    referral.delivered_at = at if status == S.DONE else None
    if status not in (S.DONE, S.DECLINED, S.CANCELLED):
        referral.follow_up_on = today + datetime.timedelta(days=draw.follow_up_offset)
    referral.save(update_fields=["status", "outcome_reason", "delivered_at", "follow_up_on"])
    created = ReferralEvent.objects.bulk_create(events)
    for event, when in zip(created, times, strict=True):
        ReferralEvent.objects.filter(pk=event.pk).update(at=when)
    if draw.note is not None:
        text, visibility = NOTES[draw.note]
        note = ReferralNote.objects.create(
            network_id=network_id, referral=referral, author=receiver, text=text, visibility=visibility
        )
        ReferralNote.objects.filter(pk=note.pk).update(created_at=times[-1])
    timeline_add(
        resident=request.resident,
        kind=ReferralTimelineKind.REFERRAL_SENT,
        summary=texts.timeline_referred(referral),
        actor=desk,
        occurred_at=times[0],
    )
    if len(times) > 1:
        timeline_add(
            resident=request.resident,
            kind=ReferralTimelineKind.REFERRAL_CHANGED,
            summary=texts.timeline_changed(referral),
            actor=receiver,
            occurred_at=times[-1],
        )
    if referral.service.kind == ServiceKind.DEVICE_LOAN and status in OPEN_REFERRAL_STATUSES:
        _waiting_list(referral=referral, desk=desk, requested_at=times[0])
    request_sync_status(request, now=times[-1])
    if request.status == RequestStatus.FOLLOW_UP and draw.reason % 3 == 0:
        # Some failed hand-overs the desk closed after a call with the resident.
        request.status = RequestStatus.CLOSED
        request.closed_at = times[-1] + datetime.timedelta(days=1)
        request.closed_reason = "Inwoner gebeld: geholpen via een andere weg."
        request.save(update_fields=["status", "closed_at", "closed_reason"])
    _notifications(referral=referral, workers=workers, last_change=times[-1], now=now)


def _waiting_list(*, referral: Referral, desk, requested_at) -> None:
    """Like a live device-loan referral: the delivering capability (lending) takes the resident on
    its waiting list, if its rules allow it (else the referral has no handle: the demo cannot ask)."""
    delivery = ports.delivery_for(referral.service.kind)
    if delivery is None:
        return
    request = referral.request
    info = ports.ReferralInfo(
        network_id=referral.network_id,
        resident=request.resident,
        reference=request.reference,
        referred_at=requested_at,
    )
    try:
        with transaction.atomic():
            handle = delivery.start(referral=info, data={"device_kind": "laptop"}, actor=desk)
    except ports.DeliveryRefused:
        return
    Referral.objects.filter(pk=referral.pk).update(delivery_handle=handle)


def _notifications(*, referral: Referral, workers: dict, last_change, now) -> None:
    """The referring partner's workers were told about the last change; older ones are read."""
    users = workers.get(referral.request.referred_by_id, [])
    if not users:
        return
    rows = []
    for user in users:
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            rows.append(
                Notification(
                    network_id=referral.network_id,
                    user=user,
                    text=texts.referral_changed(referral)[:300],
                    url=texts.referral_url(referral),
                    read_at=last_change if now - last_change > datetime.timedelta(days=14) else None,
                )
            )
    for notification in Notification.objects.bulk_create(rows):
        Notification.objects.filter(pk=notification.pk).update(created_at=last_change)
