"""Where the capability that takes requests in (referrals) and the capabilities that deliver a
service (lending, and later courses, digibuddies …) meet, without importing each other.

**Delivery.** A capability that delivers a kind of service registers a ``Delivery`` for it from
its AppConfig.ready()::

    register_delivery(ServiceKind.DEVICE_LOAN, LendingDelivery())

When a request is referred to a service of that kind, referrals calls ``start`` inside its own
transaction and keeps the returned handle on the referral (e.g. the waiting-list entry's id);
when the referral is declined or cancelled — and no other open referral shares the handle — it
calls ``stop``. ``form_fields`` adds the delivery's questions to the referral form.

**Requests.** Referrals registers how the others reach it: ``take_request`` (a digipunt's help
contact "referred" becomes a request; the arguments are those of referrals'
``request_create``) and ``referring_organisations`` (which partners referred this resident:
a lending rule may accept a partner referral as proof of need).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from django.core.exceptions import ValidationError


class DeliveryRefused(ValidationError):
    """The delivering capability cannot take this referral (the message says why)."""


@dataclass(frozen=True)
class ReferralInfo:
    """What a delivering capability needs to know about a referral (not the referral itself)."""

    network_id: int
    resident: object  # residents.Resident
    reference: str  # the request's reference, e.g. "R2026-00042"
    referred_at: datetime.datetime | None = None  # None: now (the demo backdates)


class Delivery(Protocol):
    # Shown on the referral page when the referral has a handle, e.g. "on the waiting list".
    label: str

    def form_fields(self, *, network_id: int) -> dict: ...

    def start(self, *, referral: ReferralInfo, data: dict, actor) -> int | None: ...

    def stop(self, *, network_id: int, handle: int, actor, reason: str) -> None: ...


_DELIVERIES: dict[str, Delivery] = {}


def register_delivery(kind: str, delivery: Delivery) -> None:
    _DELIVERIES[kind] = delivery


def delivery_for(kind: str) -> Delivery | None:
    return _DELIVERIES.get(kind)


def delivery_kinds() -> set[str]:
    return set(_DELIVERIES)


# --- requests (implemented by referrals) -----------------------------------------------------


@dataclass
class _RequestPorts:
    take: Callable | None = None
    referring: Callable | None = None


_REQUESTS = _RequestPorts()


def register_request_ports(*, take: Callable, referring: Callable) -> None:
    _REQUESTS.take = take
    _REQUESTS.referring = referring


def take_request(**kwargs):
    """Register a request (referrals' ``request_create``); raises its ValidationError unchanged."""
    if _REQUESTS.take is None:
        raise ValidationError("Requests are not taken in this installation.")
    return _REQUESTS.take(**kwargs)


def referring_organisations(resident) -> list:
    """The partner organisations that referred ``resident`` (none when nothing takes requests)."""
    return _REQUESTS.referring(resident) if _REQUESTS.referring is not None else []
