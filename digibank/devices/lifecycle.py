"""The device lifecycle: states, the one table of allowed transitions, and their preconditions.

received → wiping → in repair → quality check → ready → reserved → on loan / given away →
returned → wiping → … → retired (recycled, parts) / lost / stolen.

``devices.services.device_transition`` is the only code that changes ``Device.status``.

Some steps need no decision, only a recorded fact: ``AUTOMATIC`` names them, and
``devices.services.device_advance`` takes them (through ``device_transition``, so each one is
in the history with the person who recorded the fact) as soon as the fact is recorded.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeviceStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    WIPING = "wiping", _("Data wipe")
    IN_REPAIR = "in_repair", _("In repair")
    QUALITY_CHECK = "quality_check", _("Quality check")
    READY = "ready", _("Ready")
    RESERVED = "reserved", _("Reserved")
    ON_LOAN = "on_loan", _("On loan")
    GIVEN_AWAY = "given_away", _("Given away")
    RETURNED = "returned", _("Returned")
    RECYCLED = "recycled", _("Retired: recycled")
    PARTS = "parts", _("Retired: used for parts")
    LOST = "lost", _("Lost")
    STOLEN = "stolen", _("Stolen")


S = DeviceStatus
RETIRED = frozenset({S.RECYCLED, S.PARTS, S.LOST, S.STOLEN})
# Devices physically in our hands (expected at their location during a stock-take).
IN_STOCK = frozenset({S.RECEIVED, S.WIPING, S.IN_REPAIR, S.QUALITY_CHECK, S.READY, S.RESERVED, S.RETURNED})
# Statuses reached through lending services only (a loan, a gift or an offer must exist).
LENDING_ONLY = frozenset({S.RESERVED, S.ON_LOAN, S.GIVEN_AWAY})

TRANSITIONS: dict[DeviceStatus, frozenset[DeviceStatus]] = {
    S.RECEIVED: frozenset({S.WIPING, S.IN_REPAIR, S.RECYCLED, S.PARTS}),
    S.WIPING: frozenset({S.IN_REPAIR, S.QUALITY_CHECK, S.RECYCLED, S.PARTS}),
    S.IN_REPAIR: frozenset({S.WIPING, S.QUALITY_CHECK, S.RECYCLED, S.PARTS}),
    S.QUALITY_CHECK: frozenset({S.READY, S.IN_REPAIR, S.WIPING, S.RECYCLED, S.PARTS}),
    S.READY: frozenset(
        {S.RESERVED, S.ON_LOAN, S.GIVEN_AWAY, S.IN_REPAIR, S.RECYCLED, S.PARTS, S.LOST, S.STOLEN}
    ),
    S.RESERVED: frozenset({S.READY, S.ON_LOAN, S.GIVEN_AWAY}),
    S.ON_LOAN: frozenset({S.RETURNED, S.LOST, S.STOLEN}),
    # A returned device holds the last borrower's data: it goes back through the wipe.
    S.RETURNED: frozenset({S.WIPING, S.RECYCLED, S.PARTS}),
    S.GIVEN_AWAY: frozenset(),
    S.RECYCLED: frozenset(),
    S.PARTS: frozenset(),
    S.LOST: frozenset({S.RETURNED}),  # found again
    S.STOLEN: frozenset({S.RETURNED}),  # recovered
}


def allowed_next(status: str) -> frozenset[DeviceStatus]:
    return TRANSITIONS[DeviceStatus(status)]


# The steps the lifecycle takes by itself: from status -> (to status, the fact it needs).
# Facts (devices.readiness.facts): "wiped" = a successful wipe that counts since the device came
# in; "checked" = that, and a passed quality check after the wipe (ready may be entered).
# Repair is a decision of staff: a device in repair moves on only when no repair task is open.
AUTOMATIC: dict[DeviceStatus, tuple[DeviceStatus, frozenset[str]]] = {
    S.RECEIVED: (S.WIPING, frozenset({"wiped"})),
    S.RETURNED: (S.WIPING, frozenset({"wiped"})),
    S.WIPING: (S.QUALITY_CHECK, frozenset({"wiped"})),
    S.IN_REPAIR: (S.QUALITY_CHECK, frozenset({"checked", "no_open_repair"})),
    S.QUALITY_CHECK: (S.READY, frozenset({"checked"})),
}
assert all(to in TRANSITIONS[frm] for frm, (to, _facts) in AUTOMATIC.items()), "AUTOMATIC leaves the table"


def automatic_path(status: str, facts: set[str]) -> list[DeviceStatus]:
    """The statuses the device passes through by itself from ``status`` given the recorded facts."""
    path: list[DeviceStatus] = []
    current = DeviceStatus(status)
    while current in AUTOMATIC and AUTOMATIC[current][1] <= facts:
        current = AUTOMATIC[current][0]
        path.append(current)
    return path
