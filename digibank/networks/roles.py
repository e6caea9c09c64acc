"""Roles and the one permission table of Digibank.

This table is the single source of truth for what a role may do. Views declare the
permission they need (``staff_view("resident.view")``); the URL-walking authorization test
reads the same table to know what every role should get. docs/permissions.md is generated
from it (``manage.py permissions_doc``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    SERVICE_DESK = "service_desk", _("Service desk")
    PARTNER_WORKER = "partner_worker", _("Partner worker")
    DIGIPUNT_STAFF = "digipunt_staff", _("Digipunt staff")
    COURSE_PROVIDER = "course_provider", _("Course provider")
    VOLUNTEER = "volunteer", _("Volunteer")
    STEERING_VIEWER = "steering_viewer", _("Steering group member")


# Roles that act on behalf of one partner organisation and therefore must name it.
ROLES_WITH_ORGANISATION = frozenset({Role.PARTNER_WORKER, Role.COURSE_PROVIDER})

R = Role
ALL_ROLES = frozenset(Role)
# Roles that may handle a resident's personal data at all (steering group: aggregates only).
PERSONAL_DATA_ROLES = frozenset({R.COORDINATOR, R.SERVICE_DESK, R.PARTNER_WORKER, R.DIGIPUNT_STAFF})

# permission code -> (roles that hold it, description for the docs)
PERMISSIONS: dict[str, tuple[frozenset[Role], str]] = {
    "home.view": (ALL_ROLES, "See the home page of their role"),
    "figures.view": (
        frozenset({R.COORDINATOR, R.SERVICE_DESK, R.STEERING_VIEWER}),
        "See aggregated figures (no personal data)",
    ),
    "search.use": (PERSONAL_DATA_ROLES, "Use the global search"),
    "resident.view": (
        PERSONAL_DATA_ROLES,
        "See residents (partner workers: only residents their organisation registered or was referred)",
    ),
    "resident.create": (PERSONAL_DATA_ROLES, "Register a resident"),
    "resident.change": (
        frozenset({R.COORDINATOR, R.SERVICE_DESK, R.PARTNER_WORKER}),
        "Change a resident's data, eligibility proof and consent (partner workers: their own residents)",
    ),
    "resident.export": (frozenset({R.COORDINATOR}), "Subject-access export of one resident (JSON, PDF)"),
    "resident.erase": (frozenset({R.COORDINATOR}), "Erase (anonymise) a resident"),
    "audit.view": (frozenset({R.COORDINATOR}), "Read the audit trail per resident and per user"),
    "organisation.view": (
        ALL_ROLES - {R.VOLUNTEER},
        "See the partner organisations and their contact people",
    ),
    "organisation.change": (frozenset({R.COORDINATOR}), "Add and edit organisations and contact people"),
    "device.view": (
        frozenset({R.COORDINATOR, R.SERVICE_DESK, R.DIGIPUNT_STAFF}),
        "See devices, their history, wipes and the stock overview",
    ),
    "device.manage": (
        frozenset({R.COORDINATOR, R.SERVICE_DESK}),
        "Register devices and donations, wipe, check, move, retire, import, print labels, stock-take",
    ),
    "repair.work": (
        frozenset({R.COORDINATOR, R.SERVICE_DESK, R.VOLUNTEER}),
        "Work on repair tasks (PC-doctor volunteers: only their own tasks)",
    ),
    "loan.view": (
        frozenset({R.COORDINATOR, R.SERVICE_DESK}),
        "See the waiting list, offers, loans and gifts",
    ),
    "loan.manage": (
        frozenset({R.COORDINATOR, R.SERVICE_DESK}),
        "Put residents on the waiting list, offer, hand over, extend, take back, give away",
    ),
    "lending.settings": (
        frozenset({R.COORDINATOR}),
        "Eligibility rules, loan periods and priority categories",
    ),
    "service.view": (ALL_ROLES - {R.VOLUNTEER}, "See the service catalogue"),
    "service.manage": (frozenset({R.COORDINATOR}), "Edit the service catalogue and the intake rules (caps)"),
    "request.view": (
        PERSONAL_DATA_ROLES,
        "See requests and referrals (partner workers: only those their organisation sent or received)",
    ),
    "request.create": (PERSONAL_DATA_ROLES, "Register a request (partner workers: as a referral form)"),
    "request.triage": (
        frozenset({R.COORDINATOR, R.SERVICE_DESK}),
        "Triage: assign, check eligibility, refer, close requests",
    ),
    "referral.update": (
        frozenset({R.COORDINATOR, R.SERVICE_DESK, R.PARTNER_WORKER}),
        "Change a referral's status and add notes (partner workers: referrals sent to their organisation)",
    ),
    "notification.view": (ALL_ROLES, "Read their own notifications"),
    "digipunt.view": (ALL_ROLES, "See the digipunten, their opening hours and help hours"),
    "digipunt.manage": (
        frozenset({R.COORDINATOR, R.DIGIPUNT_STAFF}),
        "Edit digipunten, opening hours, closures and help-hour sessions",
    ),
    "helpcontact.register": (
        frozenset({R.COORDINATOR, R.SERVICE_DESK, R.DIGIPUNT_STAFF, R.VOLUNTEER}),
        "Register help contacts and visitor tallies (anonymous unless linked to a resident one may see)",
    ),
    "appointment.manage": (
        frozenset({R.COORDINATOR, R.SERVICE_DESK, R.DIGIPUNT_STAFF, R.PARTNER_WORKER}),
        "Book, cancel and mark no-shows (partner workers: appointments their organisation booked)",
    ),
    "shift.signup": (
        frozenset({R.COORDINATOR, R.DIGIPUNT_STAFF, R.VOLUNTEER}),
        "Sign up for help-hour shifts (coordinators and digipunt staff also see the gaps)",
    ),
    "public.manage": (
        frozenset({R.COORDINATOR}),
        "Edit the public site's texts and handle what residents send through it",
    ),
    "public.inbox": (
        frozenset({R.COORDINATOR, R.SERVICE_DESK}),
        "See and handle volunteer applications and donation offers sent through the public site",
    ),
    "network.manage": (
        frozenset({R.COORDINATOR}),
        "Network settings (mandatory two-factor), members and their roles",
    ),
}


def role_has(role: str, permission: str) -> bool:
    """True when ``role`` holds ``permission``; an unknown permission code is a programming error."""
    roles, _description = PERMISSIONS[permission]
    return role in roles
