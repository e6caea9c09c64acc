"""Sections that capabilities add to another app's page, without that app importing them.

Pages that take panels: ``"resident"`` (the resident page; the object is the resident) and
``"stock_overview"`` (the devices' stock overview; the object is the network: counts only).
A capability registers a panel in its ``AppConfig.ready()``::

    register_panel(page="resident", key="requests", template="referrals/_resident_requests.html",
                   permission="request.view", context=lambda membership, resident: {...}, order=20)

The page renders, in order, every panel of its kind whose permission the viewer holds. The
object is in the context under the page's name (``resident``, ``stock_overview``).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string

PAGES = ("resident", "stock_overview")


@dataclass(frozen=True)
class Panel:
    page: str
    key: str
    template: str
    permission: str
    context: Callable[..., dict]
    order: int = 50


_PANELS: dict[tuple[str, str], Panel] = {}


def register_panel(
    *, page: str, key: str, template: str, permission: str, context: Callable[..., dict], order: int = 50
):
    if page not in PAGES:
        raise ValueError(f"Unknown page {page!r}; pages that take panels: {PAGES}")
    _PANELS[(page, key)] = Panel(page, key, template, permission, context, order)


def panels_for(*, page: str, request, obj) -> list[str]:
    """The rendered panels (HTML) of ``page`` the current membership may see, in order."""
    membership = request.membership
    shown = []
    for panel in sorted((p for p in _PANELS.values() if p.page == page), key=lambda p: (p.order, p.key)):
        if membership is not None and membership.has(panel.permission):
            context = {page: obj, **panel.context(membership, obj)}
            shown.append(render_to_string(panel.template, context, request=request))
    return shown
