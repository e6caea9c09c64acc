"""/api/v1/devices/: devices with their history, registration and status changes.

Same scoping and rules as the staff pages: the token's network only, reads through
selectors, writes through the same services (a refused transition is a 422 with the
lifecycle's message, and changes nothing). Mount with ``api.add_router("/devices", router)``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from digibank.apikit.auth import requires
from digibank.apikit.pagination import PageParams, paginate
from digibank.apikit.schemas import error_responses
from digibank.networks.access import get_visible_or_404

from . import selectors, services
from .labels import device_url
from .lifecycle import DeviceStatus
from .models import Condition, Device, DeviceEvent, DeviceKind, QualityCheck, RepairTask, WipeRecord

router = Router(tags=["devices"])


def _name(user) -> str | None:
    return (user.get_full_name() or user.get_username()) if user else None


class LocationRef(Schema):
    id: int
    name: str


class DeviceOut(Schema):
    id: int
    asset_tag: str
    kind: DeviceKind
    brand: str
    model: str
    serial: str
    status: DeviceStatus
    status_changed_at: datetime.datetime
    condition: Condition | None
    location: LocationRef | None
    batch_id: int | None = Field(None, description="The donation batch, if any.")
    cpu: str
    ram_gb: float | None
    storage_gb: int | None
    storage_type: str
    battery_health: int | None
    os: str
    keyboard_layout: str
    weight_kg: float | None
    created_at: datetime.datetime
    last_seen_at: datetime.datetime | None
    url: str = Field(..., description="The device page (the URL its QR label encodes).")

    @staticmethod
    def resolve_condition(obj) -> str | None:
        return obj.condition or None

    @staticmethod
    def resolve_url(obj) -> str:
        return device_url(obj)


class EventOut(Schema):
    at: datetime.datetime
    from_status: DeviceStatus | None
    to_status: DeviceStatus
    actor: str | None
    reason: str

    @staticmethod
    def resolve_from_status(obj) -> str | None:
        return obj.from_status or None

    @staticmethod
    def resolve_actor(obj) -> str | None:
        return _name(obj.actor)


class WipeOut(Schema):
    performed_at: datetime.datetime
    method: str
    tool: str
    operator_name: str
    succeeded: bool
    verification: str
    disk_serial: str
    source: str
    # What the tool's log said (empty/null for a wipe recorded by hand): see docs/devices.md.
    tool_version: str
    tool_method: str
    passes: int | None
    rounds: int | None
    verify_mode: str
    blanking: bool | None
    started_at: datetime.datetime | None
    result: str


class QualityCheckOut(Schema):
    checked_at: datetime.datetime
    passed: bool
    items: dict[str, bool]
    notes: str


class RepairTaskOut(Schema):
    id: int
    title: str
    status: str
    assigned_to: str | None
    diagnosis: str
    parts_used: str
    minutes_spent: int
    created_at: datetime.datetime
    done_at: datetime.datetime | None

    @staticmethod
    def resolve_assigned_to(obj) -> str | None:
        return _name(obj.assigned_to)


class DeviceDetailOut(DeviceOut):
    events: list[EventOut] = Field(
        ..., description="Status changes, oldest first: they replay to the status."
    )
    wipes: list[WipeOut]
    quality_checks: list[QualityCheckOut]
    repair_tasks: list[RepairTaskOut]

    @staticmethod
    def resolve_events(obj) -> list:
        return obj.history["events"]

    @staticmethod
    def resolve_wipes(obj) -> list:
        return obj.history["wipes"]

    @staticmethod
    def resolve_quality_checks(obj) -> list:
        return obj.history["checks"]

    @staticmethod
    def resolve_repair_tasks(obj) -> list:
        return obj.history["repairs"]


class DevicePage(Schema):
    count: int = Field(..., description="Number of devices matching, on all pages.")
    limit: int
    offset: int
    items: list[DeviceOut]


class DeviceFilters(Schema):
    status: list[DeviceStatus] = Field(default_factory=list, description="One or more statuses.")
    kind: DeviceKind | None = None
    location: int | None = Field(None, description="A location id.")
    batch: int | None = Field(None, description="A donation batch id.")
    q: str = Field("", max_length=100, description="Words found in the tag, serial, brand or model.")


class DeviceIn(Schema):
    kind: DeviceKind
    brand: str = ""
    model: str = ""
    serial: str = ""
    condition: Condition | None = None
    location: int | None = None
    cpu: str = Field("", max_length=120)
    ram_gb: float | None = Field(None, ge=0, le=10000)
    storage_gb: int | None = Field(None, ge=0)
    storage_type: str = Field("", max_length=20)
    battery_health: int | None = Field(None, ge=0, le=100)
    os: str = Field("", max_length=80)
    keyboard_layout: str = Field("", max_length=20)
    weight_kg: float | None = Field(None, ge=0, le=999)
    notes: str = ""


class TransitionIn(Schema):
    to_status: DeviceStatus
    reason: str = Field("", max_length=300)
    recycler: str = Field("", max_length=150, description="Required when retiring as recycled.")
    recycler_certificate: str = Field("", max_length=100, description="Required when retiring as recycled.")


def _detail(request: HttpRequest, pk: int) -> Device:
    device = Device.objects.visible_to(request.membership).select_related("location").filter(pk=pk).first()
    if device is None:
        raise Http404
    network_id = device.network_id
    device.history = {
        "events": list(
            DeviceEvent.objects.in_network(network_id).filter(device=device).select_related("actor")
        ),
        "wipes": list(WipeRecord.objects.in_network(network_id).filter(device=device)),
        "checks": list(QualityCheck.objects.in_network(network_id).filter(device=device)),
        "repairs": list(
            RepairTask.objects.visible_to(request.membership)
            .filter(device=device)
            .select_related("assigned_to")
        ),
    }
    return device


@router.get(
    "/",
    response={200: DevicePage, **error_responses(422)},
    summary="List devices",
    **requires("device.view"),
)
def device_list(request: HttpRequest, page: Query[PageParams], filters: Query[DeviceFilters]):
    """The devices of the token's network by asset tag, filtered like the device list page."""
    qs = selectors.device_list(
        membership=request.membership,
        statuses=[s.value for s in filters.status],
        kind=filters.kind.value if filters.kind else "",
        location_id=filters.location,
        batch_id=filters.batch,
        query=filters.q,
    )
    return paginate(qs, page)


@router.get(
    "/{pk}",
    response={200: DeviceDetailOut, **error_responses(404)},
    summary="One device with its history",
    **requires("device.view", model=Device),
)
def device_detail(request: HttpRequest, pk: int):
    return _detail(request, pk)


@router.post(
    "/",
    response={201: DeviceDetailOut, **error_responses(422)},
    summary="Register a device (it gets the next asset tag)",
    **requires("device.manage"),
)
def device_create(request: HttpRequest, payload: DeviceIn):
    data = payload.model_dump()
    location_id = data.pop("location")
    data["condition"] = data["condition"] or ""
    for key, places in (("ram_gb", "0.1"), ("weight_kg", "0.01")):
        if data[key] is not None:
            data[key] = Decimal(str(data[key])).quantize(Decimal(places))
    if location_id is not None:
        data["location"] = selectors.locations(membership=request.membership).filter(pk=location_id).first()
        if data["location"] is None:
            raise ValidationError({"location": _("Choose a location of this network that is in use.")})
    device = services.device_register(network=request.network, actor=request.user, data=data)
    return Status(201, _detail(request, device.pk))


@router.post(
    "/{pk}/transition",
    response={200: DeviceDetailOut, **error_responses(404, 422)},
    summary="Change a device's status",
    description=(
        "Moves the device along the lifecycle table. Reserving, lending and giving away go through "
        "the lending endpoints. A forbidden move answers 422 with the reason and changes nothing."
    ),
    **requires("device.manage", model=Device),
)
def device_transition(request: HttpRequest, pk: int, payload: TransitionIn):
    device = get_visible_or_404(Device, request.membership, pk=pk)
    services.device_change_status(
        device=device,
        to_status=payload.to_status.value,
        actor=request.user,
        reason=payload.reason,
        recycler=payload.recycler,
        certificate=payload.recycler_certificate,
    )
    return _detail(request, pk)
