"""When a wipe counts, what a device still needs before it is ready, and what to do next.

Reads only: the services (which move the lifecycle) and the pages (the "next step" box, the
nwipe import's per-disk verdict) ask the same questions here.

A wipe counts towards "ready" when it succeeded and was done after the device last came in:
its "returned" event, or for a device that came in with a donation batch, the start of the
batch's received date (refurbishers often wipe first and register the device later); for a
device registered without a batch, its registration.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from digibank.lib.serials import serial_display

from .lifecycle import DeviceStatus
from .models import Device, DeviceEvent, RepairStatus

S = DeviceStatus


@dataclass(frozen=True)
class CameIn:
    at: datetime.datetime
    # A batch's received date is a whole day: no rounding. An event's time is to the second,
    # while people enter a wipe's time to the minute: one recorded afterwards for the same
    # minute counts too.
    exact: bool
    label: str  # for the person: "received with batch DON-2026-004 on 3 Dec 2026"


def came_in(device: Device) -> CameIn | None:
    """When the device last came into our hands, or None (no history: every wipe counts)."""
    event = (
        DeviceEvent.objects.filter(device=device, to_status__in=[S.RECEIVED, S.RETURNED])
        .order_by("-at", "-pk")
        .first()
    )
    if event is None:
        return None
    first_registration = event.to_status == S.RECEIVED and not event.from_status
    if first_registration and device.batch_id is not None:
        received_on = device.batch.received_on
        start = timezone.make_aware(
            datetime.datetime.combine(received_on, datetime.time.min), timezone.get_current_timezone()
        )
        if start <= event.at:
            return CameIn(
                at=start,
                exact=True,
                label=_("received with batch %(batch)s on %(date)s")
                % {"batch": device.batch.reference, "date": date_format(received_on)},
            )
    local = timezone.localtime(event.at)
    label = _("returned on %(when)s") if event.to_status == S.RETURNED else _("registered on %(when)s")
    return CameIn(at=event.at, exact=False, label=label % {"when": date_format(local, "DATETIME_FORMAT")})


def _counting_wipes_q(since: CameIn | None) -> Q:
    if since is None:
        return Q()
    if since.exact:
        return Q(performed_at__gte=since.at)
    return Q(performed_at__gte=since.at) | Q(
        created_at__gt=since.at, performed_at__gte=since.at.replace(second=0, microsecond=0)
    )


def wipe_not_counting_reason(
    *, device: Device, performed_at: datetime.datetime, succeeded: bool, since: CameIn | None = None
) -> str:
    """Why a wipe (recorded or about to be) does not count towards "ready"; "" when it counts."""
    if not succeeded:
        return _("The wipe did not succeed: the disk still has to be wiped.")
    since = came_in(device) if since is None else since
    if since is None:
        return ""
    counts = performed_at >= since.at or (
        not since.exact and performed_at >= since.at.replace(second=0, microsecond=0)
    )
    if counts:
        return ""
    return _(
        "Done on %(when)s, before the device came in (%(came_in)s): it may have held someone's data "
        "since. Wipe it again."
    ) % {"when": date_format(timezone.localtime(performed_at), "DATETIME_FORMAT"), "came_in": since.label}


def last_counting_wipe(device: Device):
    """The latest successful wipe that counts (see the module docstring), or None."""
    return (
        device.wipes.filter(succeeded=True)
        .filter(_counting_wipes_q(came_in(device)))
        .order_by("-performed_at", "-pk")
        .first()
    )


def failed_disks(device: Device) -> list[str]:
    """The disks (serials, as shown) whose latest wipe since the device came in failed.

    A laptop with two disks of which one failed in nwipe still holds data on that disk.
    """
    latest: dict[str, object] = {}
    wipes = device.wipes.filter(_counting_wipes_q(came_in(device))).exclude(disk_serial_key="")
    for wipe in wipes.order_by("performed_at", "pk"):
        latest[wipe.disk_serial_key] = wipe
    return [serial_display(w.disk_serial) for w in latest.values() if not w.succeeded]


def readiness_problems(device: Device) -> list[str]:
    """Why ``device`` may not become ready yet (empty when it may).

    Ready needs a successful wipe that counts, no disk whose latest wipe failed, and a passed
    quality check after that wipe.
    """
    problems = []
    last_wipe = last_counting_wipe(device)
    if last_wipe is None:
        problems.append(_("No successful data wipe is recorded since the device came in."))
    if failed := failed_disks(device):
        problems.append(
            _("The last wipe of disk %(disks)s failed: wipe it again or remove the disk.")
            % {"disks": ", ".join(failed)}
        )
    checks = device.quality_checks.filter(passed=True)
    if last_wipe is not None:
        checks = checks.filter(checked_at__gte=last_wipe.performed_at)
    if not checks.exists():
        problems.append(_("No passed quality check is recorded after the last data wipe."))
    return problems


def facts(device: Device) -> set[str]:
    """The recorded facts the automatic lifecycle steps ask for (lifecycle.AUTOMATIC)."""
    found = set()
    if last_counting_wipe(device) is not None and not failed_disks(device):
        found.add("wiped")
        if not readiness_problems(device):
            found.add("checked")
    if not device.repair_tasks.filter(status__in=[RepairStatus.OPEN, RepairStatus.IN_PROGRESS]).exists():
        found.add("no_open_repair")
    return found


@dataclass(frozen=True)
class NextStep:
    """The one thing to do with a device now: a sentence and, when there is one, the page to do it."""

    text: str
    url_name: str = ""  # a devices: URL taking the device's pk
    action: str = ""


def next_step(device: Device) -> NextStep | None:
    status = DeviceStatus(device.status)
    if status in {S.RECEIVED, S.RETURNED, S.WIPING}:
        if last_counting_wipe(device) is None or failed_disks(device):
            return NextStep(
                _("Wipe the data: record the wipe (or import its nwipe log); the device then moves on."),
                "devices:wipe_add",
                _("Record the data wipe"),
            )
        return NextStep(
            _("The wipe is recorded: do the quality check."), "devices:check_add", _("Do the quality check")
        )
    if status == S.IN_REPAIR:
        if device.repair_tasks.filter(status__in=[RepairStatus.OPEN, RepairStatus.IN_PROGRESS]).exists():
            return NextStep(_("A repair task is open: when it is done, do the quality check."))
        return NextStep(
            _("The repair is done: do the quality check."), "devices:check_add", _("Do the quality check")
        )
    if status == S.QUALITY_CHECK:
        if last_counting_wipe(device) is None:
            return NextStep(
                _("No data wipe counts yet: record the wipe first."),
                "devices:wipe_add",
                _("Record the data wipe"),
            )
        return NextStep(
            _("Do the quality check: when it passes, the device becomes ready by itself."),
            "devices:check_add",
            _("Do the quality check"),
        )
    if status == S.READY:
        return NextStep(_("Ready to lend: offer it to the next person on the waiting list (lending pages)."))
    return None
