"""Writes about devices. ``device_transition`` is the only way a device changes status."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .lifecycle import DeviceStatus, allowed_next
from .models import Device, DeviceEvent


class TransitionError(ValidationError):
    """A forbidden or not-yet-possible status change. Nothing was changed."""


def _last_event_into(device: Device, statuses) -> DeviceEvent | None:
    return device.events.filter(to_status__in=list(statuses)).order_by("-at", "-pk").first()


def readiness_problems(device: Device) -> list[str]:
    """Why ``device`` may not become ready yet (empty when it may).

    Ready needs a successful wipe after the device last came in (received or returned),
    and a passed quality check after that wipe.
    """
    problems = []
    came_in = _last_event_into(device, {DeviceStatus.RECEIVED, DeviceStatus.RETURNED})
    wipes = device.wipes.filter(succeeded=True)
    if came_in is not None:
        wipes = wipes.filter(performed_at__gte=came_in.at)
    last_wipe = wipes.order_by("-performed_at", "-pk").first()
    if last_wipe is None:
        problems.append(_("No successful data wipe is recorded since the device came in."))
    checks = device.quality_checks.filter(passed=True)
    if last_wipe is not None:
        checks = checks.filter(checked_at__gte=last_wipe.performed_at)
    if not checks.exists():
        problems.append(_("No passed quality check is recorded after the last data wipe."))
    return problems


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
