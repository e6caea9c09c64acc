"""What the global search finds besides residents, registered by the capabilities.

    register_search(key="devices", permission="device.view", find=device_search,
                    template="devices/_search_results.html", order=20)

``find(membership=, query=)`` returns a list of hits (already scoped), rendered with ``template``
(context: ``hits``, ``query``). When it finds exactly one hit and no resident, ``exact(hit, query)``
may return that hit's URL (the query names it exactly, e.g. a scanned asset tag): the search then
opens it directly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SearchSource:
    key: str
    permission: str
    find: Callable
    template: str
    exact: Callable | None = None
    order: int = 50


_SOURCES: dict[str, SearchSource] = {}


def register_search(
    *, key: str, permission: str, find: Callable, template: str, exact: Callable | None = None, order=50
):
    _SOURCES[key] = SearchSource(key, permission, find, template, exact, order)


def sources_for(membership) -> list[SearchSource]:
    if membership is None:
        return []
    return [
        s for s in sorted(_SOURCES.values(), key=lambda s: (s.order, s.key)) if membership.has(s.permission)
    ]
