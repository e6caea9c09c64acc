"""A device's history, told by every capability that did something with it.

The devices app writes its own part (status changes, wipes, checks, repairs, stock-takes); a
capability that builds on devices (lending: loans and gifts) registers a source from its
AppConfig.ready()::

    register_history_source(key="loans", source=device_loan_history)

``source(device=, membership=)`` returns ``HistoryItem``s (a fixed number of queries);
the device page merges them, newest first.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone


@dataclass
class HistoryItem:
    at: datetime.datetime
    kind: str  # status, wipe, check, repair, loan, scan
    title: str
    detail: str = ""
    who: str = ""
    ok: bool | None = None  # wipe/check result, shown as text too
    url: str = ""


def day_start(day: datetime.date) -> datetime.datetime:
    """An event known by its day only (a loan's start) sorts at the start of that day."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


_SOURCES: dict[str, Callable[..., list[HistoryItem]]] = {}


def register_history_source(*, key: str, source: Callable[..., list[HistoryItem]]) -> None:
    _SOURCES[key] = source


def history_from_sources(*, device, membership) -> list[HistoryItem]:
    items: list[HistoryItem] = []
    for key in sorted(_SOURCES):
        items.extend(_SOURCES[key](device=device, membership=membership))
    return items
