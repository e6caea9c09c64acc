"""Writes about devices. ``device_transition`` is the only way a device changes status."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _

from digibank.lib.serials import serial_key
from digibank.networks.models import Membership
from digibank.networks.roles import Role

from . import checklist, nwipe, readiness
from .lifecycle import IN_STOCK, LENDING_ONLY, DeviceStatus, allowed_next, automatic_path
from .models import (
    Device,
    DeviceEvent,
    Location,
    QualityCheck,
    RepairStatus,
    RepairTask,
    StockTake,
    StockTakeScan,
    WipeMethod,
    WipeRecord,
)


class TransitionError(ValidationError):
    """A forbidden or not-yet-possible status change. Nothing was changed."""


# Re-exported: the pages and tests ask the services what stands between a device and "ready".
readiness_problems = readiness.readiness_problems


@transaction.atomic
def device_transition(*, device: Device, to_status: str, actor, reason: str = "") -> Device:
    """Move ``device`` to ``to_status`` if the lifecycle table allows it, and record who, when, why.

    Locks the device row so two concurrent transitions cannot both start from the same state.
    Raises TransitionError (and changes nothing) when the move is forbidden.
    """
    locked = Device.objects.select_for_update().get(pk=device.pk, network_id=device.network_id)
    to_status = DeviceStatus(to_status)
    current = DeviceStatus(locked.status)
    if to_status not in allowed_next(current):
        raise TransitionError(
            _("A device that is “%(current)s” cannot become “%(target)s”.")
            % {"current": current.label, "target": to_status.label}
        )
    if to_status == DeviceStatus.READY and (problems := readiness_problems(locked)):
        raise TransitionError(problems)
    now = timezone.now()
    DeviceEvent.objects.create(
        network_id=locked.network_id,
        device=locked,
        from_status=current,
        to_status=to_status,
        actor=actor,
        reason=reason[:300],
    )
    locked.status = to_status
    locked.status_changed_at = now
    locked.save(update_fields=["status", "status_changed_at"])
    device.status, device.status_changed_at = locked.status, locked.status_changed_at
    return locked


@transaction.atomic
def device_advance(*, device: Device, actor, reason: str) -> list[DeviceStatus]:
    """Take the lifecycle's automatic steps (lifecycle.AUTOMATIC) that the recorded facts allow.

    Called by the services that record a fact (a wipe, a quality check); each step is a
    normal transition in the history, by ``actor`` (who recorded the fact), with ``reason``.
    Returns the statuses passed through (empty: nothing moved).
    """
    locked = Device.objects.select_for_update().get(pk=device.pk, network_id=device.network_id)
    path = automatic_path(locked.status, readiness.facts(locked))
    for status in path:
        device_transition(device=locked, to_status=status, actor=actor, reason=reason)
    device.status, device.status_changed_at = locked.status, locked.status_changed_at
    return path


# --- registration, changes, moves ---------------------------------------------------------

ASSET_TAG_DIGITS = 6
ASSET_TAG_ATTEMPTS = 8
# Fields a registration or an edit may set; status, tag and stock-take dates have their own paths.
DEVICE_FIELDS = (
    "kind",
    "brand",
    "model",
    "serial",
    "disk_serials",
    "cpu",
    "ram_gb",
    "storage_gb",
    "storage_type",
    "battery_health",
    "os",
    "keyboard_layout",
    "condition",
    "weight_kg",
    "location",
    "batch",
    "notes",
)


def asset_tag_prefix(network) -> str:
    """The tag prefix of a network: the first three letters or digits of its short name ("leuven": LEU)."""
    letters = re.sub(r"[^A-Za-z0-9]", "", network.slug).upper()[:3]
    return letters or "DEV"


def _next_asset_tag(network) -> str:
    prefix = f"{asset_tag_prefix(network)}-"
    last = (
        Device.objects.in_network(network)
        .filter(asset_tag__regex=rf"^{prefix}[0-9]+$")
        .annotate(tag_length=Length("asset_tag"))
        .order_by("-tag_length", "-asset_tag")
        .values_list("asset_tag", flat=True)
        .first()
    )
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:0{ASSET_TAG_DIGITS}d}"


def serial_owner(*, network_id: int, serial: str, exclude_pk: int | None = None) -> Device | None:
    """The device of this network that already carries ``serial`` (compared on its key), if any."""
    key = serial_key(serial)
    if not key:
        return None
    qs = Device.objects.in_network(network_id).filter(serial_key=key)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.first()


def _serial_taken_error(owner: Device) -> ValidationError:
    return ValidationError(
        {
            "serial": _("This serial number is already registered as device %(tag)s.")
            % {"tag": owner.asset_tag}
        }
    )


def _device_values(network_id: int, data: dict) -> dict:
    values = {k: data[k] for k in DEVICE_FIELDS if k in data}
    for key in ("brand", "model", "serial", "disk_serials", "cpu", "storage_type", "os", "keyboard_layout"):
        if key in values:
            values[key] = (values[key] or "").strip()
    for key in ("location", "batch"):
        obj = values.get(key)
        if obj is not None and obj.network_id != network_id:
            raise ValidationError({key: _("Choose one from this network.")})
    return values


@transaction.atomic
def device_register(*, network, actor, data: dict) -> Device:
    """Register a device in status "received" with the next free asset tag of the network.

    Two desks registering at the same moment may compute the same next tag: the unique
    constraint refuses the second insert, and we simply take the next number.
    """
    values = _device_values(network.pk, data)
    if owner := serial_owner(network_id=network.pk, serial=values.get("serial", "")):
        raise _serial_taken_error(owner)
    for _attempt in range(ASSET_TAG_ATTEMPTS):
        tag = _next_asset_tag(network)
        try:
            with transaction.atomic():
                device = Device.objects.create(
                    network=network, asset_tag=tag, status=DeviceStatus.RECEIVED, **values
                )
                # The first event: replaying the history starts here ("" -> received).
                DeviceEvent.objects.create(
                    network=network,
                    device=device,
                    from_status="",
                    to_status=DeviceStatus.RECEIVED,
                    actor=actor,
                )
        except IntegrityError:
            if owner := serial_owner(network_id=network.pk, serial=values.get("serial", "")):
                raise _serial_taken_error(owner) from None
            continue  # someone else took this tag a moment ago: try the next one
        return device
    raise ValidationError(_("No free asset tag could be reserved. Please try again."))


@transaction.atomic
def device_update(*, device: Device, actor, data: dict) -> list[str]:
    """Change the descriptive fields of a device. Returns the names of the fields that changed."""
    values = _device_values(device.network_id, data)
    if "serial" in values and (
        owner := serial_owner(network_id=device.network_id, serial=values["serial"], exclude_pk=device.pk)
    ):
        raise _serial_taken_error(owner)
    changed = [k for k, v in values.items() if getattr(device, k) != v]
    for key in changed:
        setattr(device, key, values[key])
    if changed:
        try:
            with transaction.atomic():
                device.save(update_fields=changed)
        except IntegrityError:
            raise _serial_taken_error(
                serial_owner(network_id=device.network_id, serial=values["serial"], exclude_pk=device.pk)
                or device
            ) from None
    return changed


def device_apply_specs(*, device: Device, actor, specs, overwrite: bool = True) -> list[str]:
    """Fill the spec fields from parsed ``lshw`` output (see lshw.py). Returns the changed fields."""
    values = specs.device_values()
    if not overwrite:
        values = {k: v for k, v in values.items() if getattr(device, k) in ("", None)}
    return device_update(device=device, actor=actor, data=values)


@transaction.atomic
def device_move(*, device: Device, location: Location | None, actor) -> Device:
    if location is not None and location.network_id != device.network_id:
        raise ValidationError(_("Choose one of this network's locations."))
    Device.objects.filter(pk=device.pk, network_id=device.network_id).update(location=location)
    device.location = location
    return device


RETIREMENT = frozenset({DeviceStatus.RECYCLED, DeviceStatus.PARTS})


@transaction.atomic
def device_change_status(
    *, device: Device, to_status: str, actor, reason: str = "", recycler: str = "", certificate: str = ""
) -> Device:
    """A status change asked for on the device page or through the API.

    Reserving, lending and giving away go through the lending services (they need an offer,
    a loan or a gift). Retiring as recycled needs the recycler and their certificate number.
    """
    try:
        target = DeviceStatus(to_status)
    except ValueError:
        raise TransitionError(_("“%(status)s” is not a device status.") % {"status": to_status}) from None
    if target in LENDING_ONLY:
        raise TransitionError(
            _("A device becomes “%(target)s” through the lending pages (offer, loan or gift), not here.")
            % {"target": target.label}
        )
    current = DeviceStatus(
        Device.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=device.pk, network_id=device.network_id)
    )
    if current in LENDING_ONLY:
        raise TransitionError(
            _("A device that is “%(current)s” changes status from its offer or loan (lending pages).")
            % {"current": current.label}
        )
    recycler, certificate = recycler.strip(), certificate.strip()
    if target == DeviceStatus.RECYCLED:
        errors = {}
        if not recycler:
            errors["recycler"] = _("Name the recycler that takes the device.")
        if not certificate:
            errors["recycler_certificate"] = _("Enter the number of the recycler's certificate.")
        if errors:
            raise ValidationError(errors)
    locked = device_transition(device=device, to_status=target, actor=actor, reason=reason)
    if target in RETIREMENT:
        locked.recycler, locked.recycler_certificate = recycler[:150], certificate[:100]
        locked.save(update_fields=["recycler", "recycler_certificate"])
        device.recycler, device.recycler_certificate = locked.recycler, locked.recycler_certificate
    return locked


@transaction.atomic
def location_create(*, network, actor, data: dict) -> Location:
    return Location.objects.create(
        network=network,
        name=data["name"].strip(),
        address=data.get("address", "").strip(),
        is_active=data.get("is_active", True),
    )


@transaction.atomic
def location_update(*, location: Location, actor, data: dict) -> Location:
    location.name = data["name"].strip()
    location.address = data.get("address", "").strip()
    location.is_active = data.get("is_active", True)
    location.save(update_fields=["name", "address", "is_active"])
    return location


# --- data wipes ----------------------------------------------------------------------------


def _person_name(user) -> str:
    if user is None:
        return ""
    return (user.get_full_name() or user.get_username())[:150]


def _wiped_reason() -> str:
    return _("Automatic: a successful data wipe was recorded.")


@dataclass
class WipeDetails:
    """What a wiping tool's log says beyond method and result (all optional for a manual record)."""

    tool_version: str = ""
    tool_method: str = ""
    passes: int | None = None
    rounds: int | None = None
    verify_mode: str = ""
    blanking: bool | None = None
    started_at: datetime.datetime | None = None
    result: str = ""


@transaction.atomic
def wipe_record(
    *,
    device: Device,
    actor,
    method: str,
    tool: str,
    performed_at,
    succeeded: bool,
    verification: str = "",
    disk_serial: str = "",
    source: str = "manual",
    details: WipeDetails | None = None,
    advance: bool = True,
) -> WipeRecord:
    """Record a data wipe of (a disk of) ``device``, performed by ``actor``.

    A successful wipe that counts moves the device on by itself (lifecycle.AUTOMATIC); an import
    of several disks passes ``advance=False`` and advances each device once all its disks are in.
    """
    if method not in WipeMethod.values:
        raise ValidationError({"method": _("Choose a NIST SP 800-88 method.")})
    if performed_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"performed_at": _("A wipe cannot have been performed in the future.")})
    details = details or WipeDetails()
    if details.started_at is not None and details.started_at > performed_at:
        raise ValidationError({"performed_at": _("A wipe cannot end before it started.")})
    wipe = WipeRecord.objects.create(
        network_id=device.network_id,
        device=device,
        method=method,
        tool=tool.strip()[:100],
        operator=actor,
        operator_name=_person_name(actor),
        performed_at=performed_at,
        succeeded=succeeded,
        verification=verification.strip()[:300],
        disk_serial=disk_serial.strip()[:100],
        source=source,
        tool_version=details.tool_version[:30],
        tool_method=details.tool_method[:60],
        passes=details.passes,
        rounds=details.rounds,
        verify_mode=details.verify_mode,
        blanking=details.blanking,
        started_at=details.started_at,
        result=details.result[:40],
    )
    if succeeded and advance:
        device_advance(device=device, actor=actor, reason=_wiped_reason())
    return wipe


@dataclass
class DiskMatch:
    """One disk of an nwipe log and what the import does with it."""

    disk: nwipe.WipedDisk
    device: Device | None = None
    problem: str = ""  # why it is not imported (empty: imported)
    already_imported: bool = False
    not_counting: str = ""  # imported, but why it does not count towards "ready" (empty: it counts)

    @property
    def imported(self) -> bool:
        return self.device is not None and not self.problem and not self.already_imported


@dataclass
class NwipeImport:
    matches: list[DiskMatch] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def imported(self) -> list[DiskMatch]:
        return [m for m in self.matches if m.imported]

    @property
    def unmatched(self) -> list[DiskMatch]:
        return [m for m in self.matches if m.problem]

    @property
    def duplicates(self) -> list[DiskMatch]:
        return [m for m in self.matches if m.already_imported]


def _devices_by_disk_serial(network_id: int, keys: set[str]) -> dict[str, set[int]]:
    """serial key -> ids of the network's devices it points at. Three queries in all.

    A disk serial may be the device's own serial (a phone, a tablet, or a desk that typed the
    disk's number), one of its disk serials from lshw, or the disk of an earlier wipe. Every
    comparison is on keys (lib.serials), so it is the same on SQLite and PostgreSQL.
    """
    found: dict[str, set[int]] = {k: set() for k in keys}
    if not keys:
        return found
    devices = Device.objects.in_network(network_id)
    for pk, key in devices.filter(serial_key__in=keys).values_list("pk", "serial_key"):
        found[key].add(pk)
    contains = Q()
    for key in keys:
        contains |= Q(disk_serial_keys__contains=f" {key} ")
    for pk, disk_keys in devices.filter(contains).values_list("pk", "disk_serial_keys"):
        for key in disk_keys.split(" "):
            if key in found:
                found[key].add(pk)
    for device_id, key in (
        WipeRecord.objects.in_network(network_id)
        .filter(disk_serial_key__in=keys)
        .values_list("device_id", "disk_serial_key")
        .distinct()
    ):
        found[key].add(device_id)
    return found


def nwipe_match(*, network_id: int, log: nwipe.NwipeLog, for_device: Device | None = None) -> NwipeImport:
    """Which device each disk of the log belongs to; never a guess: no match or several -> reported.

    Uploaded from a device's page (``for_device``), a disk that matches no device at all is that
    device's: the person said whose log it is (a desk registers a laptop by its own serial, the
    log names its disk). A disk known as another device's stays that device's.
    For each disk that matches, also whether its wipe will count towards "ready" (and why not).
    """
    result = NwipeImport(warnings=list(log.warnings))
    keys = {serial_key(d.serial) for d in log.disks if d.serial}
    by_key = _devices_by_disk_serial(network_id, keys)
    device_ids = set().union(*by_key.values()) if by_key else set()
    if for_device is not None:
        device_ids.add(for_device.pk)
    devices = {
        d.pk: d
        for d in Device.objects.in_network(network_id).filter(pk__in=device_ids).select_related("batch")
    }
    existing = set(
        WipeRecord.objects.in_network(network_id)
        .filter(source="nwipe", device_id__in=device_ids)
        .values_list("device_id", "disk_serial_key", "performed_at")
    )
    came_in = {pk: readiness.came_in(device) for pk, device in devices.items()}
    for disk in log.disks:
        match = DiskMatch(disk=disk)
        result.matches.append(match)
        if disk.method is None:
            match.problem = _("A verify-only run is not a wipe.")
        elif disk.serial_anonymised:
            match.problem = _("The serial number was anonymised (nwipe -q); it cannot be matched.")
        elif not disk.serial:
            match.problem = _("The log gives no serial number for this disk.")
        else:
            key = serial_key(disk.serial)
            candidates = by_key.get(key, set())
            if not candidates and for_device is not None:
                candidates = {for_device.pk}
            if not candidates:
                match.problem = _("No device of this network has this serial number.")
            elif len(candidates) > 1:
                tags = ", ".join(sorted(devices[pk].asset_tag for pk in candidates))
                match.problem = _(
                    "Several devices match this serial number (%(tags)s); nothing was guessed."
                ) % {"tags": tags}
            else:
                match.device = devices[next(iter(candidates))]
                match.already_imported = (match.device.pk, key, disk.performed_at) in existing
                match.not_counting = readiness.wipe_not_counting_reason(
                    device=match.device,
                    performed_at=disk.performed_at,
                    succeeded=disk.succeeded,
                    since=came_in[match.device.pk],
                )
    return result


def nwipe_details(disk: nwipe.WipedDisk) -> WipeDetails:
    return WipeDetails(
        tool_version=disk.version,
        tool_method=disk.method_label,
        passes=disk.passes,
        rounds=disk.rounds,
        verify_mode=disk.verify_mode,
        blanking=disk.blanking,
        started_at=disk.started_at,
        result=disk.status,
    )


@transaction.atomic
def wipe_import_nwipe(
    *, network, actor, log: nwipe.NwipeLog, dry_run: bool = False, for_device: Device | None = None
) -> NwipeImport:
    """Create the wipe records for the disks of an nwipe log that match one device each.

    All or nothing: the records are created in one transaction. Unmatched disks are only
    reported. Importing the same log twice creates nothing the second time.
    """
    if for_device is not None and for_device.network_id != network.pk:
        raise ValidationError(_("This device belongs to another network."))
    result = nwipe_match(network_id=network.pk, log=log, for_device=for_device)
    result.dry_run = dry_run
    if dry_run:
        return result
    advance = {}
    for match in result.imported:
        disk = match.disk
        if disk.succeeded:
            advance[match.device.pk] = match.device
        wipe_record(
            device=match.device,
            actor=actor,
            method=disk.method,
            tool=disk.tool,
            performed_at=disk.performed_at,
            succeeded=disk.succeeded,
            verification=disk.verification,
            disk_serial=disk.serial,
            source="nwipe",
            details=nwipe_details(disk),
            advance=False,
        )
    # After every disk is in: a device with one failed disk among good ones does not move on.
    for device in advance.values():
        device_advance(device=device, actor=actor, reason=_wiped_reason())
    return result


# --- quality check -------------------------------------------------------------------------


@transaction.atomic
def quality_check_record(*, device: Device, actor, items: dict[str, bool], notes: str = "") -> QualityCheck:
    """Record the checklist; it passes when every item that applies to this kind of device is ticked.

    A passed check after a wipe that counts makes the device ready by itself (lifecycle.AUTOMATIC).
    """
    required = [item.key for item in checklist.items_for(device.kind)]
    answers = {key: bool(items.get(key)) for key in required}
    check = QualityCheck.objects.create(
        network_id=device.network_id,
        device=device,
        checked_by=actor,
        items=answers,
        passed=all(answers.values()),
        notes=notes.strip()[:300],
    )
    if check.passed:
        device_advance(device=device, actor=actor, reason=_("Automatic: the quality check passed."))
    return check


# --- repair tasks --------------------------------------------------------------------------


def _check_volunteer(network_id: int, user) -> None:
    if user is None:
        return
    is_volunteer = (
        Membership.objects.in_network(network_id).active().filter(user=user, role=Role.VOLUNTEER).exists()
    )
    if not is_volunteer:
        raise ValidationError({"assigned_to": _("Choose a volunteer of this network.")})


@transaction.atomic
def repair_task_create(*, device: Device, actor, title: str, assigned_to=None) -> RepairTask:
    _check_volunteer(device.network_id, assigned_to)
    return RepairTask.objects.create(
        network_id=device.network_id, device=device, title=title.strip()[:200], assigned_to=assigned_to
    )


@transaction.atomic
def repair_task_assign(*, task: RepairTask, actor, title: str, assigned_to=None) -> RepairTask:
    if task.status in {RepairStatus.DONE, RepairStatus.CANCELLED}:
        raise ValidationError(_("This task is closed."))
    _check_volunteer(task.network_id, assigned_to)
    task.title, task.assigned_to = title.strip()[:200], assigned_to
    task.save(update_fields=["title", "assigned_to"])
    return task


@transaction.atomic
def repair_task_cancel(*, task: RepairTask, actor) -> RepairTask:
    if task.status == RepairStatus.DONE:
        raise ValidationError(_("A finished task cannot be cancelled."))
    task.status = RepairStatus.CANCELLED
    task.save(update_fields=["status"])
    return task


@transaction.atomic
def repair_task_work(
    *, task: RepairTask, actor, diagnosis: str, parts_used: str, minutes_spent: int, done: bool = False
) -> RepairTask:
    """The volunteer's update: what they found, which parts they used, how long it took."""
    if task.status == RepairStatus.CANCELLED:
        raise ValidationError(_("This task was cancelled."))
    if minutes_spent < 0:
        raise ValidationError({"minutes_spent": _("Minutes cannot be negative.")})
    task.diagnosis, task.parts_used, task.minutes_spent = (
        diagnosis.strip(),
        parts_used.strip()[:300],
        minutes_spent,
    )
    fields = ["diagnosis", "parts_used", "minutes_spent"]
    if done and task.status != RepairStatus.DONE:
        task.status, task.done_at = RepairStatus.DONE, timezone.now()
        fields += ["status", "done_at"]
    elif not done and task.status == RepairStatus.OPEN:
        task.status = RepairStatus.IN_PROGRESS
        fields.append("status")
    task.save(update_fields=fields)
    return task


# --- stock-take ----------------------------------------------------------------------------


@transaction.atomic
def stocktake_start(*, location: Location, actor) -> StockTake:
    return StockTake.objects.create(network_id=location.network_id, location=location, started_by=actor)


@dataclass
class ScanOutcome:
    device: Device
    scan: StockTakeScan
    first_scan: bool
    elsewhere: Location | None  # registered at another location (None: here, or nowhere)
    not_in_stock: bool  # its status says it is not with us (on loan, given away, retired)


@transaction.atomic
def stocktake_scan(*, stock_take: StockTake, device: Device, actor) -> ScanOutcome:
    """Confirm that ``device`` is here now; sets its last-seen time. Scanning twice is harmless."""
    if device.network_id != stock_take.network_id:
        raise ValidationError(_("This device belongs to another network."))
    if not StockTake.objects.filter(pk=stock_take.pk, closed_at__isnull=True).exists():
        raise ValidationError(_("This stock-take is closed."))
    scan, created = StockTakeScan.objects.get_or_create(
        network_id=stock_take.network_id,
        stock_take=stock_take,
        device=device,
        defaults={"scanned_by": actor},
    )
    now = timezone.now()
    Device.objects.filter(pk=device.pk, network_id=device.network_id).update(last_seen_at=now)
    device.last_seen_at = now
    elsewhere = device.location if device.location_id not in (None, stock_take.location_id) else None
    return ScanOutcome(
        device=device,
        scan=scan,
        first_scan=created,
        elsewhere=elsewhere,
        not_in_stock=device.status not in IN_STOCK,
    )


@transaction.atomic
def stocktake_move_here(*, stock_take: StockTake, device: Device, actor) -> StockTakeScan:
    """Register a scanned device at the stock-take's location (it was found here, not where we thought)."""
    scan = StockTakeScan.objects.in_network(stock_take.network_id).get(stock_take=stock_take, device=device)
    if device.location_id != stock_take.location_id:
        scan.moved_from_id = device.location_id
        scan.save(update_fields=["moved_from"])
        device_move(device=device, location=stock_take.location, actor=actor)
    return scan


@transaction.atomic
def stocktake_close(*, stock_take: StockTake, actor) -> StockTake:
    """Close the count and keep what was expected here (in stock at this location) but not seen."""
    scanned = StockTakeScan.objects.in_network(stock_take.network_id).filter(stock_take=stock_take)
    missing = list(
        Device.objects.in_network(stock_take.network_id)
        .filter(location=stock_take.location_id, status__in=list(IN_STOCK))
        .exclude(pk__in=scanned.values("device_id"))
        .order_by("asset_tag")
        .values_list("pk", flat=True)
    )
    now = timezone.now()
    closed = StockTake.objects.filter(pk=stock_take.pk, closed_at__isnull=True).update(
        closed_at=now, closed_by=actor, missing_device_ids=missing
    )
    if not closed:
        raise ValidationError(_("This stock-take is already closed."))
    stock_take.closed_at, stock_take.closed_by, stock_take.missing_device_ids = now, actor, missing
    return stock_take
