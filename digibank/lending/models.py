"""Lending: eligibility rules, the waiting list, offers, loans and gifts, reminders."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from digibank.devices.models import DeviceKind
from digibank.networks.scoping import NetworkOwned
from digibank.residents.models import EligibilityKind

# The statuses a new network accepts as proof of need until its coordinator says otherwise.
DEFAULT_ELIGIBLE_STATUSES = [
    EligibilityKind.INCREASED_REIMBURSEMENT.value,
    EligibilityKind.LIVING_WAGE.value,
    EligibilityKind.DEBT_MEDIATION.value,
]


class LendingSettings(NetworkOwned):
    """The network's lending rules. One row per network (created with defaults when missing)."""

    visible_with = ("loan.view",)

    eligible_statuses = models.JSONField(
        _("statuses that make someone eligible"),
        default=list,
        help_text=_("Eligibility kinds of the residents module, e.g. increased_reimbursement"),
    )
    referral_makes_eligible = models.BooleanField(
        _("a partner referral makes someone eligible"), default=True
    )
    loan_days = models.PositiveIntegerField(_("loan period (days)"), default=180)
    extension_days = models.PositiveIntegerField(_("extension (days)"), default=90)
    offer_days = models.PositiveIntegerField(_("days to accept an offer"), default=7)
    reminder_days_before = models.PositiveIntegerField(_("reminder before due date (days)"), default=14)
    deposit_cents = models.PositiveIntegerField(_("deposit (cents)"), default=0)

    class Meta:
        verbose_name = _("lending settings")
        verbose_name_plural = _("lending settings")
        constraints = [models.UniqueConstraint(fields=["network"], name="lendingsettings_one_per_network")]

    def __str__(self) -> str:
        return str(_("Lending rules"))


class PriorityCategory(NetworkOwned):
    """A waiting-list category; lower rank is served first (e.g. pupils first)."""

    visible_with = ("loan.view",)

    name = models.CharField(_("name"), max_length=100)
    rank = models.PositiveSmallIntegerField(_("rank"), default=10, help_text=_("Lower is served first"))

    class Meta:
        verbose_name = _("priority category")
        verbose_name_plural = _("priority categories")
        ordering = ["rank", "name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="prioritycategory_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class WaitingStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    OFFERED = "offered", _("Device offered")
    FULFILLED = "fulfilled", _("Has a device")
    CANCELLED = "cancelled", _("Cancelled")


class WaitingListEntry(NetworkOwned):
    """A resident waiting for a device. Order: category rank, then first come first served."""

    # Names residents and their circumstances: the lending desk only; the steering group gets
    # aggregates, partner workers nothing row by row.
    visible_with = ("loan.view",)

    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.PROTECT, related_name="waiting_entries"
    )
    category = models.ForeignKey(
        PriorityCategory, on_delete=models.PROTECT, verbose_name=_("priority category")
    )
    device_kind = models.CharField(_("device wanted"), max_length=20, default="laptop")
    requested_at = models.DateTimeField(_("on the list since"))
    status = models.CharField(max_length=20, choices=WaitingStatus.choices, default=WaitingStatus.WAITING)
    note = models.CharField(_("note"), max_length=300, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Why the resident may borrow, as it stood when they were put on the list (shown, not re-derived).
    eligibility_basis = models.CharField(_("eligible because"), max_length=300, blank=True)
    override_reason = models.CharField(
        _("exception to the eligibility rules"),
        max_length=300,
        blank=True,
        help_text=_("Filled in when a coordinator put an ineligible resident on the list anyway."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.resident} – {self.device_kind_label} ({self.category})"

    @property
    def device_kind_label(self) -> str:
        if self.device_kind in DeviceKind.values:
            return str(DeviceKind(self.device_kind).label)
        return self.device_kind

    class Meta:
        verbose_name = _("waiting-list entry")
        verbose_name_plural = _("waiting list")
        ordering = ["category__rank", "requested_at", "pk"]
        indexes = [
            # The queue of one device kind: waiting_list_next and the positions on the list page.
            models.Index(
                fields=["network", "device_kind", "status", "requested_at"], name="waiting_queue_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "resident", "device_kind"],
                condition=Q(status__in=["waiting", "offered"]),
                name="waiting_one_open_entry_per_resident_and_kind",
            ),
        ]


class OfferStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")


class Offer(NetworkOwned):
    """A ready device reserved for the next person in line, until it expires."""

    visible_with = ("loan.view",)

    entry = models.ForeignKey(WaitingListEntry, on_delete=models.CASCADE, related_name="offers")
    device = models.ForeignKey("devices.Device", on_delete=models.PROTECT, related_name="offers")
    offered_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    status = models.CharField(max_length=20, choices=OfferStatus.choices, default=OfferStatus.OPEN)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["expires_at", "pk"]
        indexes = [
            # expire_offers: open offers past their expiry.
            models.Index(fields=["network", "status", "expires_at"], name="offer_expiry_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "device"], condition=Q(status="open"), name="offer_one_open_per_device"
            ),
            models.UniqueConstraint(
                fields=["network", "entry"], condition=Q(status="open"), name="offer_one_open_per_entry"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.device} → {self.entry.resident} ({self.get_status_display()})"


class LoanKind(models.TextChoices):
    LOAN = "loan", _("Loan")
    GIFT = "gift", _("Gift")


class LoanStatus(models.TextChoices):
    ACTIVE = "active", _("On loan")
    RETURNED = "returned", _("Returned")
    LOST = "lost", _("Lost")
    STOLEN = "stolen", _("Stolen")
    GIVEN = "given", _("Given (gift)")


class Loan(NetworkOwned):
    """A device lent (bruikleen) or given (schenking) to a resident, with its signed agreement."""

    visible_with = ("loan.view",)

    number = models.CharField(_("agreement number"), max_length=20)
    kind = models.CharField(_("kind"), max_length=10, choices=LoanKind.choices, default=LoanKind.LOAN)
    device = models.ForeignKey("devices.Device", on_delete=models.PROTECT, related_name="loans")
    resident = models.ForeignKey("residents.Resident", on_delete=models.PROTECT, related_name="loans")
    entry = models.ForeignKey(
        WaitingListEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=LoanStatus.choices, default=LoanStatus.ACTIVE
    )
    started_on = models.DateField(_("handed over on"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    extensions = models.PositiveSmallIntegerField(_("extensions"), default=0)
    deposit_cents = models.PositiveIntegerField(_("deposit (cents)"), default=0)
    deposit_refunded = models.BooleanField(_("deposit refunded"), default=False)
    condition_out = models.CharField(_("condition at hand-over"), max_length=300, blank=True)
    condition_in = models.CharField(_("condition at return"), max_length=300, blank=True)
    language = models.CharField(_("agreement language"), max_length=8, default="nl")
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    eligibility_basis = models.CharField(_("eligible because"), max_length=300, blank=True)
    override_reason = models.CharField(_("exception to the eligibility rules"), max_length=300, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-started_on", "-pk"]
        constraints = [
            # The invariant of the whole lending desk: a device is never lent twice at once.
            models.UniqueConstraint(
                fields=["network", "device"], condition=Q(status="active"), name="loan_one_active_per_device"
            ),
            models.UniqueConstraint(fields=["network", "number"], name="loan_unique_number_per_network"),
            models.CheckConstraint(
                condition=Q(due_on__isnull=True) | Q(due_on__gte=models.F("started_on")),
                name="loan_due_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(kind="loan") | Q(due_on__isnull=False), name="loan_has_due_date"
            ),
        ]
        indexes = [
            # Loans due this week / overdue.
            models.Index(fields=["network", "status", "due_on"], name="loan_due_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def deposit(self) -> Decimal:
        """The deposit in euros (stored in cents)."""
        return (Decimal(self.deposit_cents) / 100).quantize(Decimal("0.01"))

    @property
    def is_gift(self) -> bool:
        return self.kind == LoanKind.GIFT

    @property
    def is_open(self) -> bool:
        return self.status == LoanStatus.ACTIVE


class LoanNumberSequence(NetworkOwned):
    """The last agreement number handed out per network, series (L loans, G gifts) and year.

    Locked with SELECT ... FOR UPDATE while a number is taken, so two hand-overs at the same
    moment never get the same number (the unique constraint on Loan.number makes it true).
    """

    visible_with = ()  # internal: never shown through visible_to

    series = models.CharField(max_length=1)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["network", "series", "year"], name="loannumber_one_per_series_year"
            ),
        ]


class ReminderKind(models.TextChoices):
    BEFORE_DUE = "before_due", _("Before the due date")
    OVERDUE = "overdue", _("Overdue")


class Reminder(NetworkOwned):
    """One reminder for one loan, unique per loan, kind, due date and number; its delivery is a
    message in the outbox (``message``: sent, retried and claimed there, never twice).

    ``number`` counts the overdue reminders of one due date: 0 the day after, then one a week.
    A phone reminder waits on the call list ("to call" in the outbox; ``called_at`` when
    someone rang); a letter waits in the outbox to be printed.
    """

    visible_with = ("loan.view",)

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    due_date = models.DateField(_("for due date"))
    number = models.PositiveSmallIntegerField(default=0)
    # One message per reminder: unique with the network (a Citus distribution column must be in
    # every unique key), see Meta.
    message = models.ForeignKey(
        "messaging.OutboundMessage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "loan", "kind", "due_date", "number"],
                name="reminder_once_per_loan_kind_due_date",
            ),
            models.UniqueConstraint(
                fields=["network", "message"], condition=Q(message__isnull=False), name="reminder_one_message"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.loan} – {self.get_kind_display()} {self.due_date:%Y-%m-%d} #{self.number}"

    # What became of it, read from its message in the outbox (pages and tests).
    @property
    def channel(self) -> str:
        return self.message.channel if self.message else ""

    @property
    def status(self) -> str:
        return self.message.status if self.message else ""

    @property
    def error(self) -> str:
        return self.message.error if self.message else ""

    @property
    def sent_at(self):
        return self.message.sent_at if self.message else None

    def get_status_display(self) -> str:
        return self.message.get_status_display() if self.message else ""

    @property
    def channel_label(self) -> str:
        return self.message.get_channel_display() if self.message else ""


class LendingTimelineKind(models.TextChoices):
    """The lines lending writes on a resident's timeline (residents.services.timeline_add)."""

    WAITING_ADDED = "waiting_added", _("Put on the waiting list")
    WAITING_CANCELLED = "waiting_cancelled", _("Taken off the waiting list")
    OFFER_MADE = "offer_made", _("Device offered")
    OFFER_CLOSED = "offer_closed", _("Offer declined or expired")
    LOAN_STARTED = "loan_started", _("Device lent")
    GIFT_GIVEN = "gift_given", _("Device given")
    LOAN_EXTENDED = "loan_extended", _("Loan extended")
    LOAN_RETURNED = "loan_returned", _("Device returned")
    LOAN_LOST = "loan_lost", _("Device lost or stolen")
