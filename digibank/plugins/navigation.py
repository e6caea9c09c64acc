"""The main navigation, put together from what each app registers.

    register_nav(key="devices", label=_("Devices"), url_name="devices:list",
                 permission="device.view", order=60, sections=("devices",))

An entry is shown to a membership that holds ``permission`` (and not ``unless``, for an
entry that replaces another one for roles without it). It is marked as the current page when
the request's URL namespace is one of ``sections`` or its view name one of ``views``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavEntry:
    key: str
    label: str
    url_name: str
    permission: str
    order: int = 50
    sections: tuple[str, ...] = ()
    views: tuple[str, ...] = ()
    # Views of one of ``sections`` that belong to another entry (e.g. help registration).
    not_views: tuple[str, ...] = ()
    unless: str = ""
    # A number beside the label (e.g. unread notifications): called with the membership;
    # ``badge_label`` says what it counts to a screen reader ("unread").
    badge: Callable | None = None
    badge_label: str = ""


_ENTRIES: dict[str, NavEntry] = {}


def register_nav(**kwargs) -> None:
    entry = NavEntry(**kwargs)
    _ENTRIES[entry.key] = entry


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    current: bool
    badge: object = None
    badge_label: str = ""


def nav_for(request) -> list[NavLink]:
    """The entries the current membership may use, in order, with the current one marked."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return []
    match = getattr(request, "resolver_match", None)
    namespace = match.app_name if match else ""
    view_name = match.view_name if match else ""
    links = []
    for entry in sorted(_ENTRIES.values(), key=lambda e: (e.order, e.key)):
        if not membership.has(entry.permission) or (entry.unless and membership.has(entry.unless)):
            continue
        current = view_name in entry.views or (
            namespace in entry.sections and view_name not in entry.not_views
        )
        badge = entry.badge(membership) if entry.badge else None
        links.append(
            NavLink(str(entry.label), reverse(entry.url_name), current, badge, str(entry.badge_label))
        )
    return links
