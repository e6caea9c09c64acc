"""Models of the digipunten capability, one module per concern (PRODUCT.md flow 4)."""

from .appointments import (
    APPOINTMENT_TRANSITIONS,
    PLACE_HOLDING,
    Appointment,
    AppointmentStatus,
    BookingChannel,
    MessageKind,
    Slot,
)
from .contacts import (
    DEFAULT_THEMES,
    HELP_LANGUAGE_CODES,
    HELP_LANGUAGES,
    HelpContact,
    HelpTheme,
    Outcome,
    VisitorTally,
)
from .helphours import BOOKABLE_MODES, HelpSession, SessionMode, Shift
from .places import MIDNIGHT, Closure, Digipunt, DigipuntKind, OpeningPeriod, Weekday

__all__ = [
    "APPOINTMENT_TRANSITIONS",
    "BOOKABLE_MODES",
    "DEFAULT_THEMES",
    "HELP_LANGUAGES",
    "HELP_LANGUAGE_CODES",
    "MIDNIGHT",
    "PLACE_HOLDING",
    "Appointment",
    "AppointmentStatus",
    "BookingChannel",
    "Closure",
    "Digipunt",
    "DigipuntKind",
    "HelpContact",
    "HelpSession",
    "HelpTheme",
    "MessageKind",
    "OpeningPeriod",
    "Outcome",
    "SessionMode",
    "Shift",
    "Slot",
    "VisitorTally",
    "Weekday",
]
