"""Automatic audit of what a staff page shows: the safety net under the explicit entries.

Every resident loaded from the database during a request is noted (``resident_loaded``, from
``Resident.from_db``). When the page is rendered, ``AuditShownMiddleware`` looks for each noted
resident's name in the HTML and writes a "viewed" entry for every one that is there and that the
view did not record itself (``audit_record``/``audit_residents_listed`` call ``recorded``). A new
page that shows a resident is therefore audited without anyone remembering to, and the
authorization walk checks it for every URL and role.

What is kept is what the trail always keeps: who, when, which fields (by name), from which path.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field

from django.utils.html import escape

# The fields whose presence on a page is recorded, with the model attribute that holds each.
WATCHED = {
    "name": ("first_name", "last_name"),
    "birth_year": ("birth_year",),
    "phone": ("phone",),
    "email": ("email",),
}


@dataclass
class Shown:
    # resident pk -> {attribute: value} as loaded
    loaded: dict[int, dict] = field(default_factory=dict)
    # (subject kind, id) the view recorded itself in this request
    recorded: set[tuple[str, int]] = field(default_factory=set)
    # Set by the audit trail's own pages: reading the trail is oversight, not a view of the
    # people in it (else every reading would add to the trail it reads).
    exempt: bool = False


_current: ContextVar[Shown | None] = ContextVar("digibank_audit_shown", default=None)


def start() -> tuple[Shown, object]:
    shown = Shown()
    return shown, _current.set(shown)


def stop(token) -> None:
    _current.reset(token)


def active() -> bool:
    """Whether a request is noting what it loads (cheap: checked before any work per row)."""
    return _current.get() is not None


def resident_loaded(pk: int | None, values: dict) -> None:
    """A resident row was read in this request (no-op outside a request)."""
    shown = _current.get()
    if shown is not None and pk is not None:
        # Merged: a row read first without its name (``only("id")``) and later whole counts.
        shown.loaded.setdefault(pk, {}).update(values)


def recorded(kind: str, ids) -> None:
    """The view wrote its own entries about these subjects."""
    shown = _current.get()
    if shown is not None:
        shown.recorded.update((kind, int(i)) for i in ids)


def exempt() -> None:
    """This page is the audit trail itself: no automatic entries."""
    shown = _current.get()
    if shown is not None:
        shown.exempt = True


def _present(value, text: str) -> bool:
    value = str(value or "").strip()
    return len(value) > 1 and (value in text or escape(value) in text)


def fields_shown(values: dict, text: str) -> list[str]:
    """Which watched fields of one resident appear in the page; [] when the name does not."""
    first, last = values.get("first_name"), values.get("last_name")
    # A one-letter name part is everywhere on a page: the other part decides.
    names = [n for n in (first, last) if len(str(n or "").strip()) > 1]
    if not names or str(first or "").startswith("—") or not all(_present(n, text) for n in names):
        return []  # not shown (or an erased resident, whose name is "— #id")
    found = ["name"]
    for name, (attribute,) in ((k, v) for k, v in WATCHED.items() if k != "name"):
        if _present(values.get(attribute), text):
            found.append(name)
    return found


# What a model notes when it is loaded (Resident.from_db).
WATCHED_ATTRIBUTES = tuple(attribute for attributes in WATCHED.values() for attribute in attributes)
