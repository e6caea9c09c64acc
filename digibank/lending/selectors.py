"""Reads about lending. Every function starts from a scoped queryset (visible_to / in_network).

``lending_overview`` is read by the devices' stock overview; ``resident_lending_summary`` by
the resident page (templates/lending/_resident_summary.html).
"""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from digibank.catalogue import ports
from digibank.devices.history import HistoryItem, day_start
from digibank.devices.lifecycle import DeviceStatus
from digibank.devices.models import Device
from digibank.messaging import services as outbox
from digibank.messaging.models import MessageChannel, MessageStatus
from digibank.residents.models import EligibilityKind, EligibilityProof, Resident

from .models import (
    DEFAULT_ELIGIBLE_STATUSES,
    LendingSettings,
    Loan,
    LoanKind,
    LoanStatus,
    Offer,
    OfferStatus,
    PriorityCategory,
    Reminder,
    WaitingListEntry,
    WaitingStatus,
)

LOANS_PER_PAGE = 50
WAITING_PER_PAGE = 50
# "Due this week": today and the six days after it, so on a Friday next Monday's returns show.
WEEK_DAYS = 7
# The language of documents and reminders: messaging.services.resident_language (one rule).
DEFAULT_LANGUAGE = outbox.DEFAULT_LANGUAGE


# --- eligibility ---------------------------------------------------------------------------


@dataclass
class Eligibility:
    """Whether a resident may borrow under the network's rules, and why (shown to the desk)."""

    eligible: bool
    proofs: list[EligibilityProof] = field(default_factory=list)
    referrals: list = field(default_factory=list)  # organisations that referred the resident
    expired: list[EligibilityProof] = field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        reasons = []
        for proof in self.proofs:
            label = proof.get_kind_display()
            if proof.kind == EligibilityKind.OTHER and proof.detail:
                label = f"{label}: {proof.detail}"
            if proof.valid_until:
                reasons.append(
                    _("%(status)s (proof seen on %(seen)s, valid until %(until)s)")
                    % {"status": label, "seen": _date(proof.seen_on), "until": _date(proof.valid_until)}
                )
            else:
                reasons.append(
                    _("%(status)s (proof seen on %(seen)s)") % {"status": label, "seen": _date(proof.seen_on)}
                )
        for organisation in self.referrals:
            reasons.append(_("Referred by %(organisation)s") % {"organisation": organisation})
        return reasons

    @property
    def summary(self) -> str:
        """One line for the record (WaitingListEntry/Loan.eligibility_basis)."""
        return "; ".join(self.reasons)[:300]

    def __bool__(self) -> bool:
        return self.eligible


def _date(value: datetime.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def lending_settings_read(network_id: int) -> LendingSettings:
    """The network's lending rules, or the defaults (unsaved) when none were saved yet."""
    found = LendingSettings.objects.in_network(network_id).first()
    return found or LendingSettings(network_id=network_id, eligible_statuses=list(DEFAULT_ELIGIBLE_STATUSES))


def resident_eligibility(
    resident: Resident, settings: LendingSettings, *, today: datetime.date | None = None
) -> Eligibility:
    """Does ``resident`` meet the network's lending rules today, and which proof or referral says so?

    A proof counts when its status is one the network accepts and it has not expired.
    A partner referral counts when the network says so: a request for this resident that a
    partner organisation referred (asked through catalogue.ports: referrals answers).
    """

    today = today or timezone.localdate()
    accepted = set(settings.eligible_statuses or [])
    proofs, expired = [], []
    for proof in EligibilityProof.objects.in_network(resident.network_id).filter(resident=resident):
        if proof.kind not in accepted:
            continue
        if proof.valid_until is not None and proof.valid_until < today:
            expired.append(proof)
        else:
            proofs.append(proof)
    referrals = []
    if settings.referral_makes_eligible:
        referrals = ports.referring_organisations(resident)
    return Eligibility(
        eligible=bool(proofs or referrals), proofs=proofs, referrals=referrals, expired=expired
    )


# --- waiting list --------------------------------------------------------------------------


def categories_of(*, network_id: int) -> QuerySet[PriorityCategory]:
    return PriorityCategory.objects.in_network(network_id).order_by("rank", "name", "pk")


def _queue_order():
    return [F("category__rank").asc(), F("requested_at").asc(), F("pk").asc()]


def waiting_list(*, membership, device_kind: str = "") -> QuerySet[WaitingListEntry]:
    """Residents waiting (no offer yet), in serving order, each with ``position`` in the queue of
    their device kind (1 = next). One query, whatever the page size."""
    qs = (
        WaitingListEntry.objects.visible_to(membership)
        .filter(status=WaitingStatus.WAITING)
        .select_related("resident", "category")
        .annotate(
            position=Window(RowNumber(), partition_by=[F("device_kind")], order_by=_queue_order()),
            expired_offers=Count("offers", filter=Q(offers__status=OfferStatus.EXPIRED)),
        )
    )
    if device_kind:
        qs = qs.filter(device_kind=device_kind)
    return qs.order_by("device_kind", "category__rank", "requested_at", "pk")


def waiting_list_next(network, device_kind: str, *, device=None) -> WaitingListEntry | None:
    """The next resident in line for ``device_kind``: lowest category rank, then first come.

    With ``device``: skips residents who already declined or let an offer of that device expire.
    """
    network_id = network if isinstance(network, int) else network.pk
    qs = WaitingListEntry.objects.in_network(network_id).filter(
        status=WaitingStatus.WAITING, device_kind=device_kind
    )
    if device is not None:
        qs = qs.exclude(offers__device=device)
    return qs.select_related("resident", "category").order_by(*_queue_order()).first()


def waiting_position(entry: WaitingListEntry) -> int | None:
    """1-based place of a waiting entry in the queue of its device kind (None when not waiting)."""
    if entry.status != WaitingStatus.WAITING:
        return None
    rank = entry.category.rank
    ahead = (
        WaitingListEntry.objects.in_network(entry.network_id)
        .filter(status=WaitingStatus.WAITING, device_kind=entry.device_kind)
        .filter(
            Q(category__rank__lt=rank)
            | Q(category__rank=rank, requested_at__lt=entry.requested_at)
            | Q(category__rank=rank, requested_at=entry.requested_at, pk__lt=entry.pk)
        )
        .count()
    )
    return ahead + 1


def open_entries_of(resident: Resident) -> QuerySet[WaitingListEntry]:
    return (
        WaitingListEntry.objects.in_network(resident.network_id)
        .filter(resident=resident, status__in=[WaitingStatus.WAITING, WaitingStatus.OFFERED])
        .select_related("category")
    )


# --- offers --------------------------------------------------------------------------------


def offer_list(*, membership, status: str = OfferStatus.OPEN) -> QuerySet[Offer]:
    qs = Offer.objects.visible_to(membership).select_related("entry__resident", "entry__category", "device")
    if status:
        qs = qs.filter(status=status)
    if status == OfferStatus.OPEN:
        return qs.order_by("expires_at", "pk")
    return qs.order_by("-closed_at", "-pk")


def open_offer_for(*, resident: Resident) -> Offer | None:
    return (
        Offer.objects.in_network(resident.network_id)
        .filter(entry__resident=resident, status=OfferStatus.OPEN)
        .select_related("device", "entry")
        .order_by("expires_at")
        .first()
    )


# The home widget lists this many open offers (the offers page has them all).
HOME_OFFERS = 8


@dataclass
class HandoverQueue:
    """What waits for the desk on the home page: open offers to hand over, and whether ready
    devices could be offered to people waiting for their kind."""

    offers: list[Offer]
    more: int
    can_fill: bool


def handover_queue(*, membership) -> HandoverQueue:
    """Three queries whatever the numbers: the first open offers (+1 to know there are more),
    their count when there are more, and whether a ready device matches someone waiting."""
    offers = list(offer_list(membership=membership)[: HOME_OFFERS + 1])
    more = 0
    if len(offers) > HOME_OFFERS:
        more = offer_list(membership=membership).count() - HOME_OFFERS
        offers = offers[:HOME_OFFERS]
    waiting_kinds = WaitingListEntry.objects.visible_to(membership).filter(status=WaitingStatus.WAITING)
    can_fill = (
        Device.objects.visible_to(membership)
        .filter(status=DeviceStatus.READY, kind__in=waiting_kinds.values("device_kind"))
        .exists()
    )
    return HandoverQueue(offers=offers, more=more, can_fill=can_fill)


def offers_expired_by(*, now: datetime.datetime, network_id: int | None = None) -> list[int]:
    """Ids of open offers whose time is up (expire_offers takes them one by one)."""
    qs = Offer.objects.filter(status=OfferStatus.OPEN, expires_at__lte=now)
    if network_id is not None:
        qs = qs.in_network(network_id)
    return list(qs.order_by("expires_at", "pk").values_list("pk", flat=True))


# --- loans ---------------------------------------------------------------------------------

LOAN_FILTERS = {
    "active": gettext_lazy("On loan"),
    "overdue": gettext_lazy("Overdue"),
    "due_week": gettext_lazy("Due this week (next 7 days)"),
    "returned": gettext_lazy("Returned"),
    "gifts": gettext_lazy("Gifts"),
    "lost": gettext_lazy("Lost or stolen"),
    "all": gettext_lazy("All"),
}


def week_end(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=WEEK_DAYS - 1)


def _active_loans(qs: QuerySet[Loan]) -> QuerySet[Loan]:
    return qs.filter(status=LoanStatus.ACTIVE, kind=LoanKind.LOAN)


def loan_list(*, membership, show: str = "active", today: datetime.date | None = None) -> QuerySet[Loan]:
    """Loans for the list page, filtered by ``show`` (a key of LOAN_FILTERS). One query."""
    today = today or timezone.localdate()
    qs = Loan.objects.visible_to(membership).select_related("resident", "device")
    if show == "active":
        qs = _active_loans(qs).order_by("due_on", "pk")
    elif show == "overdue":
        qs = _active_loans(qs).filter(due_on__lt=today).order_by("due_on", "pk")
    elif show == "due_week":
        qs = _active_loans(qs).filter(due_on__gte=today, due_on__lte=week_end(today)).order_by("due_on", "pk")
    elif show == "returned":
        qs = qs.filter(status=LoanStatus.RETURNED).order_by("-returned_on", "-pk")
    elif show == "gifts":
        qs = qs.filter(kind=LoanKind.GIFT).order_by("-started_on", "-pk")
    elif show == "lost":
        qs = qs.filter(status__in=[LoanStatus.LOST, LoanStatus.STOLEN]).order_by("-started_on", "-pk")
    else:
        qs = qs.order_by("-started_on", "-pk")
    return qs


def loans_overdue(*, network, today: datetime.date | None = None) -> QuerySet[Loan]:
    today = today or timezone.localdate()
    return (
        _active_loans(Loan.objects.in_network(network))
        .filter(due_on__lt=today)
        .select_related("resident", "device")
        .order_by("due_on", "pk")
    )


def loans_due_this_week(*, network, today: datetime.date | None = None) -> QuerySet[Loan]:
    today = today or timezone.localdate()
    return (
        _active_loans(Loan.objects.in_network(network))
        .filter(due_on__gte=today, due_on__lte=week_end(today))
        .select_related("resident", "device")
        .order_by("due_on", "pk")
    )


def loan_reminders(loan: Loan) -> QuerySet[Reminder]:
    return (
        Reminder.objects.in_network(loan.network_id)
        .filter(loan=loan)
        .select_related("message")
        .order_by("-created_at", "-pk")
    )


def call_list(*, network) -> QuerySet[Reminder]:
    """Phone reminders nobody has rung yet, for loans still out (the overdue page's call list)."""
    return (
        Reminder.objects.in_network(network)
        .filter(
            message__channel=MessageChannel.PHONE,
            message__status=MessageStatus.TO_CALL,
            called_at__isnull=True,
            loan__status=LoanStatus.ACTIVE,
        )
        .select_related("loan__resident", "loan__device", "message")
        .order_by("loan__due_on", "pk")
    )


def reminders_failed(*, network) -> QuerySet[Reminder]:
    """Reminders that could not go out (no address, gateway error), for loans still out."""
    return (
        Reminder.objects.in_network(network)
        .filter(message__status=MessageStatus.FAILED, loan__status=LoanStatus.ACTIVE)
        .select_related("loan__resident", "loan__device", "message")
        .order_by("-created_at", "-pk")
    )


def letters_of_day(*, network, day: datetime.date) -> QuerySet[Reminder]:
    """The letters of one day: letter reminders written that day (waiting in the outbox to be
    printed, or printed already)."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    end = start + datetime.timedelta(days=1)
    return (
        Reminder.objects.in_network(network)
        .filter(
            message__channel=MessageChannel.LETTER,
            message__status__in=(MessageStatus.QUEUED, MessageStatus.SENT),
            message__created_at__gte=start,
            message__created_at__lt=end,
        )
        .select_related("loan__resident", "loan__device", "network", "message")
        .order_by("loan__resident__last_name", "loan__resident__first_name", "pk")
    )


# --- overview and resident summary ---------------------------------------------------------


@dataclass(frozen=True)
class LendingOverview:
    """The lending figures of the stock overview (counts only: no personal data)."""

    active_loans: int
    due_this_week: int
    overdue: int
    open_offers: int
    waiting_total: int
    waiting_by_category: list[tuple[str, int]]
    median_waiting_days: float | None
    fulfilled_last_year: int


def lending_overview(network, *, today: datetime.date | None = None) -> LendingOverview:
    """Loans due this week, overdue, waiting-list length per category and the median waiting time
    (days from being put on the list to the hand-over, for the last 12 months). Five queries."""
    today = today or timezone.localdate()
    loans = _active_loans(Loan.objects.in_network(network)).aggregate(
        active=Count("pk"),
        overdue=Count("pk", filter=Q(due_on__lt=today)),
        due_week=Count("pk", filter=Q(due_on__gte=today, due_on__lte=week_end(today))),
    )
    waiting = list(
        categories_of(network_id=network if isinstance(network, int) else network.pk).annotate(
            waiting=Count(
                "waitinglistentry",
                filter=Q(waitinglistentry__status__in=[WaitingStatus.WAITING, WaitingStatus.OFFERED]),
            )
        )
    )
    open_offers = Offer.objects.in_network(network).filter(status=OfferStatus.OPEN).count()
    since = today - datetime.timedelta(days=365)
    pairs = (
        Loan.objects.in_network(network)
        .filter(entry__isnull=False, started_on__gte=since)
        .values_list("started_on", "entry__requested_at")
    )
    waits = [max(0, (started - timezone.localtime(requested).date()).days) for started, requested in pairs]
    return LendingOverview(
        active_loans=loans["active"],
        due_this_week=loans["due_week"],
        overdue=loans["overdue"],
        open_offers=open_offers,
        waiting_total=sum(c.waiting for c in waiting),
        waiting_by_category=[(c.name, c.waiting) for c in waiting],
        median_waiting_days=statistics.median(waits) if waits else None,
        fulfilled_last_year=len(waits),
    )


@dataclass
class ResidentLendingSummary:
    resident: Resident
    loans: list[Loan]
    entries: list[WaitingListEntry]
    offer: Offer | None
    eligibility: Eligibility


def resident_lending_summary(resident: Resident, membership) -> ResidentLendingSummary | None:
    """Loans, waiting-list entries (with position) and the open offer of one resident, for the
    resident page. None when this membership may not see the lending desk."""
    if membership is None or not membership.has("loan.view") or membership.network_id != resident.network_id:
        return None
    loans = list(
        Loan.objects.visible_to(membership)
        .filter(resident=resident)
        .select_related("device")
        .order_by("-started_on", "-pk")
    )
    entries = list(open_entries_of(resident).order_by("requested_at"))
    for entry in entries:
        entry.position = waiting_position(entry)
    return ResidentLendingSummary(
        resident=resident,
        loans=loans,
        entries=entries,
        offer=open_offer_for(resident=resident),
        eligibility=resident_eligibility(resident, lending_settings_read(resident.network_id)),
    )


# --- the device page and the stock overview (registered in apps.py) -------------------------


def device_loan_history(*, device, membership) -> list[HistoryItem]:
    """Loans and gifts of the device, without the borrower's name (that stays on the loan page)."""
    may_open = membership.has("loan.view")
    items = []
    for loan in Loan.objects.in_network(device.network_id).filter(device=device).order_by("started_on", "pk"):
        url = ""
        if may_open:
            url = reverse("lending:loan", kwargs={"pk": loan.pk})
        if loan.kind == "gift":
            title = _("Given away (deed %(number)s)") % {"number": loan.number}
        else:
            title = _("Lent (agreement %(number)s)") % {"number": loan.number}
        detail = _("due %s") % loan.due_on.isoformat() if loan.due_on else ""
        items.append(HistoryItem(day_start(loan.started_on), "loan", title, detail, url=url))
        if loan.returned_on:
            items.append(
                HistoryItem(
                    day_start(loan.returned_on),
                    "loan",
                    _("Returned (agreement %(number)s)") % {"number": loan.number},
                    loan.condition_in,
                    url=url,
                )
            )
    return items
