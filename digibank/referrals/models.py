"""From request to service: requests (aanvragen), referrals (toeleidingen) and their history.

Closed loop: the referring partner follows *their* referrals; the receiving organisation
sees only referrals sent to it; the service desk sees everything in the network.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from digibank.catalogue.models import Channel, Need
from digibank.networks.roles import Role
from digibank.networks.scoping import NetworkOwned, NetworkQuerySet, narrowed_through
from digibank.residents.models import Resident

# Roles that see every request and referral of their network (the "network side" of the loop).
NETWORK_WIDE_ROLES = frozenset({Role.COORDINATOR, Role.SERVICE_DESK, Role.DIGIPUNT_STAFF})


class Urgency(models.TextChoices):
    LOW = "low", _("Can wait")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("Urgent")


class RequestStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_TRIAGE = "in_triage", _("In triage")
    REFERRED = "referred", _("Referred")
    FOLLOW_UP = "follow_up", _("Needs follow-up")
    CLOSED = "closed", _("Closed")


OPEN_REQUEST_STATUSES = frozenset(
    {RequestStatus.NEW, RequestStatus.IN_TRIAGE, RequestStatus.REFERRED, RequestStatus.FOLLOW_UP}
)


class IntakeSettings(NetworkOwned):
    """Per network: cap on open requests per referring organisation (off by default)."""

    visible_with = ("service.manage",)

    open_request_cap = models.PositiveIntegerField(
        _("maximum open requests per referring organisation"),
        null=True,
        blank=True,
        help_text=_("Empty: no cap"),
    )
    unreferred_alert_days = models.PositiveIntegerField(
        _("flag requests without any referral after (days)"), default=5
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["network"], name="intakesettings_one_per_network")]


class OrganisationCap(NetworkOwned):
    """An exception to the network's cap for one referring organisation."""

    visible_with = ("service.manage",)

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    cap = models.PositiveIntegerField(
        _("maximum open requests"), null=True, blank=True, help_text=_("Empty: no cap")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["network", "organisation"], name="organisationcap_one_per_organisation"
            )
        ]


class RequestQuerySet(NetworkQuerySet):
    def narrow_for(self, membership):
        """Coordinator, service desk and digipunt staff: the whole network. A partner worker:
        requests their organisation referred and requests with a referral to their
        organisation (what they may see *of the resident* is decided per request by
        selectors.resident_shown). Every other role: none.
        """
        if membership.role in NETWORK_WIDE_ROLES:
            return self
        if membership.role == Role.PARTNER_WORKER and membership.organisation_id:
            org = membership.organisation_id
            # A subquery, not a join: no duplicate rows and no DISTINCT needed.
            received = Referral.objects.in_network(membership.network_id).filter(to_organisation_id=org)
            return self.filter(Q(referred_by_id=org) | Q(pk__in=received.values("request_id")))
        return self.none()

    def open(self):
        return self.filter(status__in=OPEN_REQUEST_STATUSES)


class Request(NetworkOwned):
    """A need that entered the network. Stays open until every referral has an outcome.

    Read by the service desk (triage), the referring partner (their outbox) and, through a
    referral, the receiving organisation.
    """

    visible_with = ("request.view",)

    reference = models.CharField(_("reference"), max_length=20)
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.PROTECT, related_name="requests", verbose_name=_("resident")
    )
    needs = models.JSONField(_("needs"), default=list)
    description = models.TextField(_("in their own words"), blank=True)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    channel = models.CharField(_("came in through"), max_length=10, choices=Channel.choices)
    referred_by = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referred by organisation"),
    )
    consent_to_share = models.BooleanField(
        _("the resident agrees that partners receive their data"), default=False
    )
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.NEW
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("received at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_reason = models.CharField(_("why closed"), max_length=300, blank=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["network", "reference"], name="request_unique_reference"),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in RequestStatus]), name="request_status_valid"
            ),
        ]
        indexes = [
            # The triage queue: open requests, oldest first.
            models.Index(fields=["network", "status", "created_at"], name="request_queue_idx"),
            # The requests list and a partner's outbox, newest first (ORDER BY -created_at, -pk
            # LIMIT 50 within a network: an index scan instead of sorting the network's requests).
            models.Index(fields=["network", "-created_at", "-id"], name="request_newest_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REQUEST_STATUSES

    @property
    def days_open(self) -> int:
        """Days from receipt until today (or until it was closed), in local calendar days."""
        end = self.closed_at or timezone.now()
        return (timezone.localdate(end) - timezone.localdate(self.created_at)).days

    def need_labels(self) -> list[str]:
        labels = dict(Need.choices)
        return [str(labels.get(need, need)) for need in self.needs]


class RequestSequence(NetworkOwned):
    """The last request number handed out per network and year (R2026-00001, R2026-00002 …).

    Locked with SELECT ... FOR UPDATE while a number is taken; the unique constraint on
    Request.reference makes "never twice" true. The lock also serialises the cap check.
    """

    visible_with = ()  # internal: never shown through visible_to

    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "year"], name="requestsequence_one_per_year"),
        ]


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DECLINED = "declined", _("Declined")
    NO_SHOW = "no_show", _("No-show")
    NOT_REACHED = "not_reached", _("Resident not reached")
    CANCELLED = "cancelled", _("Cancelled")


S = ReferralStatus
# THE lifecycle of a referral: from -> the statuses it may move to. referrals.services.
# referral_transition is the only code that changes a referral's status and reads only this.
REFERRAL_TRANSITIONS: dict[str, frozenset[str]] = {
    S.SENT: frozenset({S.ACCEPTED, S.DECLINED, S.CANCELLED, S.NOT_REACHED}),
    S.ACCEPTED: frozenset({S.IN_PROGRESS, S.NO_SHOW, S.CANCELLED, S.NOT_REACHED}),
    S.IN_PROGRESS: frozenset({S.DONE, S.CANCELLED, S.NO_SHOW}),
    S.NO_SHOW: frozenset({S.SENT, S.CANCELLED}),
    S.NOT_REACHED: frozenset({S.SENT, S.CANCELLED}),
    S.DONE: frozenset(),
    S.DECLINED: frozenset(),
    S.CANCELLED: frozenset(),
}
# Moves only the network side (service desk, coordinator) makes: stopping a referral and
# sending it again after a failed hand-over. Everything else the receiving organisation may do.
DESK_ONLY_TRANSITIONS = frozenset(
    {(f, S.CANCELLED) for f in REFERRAL_TRANSITIONS}
    | {
        (S.NO_SHOW, S.SENT),
        (S.NOT_REACHED, S.SENT),
    }
)
# A reason is required to go to these statuses (shown to the referring partner).
REASON_REQUIRED = frozenset({S.DECLINED, S.CANCELLED})
# Still waiting for the receiving organisation: the request stays "referred".
OPEN_REFERRAL_STATUSES = frozenset({S.SENT, S.ACCEPTED, S.IN_PROGRESS})
# A failed hand-over: the request needs follow-up by the desk, never silently closed.
FAILED_REFERRAL_STATUSES = frozenset({S.NO_SHOW, S.NOT_REACHED, S.DECLINED})
FINAL_REFERRAL_STATUSES = frozenset(s for s, targets in REFERRAL_TRANSITIONS.items() if not targets)
# Referrals someone still has to act on (follow-up dates count for these only).
ACTIVE_REFERRAL_STATUSES = frozenset(ReferralStatus) - FINAL_REFERRAL_STATUSES


class ReferralQuerySet(NetworkQuerySet):
    def narrow_for(self, membership):
        """The whole network for coordinator, desk and digipunt staff; for a partner worker the
        referrals sent to their organisation and the referrals of requests their organisation
        referred. Other roles: none."""
        if membership.role in NETWORK_WIDE_ROLES:
            return self
        if membership.role == Role.PARTNER_WORKER and membership.organisation_id:
            org = membership.organisation_id
            return self.filter(Q(to_organisation_id=org) | Q(request__referred_by_id=org))
        return self.none()

    def active(self):
        return self.filter(status__in=ACTIVE_REFERRAL_STATUSES)


class Referral(NetworkOwned):
    """A request handed to one service of one organisation, followed until it has an outcome.

    Read by the desk, the receiving organisation (inbox) and the referring partner (outbox).
    """

    visible_with = ("request.view",)

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="referrals")
    service = models.ForeignKey("catalogue.Service", on_delete=models.PROTECT, related_name="referrals")
    to_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("to")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    outcome_reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("sent at"))
    delivered_at = models.DateTimeField(_("service delivered at"), null=True, blank=True)
    # How the receiving organisation reaches the resident. Without consent to share, the
    # receiver sees only the first name and this: a route that reveals no personal data
    # (e.g. "through the neighbourhood centre, ask for Anna" or "the resident will call you").
    handover_contact = models.CharField(_("how to reach the resident"), max_length=300, blank=True)

    objects = ReferralQuerySet.as_manager()
    # What the delivering capability made for this referral (catalogue.ports: for a device loan,
    # the waiting-list entry's id). Several open referrals may share one handle.
    delivery_handle = models.BigIntegerField(_("delivered as"), null=True, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in ReferralStatus]), name="referral_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["network", "to_organisation", "status"], name="referral_inbox_idx"),
            models.Index(fields=["network", "status", "follow_up_on"], name="referral_follow_up_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} → {self.service_id}"

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_REFERRAL_STATUSES

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REFERRAL_STATUSES


class ReferralEvent(NetworkOwned):
    """Every status change of a referral: who, when, from → to, why. Append-only.

    Read on the referral page by everyone who may see the referral.
    """

    visible_with = ("request.view",)
    objects = narrowed_through("referral").as_manager()

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def from_label(self) -> str:
        return str(ReferralStatus(self.from_status).label) if self.from_status else ""

    def to_label(self) -> str:
        return str(ReferralStatus(self.to_status).label)


class NoteVisibility(models.TextChoices):
    ALL = "all", _("Everyone on this referral")
    RECEIVER = "receiver", _("Service desk and the receiving organisation")
    DESK = "desk", _("Service desk only")


class ReferralNote(NetworkOwned):
    """A note on a referral, visible to the people its ``visibility`` names (selectors.notes_for)."""

    visible_with = ("request.view",)
    objects = narrowed_through("referral").as_manager()

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    text = models.TextField(_("note"))
    visibility = models.CharField(_("visible to"), max_length=10, choices=NoteVisibility.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]


class TariffOutcome(models.TextChoices):
    PREPARING = "preparing", _("Preparing the application")
    APPLIED = "applied", _("Applied")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class TariffApplicationQuerySet(NetworkQuerySet):
    def narrow_for(self, membership):
        """Applications of residents this membership may see."""
        return self.filter(resident__in=Resident.objects.visible_to(membership).values("pk"))


class InternetTariffApplication(NetworkOwned):
    """Help applying for a social or reduced internet tariff."""

    visible_with = ("resident.view",)

    objects = TariffApplicationQuerySet.as_manager()

    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.PROTECT, related_name="tariff_applications"
    )
    referral = models.ForeignKey(Referral, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    offer = models.CharField(_("offer"), max_length=150, help_text=_("E.g. Telenet Essential Internet"))
    eligibility_basis = models.CharField(_("eligible because"), max_length=200, blank=True)
    applied_on = models.DateField(_("applied on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=TariffOutcome.choices, default=TariffOutcome.PREPARING
    )
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    helped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]


class ReferralTimelineKind(models.TextChoices):
    """The lines this app writes on a resident's timeline (residents.services.timeline_add)."""

    REQUEST_RECEIVED = "request_received", _("Request received")
    REFERRAL_SENT = "referral_sent", _("Referred")
    REFERRAL_CHANGED = "referral_changed", _("Referral status changed")
    REQUEST_CLOSED = "request_closed", _("Request closed")
    REQUEST_REOPENED = "request_reopened", _("Request reopened")


class TariffTimelineKind(models.TextChoices):
    """Timeline kinds written by the social internet tariff (residents.TimelineEntry.kind)."""

    STARTED = "tariff_started", _("Internet tariff application started")
    OUTCOME = "tariff_outcome", _("Internet tariff outcome")


# Suggestions for the "offer" field (a <datalist>): examples only, the field stays free text.
# Since 1 March 2024 the federal "social internet offer" (sociaal internetaanbod: fixed internet
# at EUR 19 a month, EUR 40 in a bundle) replaces the old social telecom tariff; the large
# operators with their own fixed network must offer it. Telenet Essential Internet and
# Proximus Internet for All are the operators' own schemes, reached through social
# organisations. Operators change their offers: check before you advise.
TARIFF_OFFER_EXAMPLES = [
    _("Social internet offer – Proximus"),
    _("Social internet offer – Telenet"),
    _("Social internet offer – Orange"),
    _("Social internet offer – VOO"),
    "Telenet Essential Internet",
    "Proximus Internet for All",
    _("Cheapest commercial plan (e.g. Scarlet, Mobile Vikings)"),
]
