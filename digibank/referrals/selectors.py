"""Reads about requests and referrals. Every function starts from a scoped queryset (visible_to).

What a partner worker sees *of the resident* on a request they did not refer, is decided in
one place: ``resident_shown``. With the resident's consent to share (Request.consent_to_share),
the receiving organisation sees the resident as the desk does (and may open their page: it got
a ResidentAccess); without it, only the first name and the hand-over route the desk chose
(Referral.handover_contact). The referring organisation always sees the resident it referred.
"""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Min, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from digibank.catalogue.models import Service
from digibank.catalogue.selectors import (
    NEED_SERVICE_KINDS,
    criteria_satisfied,
    resident_valid_proof_kinds,
    service_criteria_check,
)
from digibank.figures import Figure, FiguresPolicy
from digibank.organisations.models import Organisation
from digibank.residents.models import Resident

from .intake import selectors as intake_selectors
from .models import (
    ACTIVE_REFERRAL_STATUSES,
    NETWORK_WIDE_ROLES,
    Channel,
    NoteVisibility,
    Referral,
    ReferralEvent,
    ReferralNote,
    Request,
    RequestStatus,
    Urgency,
)

REQUESTS_PER_PAGE = 50


# --- what is shown of the resident ----------------------------------------------------------


@dataclass(frozen=True)
class ResidentShown:
    """The resident as one viewer may see them on a request or referral."""

    resident: Resident
    full: bool

    @property
    def name(self) -> str:
        return self.resident.full_name if self.full else self.resident.first_name

    @property
    def may_open(self) -> bool:
        """Link to the resident's page: only with full view (the viewer then has access)."""
        return self.full


def resident_shown(*, membership, request: Request) -> ResidentShown:
    full = (
        membership.role in NETWORK_WIDE_ROLES
        or (membership.organisation_id is not None and request.referred_by_id == membership.organisation_id)
        or request.consent_to_share
    )
    return ResidentShown(resident=request.resident, full=full)


def with_shown(*, membership, requests) -> list[Request]:
    """Attach ``shown`` (ResidentShown) to each request. No queries (the resident is selected)."""
    rows = list(requests)
    for request in rows:
        request.shown = resident_shown(membership=membership, request=request)
    return rows


def referrals_with_shown(*, membership, referrals) -> list[Referral]:
    rows = list(referrals)
    for referral in rows:
        referral.shown = resident_shown(membership=membership, request=referral.request)
    return rows


def residents_named(rows) -> list[Resident]:
    """The residents whose name a page shows (for the audit trail), once each."""
    seen = {}
    for row in rows:
        shown = row.shown
        seen.setdefault(shown.resident.pk, shown.resident)
    return list(seen.values())


# --- requests --------------------------------------------------------------------------------


def _urgency_rank():
    return Case(
        When(urgency=Urgency.HIGH, then=Value(0)),
        When(urgency=Urgency.NORMAL, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def _stage_rank():
    """Untriaged first: new, then in triage, then needing follow-up, then referred (waiting on a partner)."""
    return Case(
        When(status=RequestStatus.NEW, then=Value(0)),
        When(status=RequestStatus.IN_TRIAGE, then=Value(1)),
        When(status=RequestStatus.FOLLOW_UP, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )


def _requests(membership) -> QuerySet[Request]:
    return (
        Request.objects.visible_to(membership)
        .select_related("resident", "referred_by", "assigned_to")
        .annotate(referral_count=Count("referrals", distinct=True))
    )


def triage_queue(
    *, membership, status: str = "", channel: str = "", assigned: str = "", user=None
) -> QuerySet[Request]:
    """Open requests: untriaged first, then in triage, follow-up and referred; within each, urgent
    first, then the longest waiting. ``assigned``: "me" or "nobody"."""
    qs = _requests(membership).open().annotate(stage_rank=_stage_rank(), urgency_rank=_urgency_rank())
    if status:
        qs = qs.filter(status=status)
    if channel:
        qs = qs.filter(channel=channel)
    if assigned == "me" and user is not None:
        qs = qs.filter(assigned_to=user)
    elif assigned == "nobody":
        qs = qs.filter(assigned_to__isnull=True)
    return qs.order_by("stage_rank", "urgency_rank", "created_at", "pk")


def request_list(
    *, membership, status: str = "", channel: str = "", reference: str = ""
) -> QuerySet[Request]:
    """Every request this membership may see (also closed), newest first."""
    qs = _requests(membership)
    if status:
        qs = qs.filter(status=status)
    if channel:
        qs = qs.filter(channel=channel)
    if reference.strip():
        qs = qs.filter(reference__icontains=reference.strip())
    return qs.order_by("-created_at", "-pk")


def request_referrals(*, membership, request: Request) -> list[Referral]:
    """The referrals of a request this membership may see (a receiving partner: only theirs)."""
    return list(
        Referral.objects.visible_to(membership)
        .filter(request=request)
        .select_related("service", "to_organisation")
        .order_by("created_at", "pk")
    )


def outbox(*, membership) -> QuerySet[Request]:
    """Requests the member's organisation referred, newest first, each with its referrals (a
    page costs two queries). Paginate it, then ``with_shown`` the page."""
    if not membership.organisation_id:
        return Request.objects.none()
    referrals = Referral.objects.in_network(membership.network_id).select_related(
        "service", "to_organisation"
    )
    qs = (
        Request.objects.visible_to(membership)
        .filter(referred_by_id=membership.organisation_id)
        .select_related("resident", "referred_by")
        .prefetch_related(Prefetch("referrals", queryset=referrals.order_by("created_at", "pk")))
        .order_by("-created_at", "-pk")
    )
    return qs


def _referrals(membership) -> QuerySet[Referral]:
    return Referral.objects.visible_to(membership).select_related(
        "request__resident", "request__referred_by", "request__assigned_to", "service", "to_organisation"
    )


def inbox(*, membership, show: str = "active") -> QuerySet[Referral]:
    """Referrals sent to the member's organisation: the ones to act on first. Paginate it, then
    ``referrals_with_shown`` the page."""
    if not membership.organisation_id:
        return Referral.objects.none()
    qs = _referrals(membership).filter(to_organisation_id=membership.organisation_id)
    if show == "active":
        qs = qs.filter(status__in=ACTIVE_REFERRAL_STATUSES)
    return qs.order_by("follow_up_on", "created_at", "pk")


# --- one referral ----------------------------------------------------------------------------


def referral_events(*, referral: Referral) -> QuerySet[ReferralEvent]:
    return (
        ReferralEvent.objects.in_network(referral.network_id)
        .filter(referral=referral)
        .select_related("actor")
        .order_by("at", "pk")
    )


def notes_for(*, membership, referral: Referral) -> QuerySet[ReferralNote]:
    """The notes of a referral this membership may read.

    "all": everyone who sees the referral. "receiver": the desk and the receiving
    organisation. "desk": the service desk and the coordinator. Authors read their own notes.
    """
    qs = ReferralNote.objects.in_network(referral.network_id).filter(referral=referral)
    if not membership.has("request.triage"):
        allowed = [NoteVisibility.ALL]
        if membership.organisation_id and membership.organisation_id == referral.to_organisation_id:
            allowed.append(NoteVisibility.RECEIVER)
        qs = qs.filter(Q(visibility__in=allowed) | Q(author_id=membership.user_id))
    return qs.select_related("author").order_by("created_at", "pk")


# --- eligibility -----------------------------------------------------------------------------


@dataclass
class ServiceCheck:
    """One service and, per eligibility criterion, whether the resident meets it.

    The rule itself is the catalogue's (catalogue.selectors.service_criteria_check and
    criteria_satisfied): criteria are alternatives, one met is enough, none means open to all.
    ``answers_need``: the service is of a kind that answers one of the request's needs.
    """

    service: Service
    criteria: list = field(default_factory=list)
    eligible: bool = True
    answers_need: bool = False


def eligibility_checks(*, request: Request, today: datetime.date | None = None) -> list[ServiceCheck]:
    """The resident of ``request`` against every active service of the network (two queries).

    Services that answer one of the request's needs come first. A status criterion is met by
    proof of that kind still valid today; "referral" is met when a partner referred the request.
    """
    proof_kinds = resident_valid_proof_kinds(resident=request.resident, today=today)
    wanted_kinds = {kind for need in request.needs for kind in NEED_SERVICE_KINDS.get(need, ())}
    checks = []
    for service in (
        Service.objects.in_network(request.network_id)
        .filter(is_active=True)
        .select_related("organisation")
        .order_by("name", "pk")
    ):
        criteria = service_criteria_check(
            service=service,
            resident=request.resident,
            referred_by=request.referred_by,
            proof_kinds=proof_kinds,
        )
        checks.append(
            ServiceCheck(
                service=service,
                criteria=criteria,
                eligible=criteria_satisfied(criteria),
                answers_need=service.kind in wanted_kinds,
            )
        )
    return sorted(checks, key=lambda check: not check.answers_need)


# --- work views ------------------------------------------------------------------------------


@dataclass
class Work:
    assigned: list[Request] = field(default_factory=list)
    my_follow_ups: list[Referral] = field(default_factory=list)
    due_today: list[Referral] = field(default_factory=list)
    overdue: list[Referral] = field(default_factory=list)
    unreferred: list[Request] = field(default_factory=list)
    unreferred_days: int = 0

    def residents(self) -> list[Resident]:
        return residents_named(
            [*self.assigned, *self.my_follow_ups, *self.due_today, *self.overdue, *self.unreferred]
        )


WORK_LIMIT = 100


def work(*, membership, user, today: datetime.date | None = None) -> Work:
    """A member's work: requests assigned to them, their follow-ups, follow-ups due today and
    overdue, and (for the desk) open requests without any referral after N days. Constant queries."""
    today = today or timezone.localdate()
    result = Work()
    active = _referrals(membership).filter(status__in=ACTIVE_REFERRAL_STATUSES, follow_up_on__isnull=False)
    if membership.has("request.triage"):
        result.assigned = with_shown(
            membership=membership,
            requests=_requests(membership)
            .open()
            .filter(assigned_to=user)
            .order_by("created_at", "pk")[:WORK_LIMIT],
        )
        mine = active.filter(request__assigned_to=user)
    elif membership.organisation_id:
        mine = active.filter(to_organisation_id=membership.organisation_id)
    else:
        mine = active.none()
    result.my_follow_ups = referrals_with_shown(
        membership=membership, referrals=mine.order_by("follow_up_on", "pk")[:WORK_LIMIT]
    )
    result.due_today = referrals_with_shown(
        membership=membership, referrals=active.filter(follow_up_on=today).order_by("pk")[:WORK_LIMIT]
    )
    result.overdue = referrals_with_shown(
        membership=membership,
        referrals=active.filter(follow_up_on__lt=today).order_by("follow_up_on", "pk")[:WORK_LIMIT],
    )
    if membership.has("request.triage"):
        days = intake_selectors.intake_settings_for(network=membership.network_id).unreferred_alert_days
        result.unreferred_days = days
        cutoff = timezone.now() - datetime.timedelta(days=days)
        result.unreferred = with_shown(
            membership=membership,
            requests=_requests(membership)
            .open()
            .filter(created_at__lte=cutoff, referral_count=0)
            .order_by("created_at", "pk")[:WORK_LIMIT],
        )
    return result


# --- figures ---------------------------------------------------------------------------------


@dataclass
class FigureRow:
    """One group of requests: counts and medians in days, as shown under the figures policy."""

    label: str
    requests: Figure
    referred: Figure
    median_to_referral: Figure
    delivered: Figure
    median_to_delivery: Figure

    @property
    def suppressed(self) -> bool:
        return any(
            figure.suppressed
            for figure in (self.requests, self.referred, self.median_to_referral, self.delivered)
        )


@dataclass
class Figures:
    overall: FigureRow
    by_channel: list[FigureRow]
    by_partner: list[FigureRow]
    policy: FiguresPolicy

    @property
    def suppress_small(self) -> bool:
        return self.policy.suppress


@dataclass
class _Group:
    label: str
    requests: int
    to_referral: list[float]
    to_delivery: list[float]


def _days(start: datetime.datetime, end: datetime.datetime | None) -> float | None:
    if end is None:
        return None
    return max((end - start).total_seconds(), 0) / 86400


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def _group(label: str, rows: list[dict]) -> _Group:
    return _Group(
        label=label,
        requests=len(rows),
        to_referral=[d for r in rows if (d := _days(r["created_at"], r["first_referral"])) is not None],
        to_delivery=[d for r in rows if (d := _days(r["created_at"], r["first_delivery"])) is not None],
    )


def _table(groups: list[_Group], policy: FiguresPolicy) -> list[FigureRow]:
    """The rows of one table: each column's cells add up to the overall row (secondary suppression)."""
    requests = policy.counts([g.requests for g in groups])
    referred = policy.counts([len(g.to_referral) for g in groups])
    delivered = policy.counts([len(g.to_delivery) for g in groups])
    return [
        FigureRow(
            label=g.label,
            requests=requests[i],
            referred=referred[i],
            median_to_referral=policy.median(_median(g.to_referral), resting_on=len(g.to_referral)),
            delivered=delivered[i],
            median_to_delivery=policy.median(_median(g.to_delivery), resting_on=len(g.to_delivery)),
        )
        for i, g in enumerate(groups)
    ]


def referral_figures(
    *,
    network,
    policy: FiguresPolicy,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> Figures:
    """Median days from request to first referral and to first service delivered (the first
    Referral.delivered_at), overall, by channel and by referring partner. One query.

    ``since``/``until``: requests received in that period (inclusive, local dates).
    ``policy``: the figures policy of the viewer (``FiguresPolicy.for_member``); under a
    suppressing one no count of 1 to 4 requests and no median of fewer than 5 is shown.
    """
    network_id = network if isinstance(network, int) else network.pk
    qs = Request.objects.in_network(network_id)
    tz = timezone.get_current_timezone()
    if since:
        qs = qs.filter(created_at__gte=datetime.datetime.combine(since, datetime.time.min, tzinfo=tz))
    if until:
        end = datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
        qs = qs.filter(created_at__lt=end)
    rows = list(
        qs.annotate(
            first_referral=Min("referrals__created_at"), first_delivery=Min("referrals__delivered_at")
        )
        .values(
            "channel", "referred_by_id", "referred_by__name", "created_at", "first_referral", "first_delivery"
        )
        .order_by()
    )
    channel_labels = dict(Channel.choices)
    by_channel: dict[str, list[dict]] = {}
    by_partner: dict[tuple[str, int | None], list[dict]] = {}
    for row in rows:
        by_channel.setdefault(row["channel"], []).append(row)
        key = (row["referred_by__name"] or "", row["referred_by_id"])
        by_partner.setdefault(key, []).append(row)
    channel_groups = [
        _group(str(channel_labels.get(channel, channel)), group)
        for channel, group in sorted(by_channel.items(), key=lambda item: Channel.values.index(item[0]))
    ]
    partner_groups = [
        _group(name or _("Not referred by a partner"), group)
        for (name, _pk), group in sorted(
            by_partner.items(), key=lambda item: (item[0][1] is None, item[0][0])
        )
    ]
    return Figures(
        overall=_table([_group(_("All requests"), rows)], policy)[0],
        by_channel=_table(channel_groups, policy),
        by_partner=_table(partner_groups, policy),
        policy=policy,
    )


def open_status_choices() -> list[tuple[str, str]]:
    return [(s.value, s.label) for s in RequestStatus if s != RequestStatus.CLOSED]


def resident_requests(*, membership, resident: Resident) -> list[Request]:
    """A resident's requests this membership may see, newest first, each with the referrals it
    may see as ``visible_referrals`` (two queries)."""
    referrals = (
        Referral.objects.visible_to(membership)
        .select_related("service", "to_organisation")
        .order_by("created_at", "pk")
    )
    return list(
        Request.objects.visible_to(membership)
        .filter(resident=resident)
        .prefetch_related(Prefetch("referrals", queryset=referrals, to_attr="visible_referrals"))
        .order_by("-created_at", "-pk")
    )


def referring_organisations(resident: Resident) -> list[Organisation]:
    """The partner organisations that referred a request of ``resident`` (Request.referred_by).

    Being registered by a partner, or receiving a referral as the service provider, is not a
    referral. For the lending rules, through catalogue.ports.
    """
    referring = Request.objects.in_network(resident.network_id).filter(
        resident=resident, referred_by__isnull=False
    )
    return list(
        Organisation.objects.in_network(resident.network_id)
        .filter(pk__in=referring.values("referred_by"))
        .order_by("name", "pk")
    )


def home_triage(request) -> dict | None:
    """The home widget of the desk: how many requests wait for triage, and the first few."""
    waiting = triage_queue(membership=request.membership).filter(status=RequestStatus.NEW)
    first = list(waiting[:5])
    return {"requests": first, "count": waiting.count()} if first else None
