"""Lending: eligibility rules, the waiting list, offers, loans and gifts, reminders."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from digibank.networks.scoping import NetworkOwned


class LendingSettings(NetworkOwned):
    """The network's lending rules. One row per network (created with defaults when missing)."""

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


class PriorityCategory(NetworkOwned):
    """A waiting-list category; lower rank is served first (e.g. pupils first)."""

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

    class Meta:
        verbose_name = _("waiting-list entry")
        verbose_name_plural = _("waiting list")
        ordering = ["category__rank", "requested_at", "pk"]
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

    entry = models.ForeignKey(WaitingListEntry, on_delete=models.CASCADE, related_name="offers")
    device = models.ForeignKey("devices.Device", on_delete=models.PROTECT, related_name="offers")
    offered_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    status = models.CharField(max_length=20, choices=OfferStatus.choices, default=OfferStatus.OPEN)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["network", "device"], condition=Q(status="open"), name="offer_one_open_per_device"
            ),
            models.UniqueConstraint(
                fields=["network", "entry"], condition=Q(status="open"), name="offer_one_open_per_entry"
            ),
        ]


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


class ReminderKind(models.TextChoices):
    BEFORE_DUE = "before_due", _("Before the due date")
    OVERDUE = "overdue", _("Overdue")


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("To send")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped (do not contact)")


class Reminder(NetworkOwned):
    """One reminder for one loan. Unique per loan, kind and day, claimed with a conditional
    update before sending, so a retry or a second worker never sends it twice."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    due_date = models.DateField(_("for due date"))
    channel = models.CharField(max_length=10)
    status = models.CharField(max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["network", "loan", "kind", "due_date"], name="reminder_once_per_loan_kind_due_date"
            ),
        ]
