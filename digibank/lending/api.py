"""/api/v1/lending/: loans (list, detail, lend, take back) and the waiting list.

Same scoping, rules and audit trail as the pages: reads through lending.selectors, writes
through lending.services. Every answer naming residents writes VIEW audit entries. Lists
run a constant number of queries (two: count and rows), whatever the page size.
Mount with ``api.add_router("/lending", digibank.lending.api.router)``.
"""

from __future__ import annotations

import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from digibank.apikit.audit import api_source, audit_api_listed, audit_api_viewed
from digibank.apikit.auth import requires
from digibank.apikit.pagination import PageParams, paginate
from digibank.apikit.schemas import InputSchema, error_responses
from digibank.devices.models import Device, DeviceKind
from digibank.networks.access import get_visible_or_404
from digibank.residents import selectors as resident_selectors

from . import selectors, services
from .models import Loan, LoanKind, LoanStatus

router = Router(tags=["lending"])

LOAN_FIELDS = ["first_name", "last_name"]
LoanFilter = Literal["active", "overdue", "due_week", "returned", "gifts", "lost", "all"]


class LoanResidentRef(Schema):
    id: int
    full_name: str


class DeviceRef(Schema):
    id: int
    asset_tag: str
    kind: str
    brand: str
    model: str
    serial: str


class LoanOut(Schema):
    id: int
    number: str
    kind: LoanKind
    status: LoanStatus
    resident: LoanResidentRef
    device: DeviceRef
    started_on: datetime.date
    due_on: datetime.date | None
    returned_on: datetime.date | None
    extensions: int
    deposit_cents: int
    deposit_refunded: bool
    condition_out: str
    condition_in: str
    language: str


class LoanPage(Schema):
    count: int = Field(..., description="Number of loans matching, on all pages.")
    limit: int
    offset: int
    items: list[LoanOut]


class CategoryRef(Schema):
    id: int
    name: str
    rank: int


class WaitingOut(Schema):
    id: int
    position: int = Field(..., description="Place in the queue of this device kind (1 = next).")
    resident: LoanResidentRef
    category: CategoryRef
    device_kind: str
    requested_at: datetime.datetime
    note: str


class WaitingPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[WaitingOut]


class LoanIn(InputSchema):
    resident: int = Field(..., description="Id of the resident.")
    asset_tag: str = Field(
        ..., description="Asset tag of a ready device (or of one reserved for this resident)."
    )
    kind: LoanKind = LoanKind.LOAN
    started_on: datetime.date | None = Field(None, description="Default: today.")
    due_on: datetime.date | None = Field(None, description="Default: start + the network's loan period.")
    deposit_cents: int | None = Field(None, ge=0, description="Default: the network's deposit.")
    condition_out: str = Field("", max_length=300)
    override_reason: str = Field(
        "", max_length=300, description="Coordinators only: why an ineligible resident gets a device anyway."
    )


class ReturnIn(InputSchema):
    condition_in: str | None = Field(None, max_length=300, description="Required: the condition at return.")
    returned_on: datetime.date | None = Field(None, description="Default: today.")
    deposit_refunded: bool = False


@router.get(
    "/loans/",
    response={200: LoanPage, **error_responses(422)},
    summary="List loans and gifts",
    **requires("loan.view"),
)
def loan_list(request: HttpRequest, page: Query[PageParams], show: LoanFilter = "active"):
    """``show``: active (default), overdue, due_week (today and the next six days), returned, gifts,
    lost (lost or stolen), all."""
    result = paginate(selectors.loan_list(membership=request.membership, show=show), page)
    audit_api_listed(request=request, residents=[loan.resident for loan in result["items"]])
    return result


def _loan(request: HttpRequest, pk: int) -> Loan:
    get_visible_or_404(Loan, request.membership, pk=pk)
    return Loan.objects.visible_to(request.membership).select_related("resident", "device").get(pk=pk)


@router.get(
    "/loans/{pk}",
    response={200: LoanOut, **error_responses(404)},
    summary="One loan or gift",
    **requires("loan.view", model=Loan),
)
def loan_detail(request: HttpRequest, pk: int):
    loan = _loan(request, pk)
    audit_api_viewed(request=request, resident=loan.resident, fields=LOAN_FIELDS)
    return loan


@router.post(
    "/loans/",
    response={201: LoanOut, **error_responses(404, 422)},
    summary="Lend or give a device (hand-over)",
    **requires("loan.manage"),
)
def loan_create(request: HttpRequest, payload: LoanIn):
    """Like the hand-over page: the eligibility rules apply, the device must be ready (or reserved
    for this resident), and two calls for the same device at once give one loan and one 422."""
    resident = resident_selectors.resident_get(membership=request.membership, pk=payload.resident)
    device = (
        Device.objects.in_network(request.network).filter(asset_tag__iexact=payload.asset_tag.strip()).first()
    )
    if device is None:
        raise ValidationError({"asset_tag": _("No device with this asset tag in this network.")})
    may_override = request.membership.has(services.OVERRIDE_PERMISSION)
    loan = services.loan_create(
        resident=resident,
        device=device,
        actor=request.user,
        kind=payload.kind,
        started_on=payload.started_on,
        due_on=payload.due_on,
        deposit_cents=payload.deposit_cents,
        condition_out=payload.condition_out,
        override_reason=payload.override_reason,
        may_override=may_override,
    )
    audit_api_viewed(request=request, resident=resident, fields=LOAN_FIELDS)
    return Status(201, _loan(request, loan.pk))


@router.post(
    "/loans/{pk}/return",
    response={200: LoanOut, **error_responses(404, 422)},
    summary="Take a lent device back",
    **requires("loan.manage", model=Loan),
)
def loan_return(request: HttpRequest, pk: int, payload: ReturnIn):
    """The device becomes "returned": it needs a new data wipe and quality check before the next loan."""
    loan = _loan(request, pk)
    if not (payload.condition_in or "").strip():
        raise ValidationError({"condition_in": _("Describe the condition of the returned device.")})
    services.loan_return(
        loan=loan,
        actor=request.user,
        returned_on=payload.returned_on,
        condition_in=payload.condition_in.strip(),
        deposit_refunded=payload.deposit_refunded,
    )
    audit_api_viewed(request=request, resident=loan.resident, fields=LOAN_FIELDS)
    return _loan(request, pk)


@router.get(
    "/waiting-list/",
    response={200: WaitingPage, **error_responses(422)},
    summary="The waiting list, in serving order",
    **requires("loan.view"),
)
def waiting_list(request: HttpRequest, page: Query[PageParams], device_kind: DeviceKind | None = None):
    qs = selectors.waiting_list(membership=request.membership, device_kind=device_kind or "")
    result = paginate(qs, page)
    audit_api_listed(request=request, residents=[entry.resident for entry in result["items"]])
    return result


__all__ = ["api_source", "router"]
