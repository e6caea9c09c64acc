"""Widgets on the home page: what waits for this person, from every capability.

    register_widget(key="my_repairs", template="devices/_home_repairs.html",
                    permission="repair.work", context=my_repairs_context, order=20)

``context(request)`` returns the template's context, or ``None`` when the widget has nothing to
say for this person (it is then left out). Widgets render in order, after the role's own part.
A widget that is a shortcut rather than work waiting (``action=True``, e.g. "register a help
question") does not count when the page says that nothing waits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string


@dataclass(frozen=True)
class Widget:
    key: str
    template: str
    permission: str
    context: Callable
    order: int = 50
    # Only for these roles (empty: every role with the permission).
    roles: frozenset = frozenset()
    action: bool = False


@dataclass(frozen=True)
class Shown:
    html: str
    action: bool

    def __str__(self) -> str:
        return self.html


_WIDGETS: dict[str, Widget] = {}


def register_widget(
    *, key: str, template: str, permission: str, context: Callable, order: int = 50, roles=(), action=False
):
    _WIDGETS[key] = Widget(key, template, permission, context, order, frozenset(roles), action)


def widgets_for(request) -> list[Shown]:
    """The rendered widgets for the current membership, in order (``str()`` of one is its HTML)."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return []
    shown = []
    for widget in sorted(_WIDGETS.values(), key=lambda w: (w.order, w.key)):
        if not membership.has(widget.permission) or (widget.roles and membership.role not in widget.roles):
            continue
        context = widget.context(request)
        if context is not None:
            html = render_to_string(widget.template, context, request=request)
            shown.append(Shown(html, widget.action))  # render_to_string's result is safe HTML
    return shown
