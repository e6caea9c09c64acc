"""/api/v1/donations/: donors and donation batches, read-only, with the UI's scoping.

Mounted by the lead in digibank/api/api.py: ``api.add_router("/donations", donations.api.router)``.
Lists are two queries (count and page) whatever the page size: batch counts come from
subqueries (selectors.with_counts); a batch's devices are one more query on its detail.
"""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from digibank.apikit.auth import requires
from digibank.apikit.pagination import PageParams, paginate
from digibank.apikit.schemas import error_responses
from digibank.networks.access import get_visible_or_404

from ..api import LocationRef
from ..models import DonationBatch, Donor, DonorKind
from . import selectors

router = Router(tags=["donations"])


class DonorOut(Schema):
    id: int
    kind: DonorKind
    name: str
    vat_number: str = Field(..., description="Belgian VAT number, normalised: BE0123456789 (organisations).")
    contact_name: str
    email: str
    phone: str
    address: str
    batch_count: int
    created_at: datetime.datetime


class DonorRef(Schema):
    id: int
    kind: DonorKind
    name: str


class BatchOut(Schema):
    id: int
    reference: str = Field(..., description="D<year>-<number>, unique in the network.")
    donor: DonorRef
    received_on: datetime.date
    collection_point: LocationRef | None
    expected_count: int
    registered_count: int
    wiped_count: int = Field(..., description="Devices with at least one successful data wipe.")
    reused_count: int = Field(..., description="Devices that were lent or given away at least once.")
    notes: str
    created_at: datetime.datetime


class BatchDeviceOut(Schema):
    id: int
    asset_tag: str
    kind: str
    brand: str
    model: str
    serial: str
    status: str
    wiped: bool


class BatchDetailOut(BatchOut):
    devices: list[BatchDeviceOut]

    @staticmethod
    def resolve_devices(obj) -> list:
        return obj.devices_list  # scoped and annotated with ``wiped`` by the selector


class DonorPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[DonorOut]


class BatchPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[BatchOut]


@router.get(
    "/donors/",
    response={200: DonorPage, **error_responses(422)},
    summary="List donors",
    **requires("device.view"),
)
def donor_list(request: HttpRequest, page: Query[PageParams], q: str = ""):
    """Donors of the token's network, by name. ``q``: part of the name or VAT number."""
    return paginate(selectors.donor_list(membership=request.membership, q=q), page)


@router.get(
    "/donors/{pk}",
    response={200: DonorOut, **error_responses(404)},
    summary="One donor",
    **requires("device.view", model=Donor),
)
def donor_detail(request: HttpRequest, pk: int):
    return selectors.donor_get(membership=request.membership, pk=pk)


@router.get(
    "/batches/",
    response={200: BatchPage, **error_responses(404, 422)},
    summary="List donation batches",
    **requires("device.view"),
)
def batch_list(
    request: HttpRequest, page: Query[PageParams], year: int | None = None, donor: int | None = None
):
    """Batches of the token's network, newest first, with their device counts."""
    donor_obj = get_visible_or_404(Donor, request.membership, pk=donor) if donor is not None else None
    qs = selectors.batch_list(membership=request.membership, year=year, donor=donor_obj)
    return paginate(qs, page)


@router.get(
    "/batches/{pk}",
    response={200: BatchDetailOut, **error_responses(404)},
    summary="One donation batch with its devices",
    **requires("device.view", model=DonationBatch),
)
def batch_detail(request: HttpRequest, pk: int):
    batch = selectors.batch_with_counts(membership=request.membership, pk=pk)
    batch.devices_list = list(selectors.batch_devices(membership=request.membership, batch=batch))
    return batch
