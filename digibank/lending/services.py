"""Writes about lending: rules, the waiting list, offers, hand-over (loan or gift), extension,
return, lost/stolen. Reminders are in reminders.py.

Every change of a device's status goes through ``devices.services.device_transition``. The
hand-over locks the device row (SELECT ... FOR UPDATE) for its whole transaction, and a
partial unique constraint (one active loan per device) makes "never lent twice" true even
for code that bypasses this module.

Lock order, to never deadlock: the device first, then offers, entries and loans.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from digibank.devices.lifecycle import DeviceStatus
from digibank.devices.models import Device, DeviceKind
from digibank.devices.services import device_transition
from digibank.messaging.services import messages_cancel, resident_language, resident_message
from digibank.residents.models import EligibilityKind, Resident
from digibank.residents.services import resident_update, timeline_add

from . import selectors
from .models import (
    DEFAULT_ELIGIBLE_STATUSES,
    LendingSettings,
    LendingTimelineKind,
    Loan,
    LoanKind,
    LoanNumberSequence,
    LoanStatus,
    Offer,
    OfferStatus,
    PriorityCategory,
    Reminder,
    WaitingListEntry,
    WaitingStatus,
)

# Who may put an ineligible resident on the list or lend them a device, with a recorded reason:
# whoever sets the eligibility rules (the coordinator) may make an exception to them.
OVERRIDE_PERMISSION = "lending.settings"


class LendingError(ValidationError):
    """A lending rule said no. Nothing was changed."""


def _short(value: datetime.date | None) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


def _kind_label(kind: str) -> str:
    try:
        return str(DeviceKind(kind).label)
    except ValueError:
        return kind


# --- settings and categories ---------------------------------------------------------------


def lending_settings_for(network) -> LendingSettings:
    """The network's lending rules; created with sensible defaults the first time they are needed."""
    network_id = network if isinstance(network, int) else network.pk
    settings, _created = LendingSettings.objects.get_or_create(
        network_id=network_id, defaults={"eligible_statuses": list(DEFAULT_ELIGIBLE_STATUSES)}
    )
    return settings


SETTINGS_FIELDS = [
    "eligible_statuses",
    "referral_makes_eligible",
    "loan_days",
    "extension_days",
    "offer_days",
    "reminder_days_before",
    "deposit_cents",
]


@transaction.atomic
def lending_settings_update(*, network, actor, data: dict) -> LendingSettings:
    settings = lending_settings_for(network)
    settings = LendingSettings.objects.select_for_update().get(pk=settings.pk)
    valid_kinds = {k.value for k in EligibilityKind}
    for name in SETTINGS_FIELDS:
        if name in data:
            setattr(settings, name, data[name])
    settings.eligible_statuses = [k for k in settings.eligible_statuses if k in valid_kinds]
    settings.full_clean()
    settings.save()
    return settings


def _category_save(category: PriorityCategory) -> PriorityCategory:
    duplicate = _("A category with this name already exists.")
    name = " ".join(category.name.split())
    if not name:
        raise LendingError({"name": _("Give the category a name.")})
    category.name = name
    same = PriorityCategory.objects.in_network(category.network_id).filter(name__iexact=name)
    if category.pk:
        same = same.exclude(pk=category.pk)
    if same.exists():
        raise LendingError({"name": duplicate})
    try:
        with transaction.atomic():
            category.save()
    except IntegrityError as exc:
        raise LendingError({"name": duplicate}) from exc
    return category


@transaction.atomic
def category_add(*, network, name: str, rank: int, actor=None) -> PriorityCategory:
    network_id = network if isinstance(network, int) else network.pk
    return _category_save(PriorityCategory(network_id=network_id, name=name, rank=rank))


@transaction.atomic
def category_update(*, category: PriorityCategory, name: str, rank: int, actor=None) -> PriorityCategory:
    category.name, category.rank = name, rank
    return _category_save(category)


# --- eligibility ---------------------------------------------------------------------------


def _eligibility_or_override(
    *, resident: Resident, settings: LendingSettings, override_reason: str, may_override: bool
) -> tuple[str, str]:
    """(eligibility basis, recorded exception) — or LendingError when neither applies."""
    eligibility = selectors.resident_eligibility(resident, settings)
    if eligibility.eligible:
        return eligibility.summary, ""
    override_reason = " ".join((override_reason or "").split())[:300]
    if not override_reason:
        raise LendingError(
            _(
                "This resident does not meet the lending rules of the network: no valid proof of an "
                "accepted status and no partner referral. Record the proof on the resident's page first."
            ),
            code="ineligible",
        )
    if not may_override:
        raise LendingError(
            _("Only a coordinator can make an exception to the lending rules."), code="override_denied"
        )
    return "", override_reason


def _check_resident(resident: Resident) -> None:
    if resident.is_erased:
        raise LendingError(_("This resident was erased."))


# --- waiting list --------------------------------------------------------------------------


@transaction.atomic
def waiting_add(
    *,
    resident: Resident,
    category: PriorityCategory,
    device_kind: str,
    actor,
    note: str = "",
    override_reason: str = "",
    may_override: bool = False,
    requested_at: datetime.datetime | None = None,
) -> WaitingListEntry:
    """Put a resident on the waiting list for a kind of device (checks the eligibility rules)."""
    _check_resident(resident)
    network_id = resident.network_id
    if category.network_id != network_id:
        raise LendingError({"category": _("Choose a category of this network.")})
    if device_kind not in DeviceKind.values:
        raise LendingError({"device_kind": _("Choose a kind of device.")})
    settings = lending_settings_for(network_id)
    basis, override = _eligibility_or_override(
        resident=resident, settings=settings, override_reason=override_reason, may_override=may_override
    )
    duplicate = _("This resident is already on the waiting list for this kind of device.")
    if selectors.open_entries_of(resident).filter(device_kind=device_kind).exists():
        raise LendingError(duplicate, code="duplicate")
    entry = WaitingListEntry(
        network_id=network_id,
        resident=resident,
        category=category,
        device_kind=device_kind,
        requested_at=requested_at or timezone.now(),
        note=note[:300],
        eligibility_basis=basis,
        override_reason=override,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as exc:  # a colleague added them a moment ago
        raise LendingError(duplicate, code="duplicate") from exc
    timeline_add(
        resident=resident,
        kind=LendingTimelineKind.WAITING_ADDED,
        summary=_("On the waiting list for: %(kind)s (%(category)s)")
        % {"kind": _kind_label(device_kind), "category": category.name},
        actor=actor,
    )
    return entry


@transaction.atomic
def waiting_cancel(*, entry: WaitingListEntry, actor, reason: str = "") -> WaitingListEntry:
    """Take a resident off the list. An open offer is withdrawn and its device goes to the next."""
    open_offer = (
        Offer.objects.in_network(entry.network_id)
        .filter(entry=entry, status=OfferStatus.OPEN)
        .select_related("device", "entry__resident")
        .first()
    )
    if open_offer is not None:
        _lock_device(open_offer.device)  # the device first, then the entry
    entry = WaitingListEntry.objects.select_for_update().get(pk=entry.pk, network_id=entry.network_id)
    if entry.status not in (WaitingStatus.WAITING, WaitingStatus.OFFERED):
        raise LendingError(_("This resident is no longer on the waiting list."))
    if open_offer is not None:
        reason = _("Taken off the waiting list")
        _offer_close(open_offer, status=OfferStatus.DECLINED, actor=actor, reason=reason)
    entry.status = WaitingStatus.CANCELLED
    entry.closed_at = timezone.now()
    if reason:
        entry.note = f"{entry.note} — {reason}".strip(" —")[:300]
    entry.save(update_fields=["status", "closed_at", "note"])
    timeline_add(
        resident=entry.resident,
        kind=LendingTimelineKind.WAITING_CANCELLED,
        summary=_("Off the waiting list for: %(kind)s") % {"kind": _kind_label(entry.device_kind)},
        actor=actor,
    )
    if open_offer is not None:
        offer_make(device=open_offer.device, actor=actor)
    return entry


# --- offers --------------------------------------------------------------------------------


def _lock_device(device: Device) -> Device:
    return Device.objects.select_for_update().get(pk=device.pk, network_id=device.network_id)


@transaction.atomic
def offer_make(*, device: Device, actor, entry: WaitingListEntry | None = None) -> Offer | None:
    """Reserve a ready device for the next resident in line (or ``entry``) for ``offer_days``.

    Returns None when nobody waits for this kind of device (the device stays ready).
    """
    locked = _lock_device(device)
    if locked.status != DeviceStatus.READY:
        raise LendingError(
            _("Only a ready device can be offered; this one is “%(status)s”.")
            % {"status": locked.get_status_display()}
        )
    if entry is None:
        entry = selectors.waiting_list_next(locked.network_id, locked.kind, device=locked)
        if entry is None:
            return None
    entry = WaitingListEntry.objects.select_for_update().get(pk=entry.pk, network_id=locked.network_id)
    if entry.status != WaitingStatus.WAITING:
        raise LendingError(_("This resident is not waiting (any more)."))
    if entry.device_kind != locked.kind:
        raise LendingError(_("This resident waits for another kind of device."))
    settings = lending_settings_for(locked.network_id)
    now = timezone.now()
    offer = Offer.objects.create(
        network_id=locked.network_id,
        entry=entry,
        device=locked,
        expires_at=now + datetime.timedelta(days=settings.offer_days),
        offered_by=actor,
    )
    entry.status = WaitingStatus.OFFERED
    entry.save(update_fields=["status"])
    device_transition(
        device=locked,
        to_status=DeviceStatus.RESERVED,
        actor=actor,
        reason=_("Offered to the next resident on the waiting list (offer %(pk)s)") % {"pk": offer.pk},
    )
    device.status = locked.status
    timeline_add(
        resident=entry.resident,
        kind=LendingTimelineKind.OFFER_MADE,
        summary=_("Device %(tag)s offered, until %(until)s")
        % {"tag": locked.asset_tag, "until": _short(timezone.localtime(offer.expires_at).date())},
        actor=actor,
    )
    offer_message_queue(offer)
    return offer


# The offer's message in the outbox: templates lending/offer/<channel>…, one per offer.
OFFER_TEMPLATE = "lending/offer"


def offer_key(offer: Offer) -> str:
    return f"lending.offer:{offer.pk}"


def offer_message_queue(offer: Offer):
    """Tell the resident a device waits for them: on their channel, in their language, once.

    "Do not contact" gives a skipped row (``resident_message``); sent after the offer commits.
    """
    resident = offer.entry.resident
    context = {
        "offer": offer,
        "resident": resident,
        "device": offer.device,
        "network": offer.network,
        "until": timezone.localtime(offer.expires_at).date(),
    }
    return resident_message(
        resident=resident, template_key=OFFER_TEMPLATE, context=context, idempotency_key=offer_key(offer)
    )


def offers_fill(*, network, actor) -> list[Offer]:
    """Offer every ready device to the next resident waiting for its kind (oldest device first).

    One transaction per device: a device someone else just took is skipped, not an error.
    """
    network_id = network if isinstance(network, int) else network.pk
    waiting_kinds = set(
        WaitingListEntry.objects.in_network(network_id)
        .filter(status=WaitingStatus.WAITING)
        .values_list("device_kind", flat=True)
    )
    made = []
    ready = (
        Device.objects.in_network(network_id)
        .filter(status=DeviceStatus.READY, kind__in=waiting_kinds)
        .order_by("status_changed_at", "pk")
    )
    for device in ready:
        if device.kind not in waiting_kinds:
            continue
        try:
            offer = offer_make(device=device, actor=actor)
        except LendingError:
            continue
        if offer is None:
            waiting_kinds.discard(device.kind)
        else:
            made.append(offer)
    return made


def _offer_close(offer: Offer, *, status: str, actor, reason: str) -> None:
    """Close an open offer: the resident waits again and the device is ready again (not re-offered)."""
    device = _lock_device(offer.device)
    updated = Offer.objects.filter(pk=offer.pk, status=OfferStatus.OPEN).update(
        status=status, closed_at=timezone.now()
    )
    if not updated:
        raise LendingError(_("This offer is no longer open."))
    offer.status = status
    WaitingListEntry.objects.filter(pk=offer.entry_id, status=WaitingStatus.OFFERED).update(
        status=WaitingStatus.WAITING
    )
    if device.status == DeviceStatus.RESERVED:
        device_transition(device=device, to_status=DeviceStatus.READY, actor=actor, reason=reason)
    offer.device.status = device.status
    timeline_add(
        resident=offer.entry.resident,
        kind=LendingTimelineKind.OFFER_CLOSED,
        summary=_("Offer of device %(tag)s: %(status)s")
        % {"tag": device.asset_tag, "status": OfferStatus(status).label},
        actor=actor,
    )


@transaction.atomic
def offer_decline(*, offer: Offer, actor) -> Offer | None:
    """The resident does not want this device: they keep their place, the device goes to the next.

    Returns the new offer (None when nobody else waits).
    """
    _offer_close(offer, status=OfferStatus.DECLINED, actor=actor, reason=_("Offer declined"))
    return offer_make(device=offer.device, actor=actor)


@transaction.atomic
def offer_expire(*, offer_id: int, now: datetime.datetime | None = None) -> tuple[bool, Offer | None]:
    """Expire one open offer past its time and offer the device to the next resident.

    Idempotent: an offer already closed (by a colleague or another worker) is left alone.
    Returns (whether this call expired it, the new offer if one was made).
    """
    now = now or timezone.now()
    offer = (
        Offer.objects.filter(pk=offer_id, status=OfferStatus.OPEN, expires_at__lte=now)
        .select_related("device", "entry__resident")
        .first()
    )
    if offer is None:
        return False, None
    _lock_device(offer.device)  # the device first, then the offer (same order as the hand-over)
    if not Offer.objects.select_for_update().filter(pk=offer.pk, status=OfferStatus.OPEN).exists():
        return False, None
    _offer_close(offer, status=OfferStatus.EXPIRED, actor=None, reason=_("Offer expired"))
    return True, offer_make(device=offer.device, actor=None)


def offers_expire_due(*, now: datetime.datetime | None = None, network_id: int | None = None) -> dict:
    """Expire every open offer past its time, each device going to the next in line (the
    ``expire_offers`` task). One transaction per offer; running it twice changes nothing more."""
    now = now or timezone.now()
    expired = offered_again = 0
    for offer_id in selectors.offers_expired_by(now=now, network_id=network_id):
        done, new_offer = offer_expire(offer_id=offer_id, now=now)
        expired += done
        offered_again += new_offer is not None
    return {"expired": expired, "offered_again": offered_again}


# --- hand-over: loan or gift ---------------------------------------------------------------


def _next_number(*, network_id: int, kind: str, year: int) -> str:
    """L2026-0001, L2026-0002 … (G for gifts), per network and year, safe under concurrency."""
    series = "G" if kind == LoanKind.GIFT else "L"
    LoanNumberSequence.objects.get_or_create(network_id=network_id, series=series, year=year)
    sequence = LoanNumberSequence.objects.select_for_update().get(
        network_id=network_id, series=series, year=year
    )
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{series}{year}-{sequence.last:04d}"


def device_not_lendable_message(device: Device) -> str:
    if device.status in (DeviceStatus.RETURNED, DeviceStatus.WIPING):
        return _(
            "Device %(tag)s is “%(status)s”: a returned device holds the last borrower's data, so it "
            "needs a new data wipe and quality check before it can be lent again."
        ) % {"tag": device.asset_tag, "status": device.get_status_display()}
    return _("Device %(tag)s is “%(status)s”: only a ready device can be lent or given.") % {
        "tag": device.asset_tag,
        "status": device.get_status_display(),
    }


@transaction.atomic
def loan_create(
    *,
    resident: Resident,
    device: Device,
    actor,
    kind: str = LoanKind.LOAN,
    started_on: datetime.date | None = None,
    due_on: datetime.date | None = None,
    deposit_cents: int | None = None,
    condition_out: str = "",
    override_reason: str = "",
    may_override: bool = False,
    address: dict | None = None,
    source="lending",
) -> Loan:
    """Hand a device over: a loan (bruikleen, with a due date) or a gift (schenking).

    ``address`` (street, postcode, city), when the desk filled in a missing one on the hand-over
    form, is saved through ``residents.services.resident_update`` in this same transaction: an
    invalid address or a refused loan saves neither. ``source`` is the audit source (the request).

    In one transaction, with the device row locked: checks eligibility and that the device is
    ready (or reserved for this resident), numbers the agreement, moves the device to on loan /
    given away, fulfils the resident's waiting-list entry and offer, and writes the timeline.
    Two colleagues lending the same device at the same moment: the second waits for the lock,
    then finds the device on loan and gets a LendingError.
    """
    _check_resident(resident)
    network_id = resident.network_id
    if device.network_id != network_id:
        raise LendingError({"device": _("No device with this asset tag in this network.")})
    kind = LoanKind(kind)
    locked = _lock_device(device)
    if address:
        data = dict(address)
        if resident.district_id:
            # resident_update fills an absent district from the postcode (None when it matches no
            # district): keep the one the resident has.
            data["district"] = resident.district
        resident_update(resident=resident, actor=actor, data=data, source=source)
        for name in ("street", "postcode", "city"):
            if name in address:
                setattr(resident, name, address[name])
    settings = lending_settings_for(network_id)
    basis, override = _eligibility_or_override(
        resident=resident, settings=settings, override_reason=override_reason, may_override=may_override
    )
    offer = (
        Offer.objects.in_network(network_id)
        .select_for_update(of=("self",))
        .filter(device=locked, status=OfferStatus.OPEN)
        .select_related("entry")
        .first()
    )
    if locked.status == DeviceStatus.RESERVED:
        if offer is None or offer.entry.resident_id != resident.pk:
            raise LendingError(
                {"device": _("Device %(tag)s is reserved for another resident.") % {"tag": locked.asset_tag}}
            )
    elif locked.status != DeviceStatus.READY:
        raise LendingError({"device": device_not_lendable_message(locked)})
    today = timezone.localdate()
    started_on = started_on or today
    if kind == LoanKind.LOAN:
        due_on = due_on or started_on + datetime.timedelta(days=settings.loan_days)
        if due_on < started_on:
            raise LendingError({"due_on": _("The due date cannot be before the hand-over date.")})
    else:
        due_on = None
    number = _next_number(network_id=network_id, kind=kind, year=started_on.year)
    loan = Loan(
        network_id=network_id,
        number=number,
        kind=kind,
        device=locked,
        resident=resident,
        status=LoanStatus.ACTIVE if kind == LoanKind.LOAN else LoanStatus.GIVEN,
        started_on=started_on,
        due_on=due_on,
        deposit_cents=settings.deposit_cents if deposit_cents is None else deposit_cents,
        condition_out=condition_out[:300],
        language=resident_language(resident),
        handed_over_by=actor,
        eligibility_basis=basis,
        override_reason=override,
        closed_at=timezone.now() if kind == LoanKind.GIFT else None,
    )
    try:
        with transaction.atomic():
            loan.save()
    except IntegrityError as exc:  # the constraint: one active loan per device
        raise LendingError({"device": _("This device is already on loan.")}) from exc
    device_transition(
        device=locked,
        to_status=DeviceStatus.ON_LOAN if kind == LoanKind.LOAN else DeviceStatus.GIVEN_AWAY,
        actor=actor,
        reason=(_("Lent: agreement %(number)s") if kind == LoanKind.LOAN else _("Given: deed %(number)s"))
        % {"number": number},
    )
    device.status = locked.status

    # The resident's place on the waiting list is fulfilled; an offer of another device is released.
    other_offer = None
    entry = offer.entry if offer is not None else None
    if offer is not None:
        Offer.objects.filter(pk=offer.pk).update(status=OfferStatus.ACCEPTED, closed_at=timezone.now())
    else:
        entry = selectors.open_entries_of(resident).filter(device_kind=locked.kind).first()
        if entry is not None:
            other_offer = (
                Offer.objects.in_network(network_id)
                .filter(entry=entry, status=OfferStatus.OPEN)
                .select_related("device", "entry__resident")
                .first()
            )
    if other_offer is not None:
        _offer_close(
            other_offer,
            status=OfferStatus.DECLINED,
            actor=actor,
            reason=_("The resident received another device (%(number)s)") % {"number": number},
        )
    if entry is not None:
        WaitingListEntry.objects.filter(pk=entry.pk).update(
            status=WaitingStatus.FULFILLED, closed_at=timezone.now()
        )
        loan.entry = entry
        loan.save(update_fields=["entry"])
    if kind == LoanKind.LOAN:
        summary = _("%(kind)s %(tag)s lent until %(due)s (agreement %(number)s)")
        timeline_kind = LendingTimelineKind.LOAN_STARTED
    else:
        summary = _("%(kind)s %(tag)s given (deed %(number)s)")
        timeline_kind = LendingTimelineKind.GIFT_GIVEN
    values = {"kind": _kind_label(locked.kind), "tag": locked.asset_tag, "due": _short(due_on)}
    values["number"] = number
    timeline_add(resident=resident, kind=timeline_kind, summary=summary % values, actor=actor)
    if other_offer is not None:
        offer_make(device=other_offer.device, actor=actor)
    return loan


# Reminders' messages in the outbox (reminders.py queues them; here they are cancelled).
REMINDER_TEMPLATE = "lending/reminder"


def reminder_key(reminder: Reminder) -> str:
    return f"lending.reminder:{reminder.pk}"


def _reminders_cancel(loan: Loan, reason: str) -> int:
    """The loan was extended, returned or lost: its reminders not yet sent are not sent."""
    reminders = Reminder.objects.in_network(loan.network_id).filter(loan=loan)
    return messages_cancel(
        network_id=loan.network_id, idempotency_keys=[reminder_key(r) for r in reminders], reason=reason
    )


def _lock_loan(loan: Loan) -> Loan:
    return (
        Loan.objects.select_for_update(of=("self",))
        .select_related("device", "resident")
        .get(pk=loan.pk, network_id=loan.network_id)
    )


@transaction.atomic
def loan_extend(*, loan: Loan, actor, due_on: datetime.date | None = None) -> Loan:
    """Move the due date (default: by the network's extension period) and count the extension."""
    loan = _lock_loan(loan)
    if loan.kind != LoanKind.LOAN or loan.status != LoanStatus.ACTIVE:
        raise LendingError(_("Only a device that is on loan can be extended."))
    settings = lending_settings_for(loan.network_id)
    new_due = due_on or loan.due_on + datetime.timedelta(days=settings.extension_days)
    if new_due <= loan.due_on:
        raise LendingError({"due_on": _("The new due date must be later than the current one.")})
    loan.due_on = new_due
    loan.extensions += 1
    loan.save(update_fields=["due_on", "extensions"])
    _reminders_cancel(loan, _("The loan was returned or extended in the meantime."))
    timeline_add(
        resident=loan.resident,
        kind=LendingTimelineKind.LOAN_EXTENDED,
        summary=_("Loan %(number)s extended until %(due)s") % {"number": loan.number, "due": _short(new_due)},
        actor=actor,
    )
    return loan


@transaction.atomic
def loan_return(
    *,
    loan: Loan,
    actor,
    returned_on: datetime.date | None = None,
    condition_in: str = "",
    deposit_refunded: bool = False,
) -> Loan:
    """Take a lent device back (also one reported lost or stolen and found again).

    The device becomes "returned": it holds the borrower's data, so the lifecycle sends it
    through a new data wipe and quality check before it can be lent again.
    """
    loan = _lock_loan(loan)
    out = (LoanStatus.ACTIVE, LoanStatus.LOST, LoanStatus.STOLEN)
    if loan.kind != LoanKind.LOAN or loan.status not in out:
        raise LendingError(_("This device is not out on loan."))
    today = timezone.localdate()
    returned_on = returned_on or today
    if returned_on < loan.started_on:
        raise LendingError({"returned_on": _("The return date cannot be before the hand-over date.")})
    if returned_on > today:
        raise LendingError({"returned_on": _("The return date cannot be in the future.")})
    device_transition(
        device=loan.device,
        to_status=DeviceStatus.RETURNED,
        actor=actor,
        reason=_("Returned: agreement %(number)s") % {"number": loan.number},
    )
    loan.status = LoanStatus.RETURNED
    loan.returned_on = returned_on
    loan.condition_in = condition_in[:300]
    loan.deposit_refunded = bool(deposit_refunded) and loan.deposit_cents > 0
    loan.closed_at = timezone.now()
    loan.save(update_fields=["status", "returned_on", "condition_in", "deposit_refunded", "closed_at"])
    _reminders_cancel(loan, _("The loan was returned or extended in the meantime."))
    timeline_add(
        resident=loan.resident,
        kind=LendingTimelineKind.LOAN_RETURNED,
        summary=_("Device %(tag)s returned (agreement %(number)s)")
        % {"tag": loan.device.asset_tag, "number": loan.number},
        actor=actor,
    )
    return loan


@transaction.atomic
def loan_mark_lost(*, loan: Loan, actor, status: str, note: str = "") -> Loan:
    """The borrower reports the device lost or stolen: the loan and the device say so."""
    if status not in (LoanStatus.LOST, LoanStatus.STOLEN):
        raise LendingError({"status": _("Choose lost or stolen.")})
    loan = _lock_loan(loan)
    if loan.kind != LoanKind.LOAN or loan.status != LoanStatus.ACTIVE:
        raise LendingError(_("Only a device that is on loan can be reported lost or stolen."))
    device_transition(
        device=loan.device,
        to_status=DeviceStatus.LOST if status == LoanStatus.LOST else DeviceStatus.STOLEN,
        actor=actor,
        reason=_("Reported %(status)s: agreement %(number)s")
        % {"status": LoanStatus(status).label.lower(), "number": loan.number},
    )
    loan.status = status
    if note:
        loan.condition_in = note[:300]
    loan.closed_at = timezone.now()
    loan.save(update_fields=["status", "condition_in", "closed_at"])
    _reminders_cancel(loan, _("The device was reported lost or stolen."))
    timeline_add(
        resident=loan.resident,
        kind=LendingTimelineKind.LOAN_LOST,
        summary=_("Device %(tag)s reported %(status)s (agreement %(number)s)")
        % {"tag": loan.device.asset_tag, "status": LoanStatus(status).label.lower(), "number": loan.number},
        actor=actor,
    )
    return loan
