"""Sections that other capabilities add to the resident page, without residents importing them.

A capability registers a panel in its ``AppConfig.ready()``::

    register_panel(key="requests", template="referrals/_resident_requests.html",
                   permission="request.view", context=lambda membership, resident: {...}, order=20)

The resident page renders, in order, every panel whose permission the viewer holds.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    permission: str
    context: Callable[..., dict]
    order: int = 50


_PANELS: dict[str, Panel] = {}


def register_panel(
    *, key: str, template: str, permission: str, context: Callable[..., dict], order: int = 50
):
    _PANELS[key] = Panel(key, template, permission, context, order)


def panels_for(*, request, resident) -> list[str]:
    """The rendered panels (HTML) the current membership may see, in order."""
    membership = request.membership
    shown = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.key)):
        if membership is not None and membership.has(panel.permission):
            context = {"resident": resident, **panel.context(membership, resident)}
            shown.append(render_to_string(panel.template, context, request=request))
    return shown
