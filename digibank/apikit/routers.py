"""The routers of the API, registered by the apps that own them and mounted by digibank.api."""

from __future__ import annotations

from dataclasses import dataclass

from ninja import Router


@dataclass(frozen=True)
class Mounted:
    prefix: str
    router: Router


_ROUTERS: dict[str, Mounted] = {}


def register_router(prefix: str, router: Router) -> None:
    """Mount ``router`` at /api/v1<prefix>. One router per prefix; registering again replaces it
    (AppConfig.ready() may run twice in tests)."""
    _ROUTERS[prefix] = Mounted(prefix, router)


def registered_routers() -> list[Mounted]:
    """In the order of the prefixes, so the OpenAPI document is the same on every start; the
    root prefix ("") last, so its paths never shadow a named one."""
    return sorted(_ROUTERS.values(), key=lambda m: (m.prefix == "", m.prefix))
