"""/api/v1/services/: the network's service catalogue (same scoping as the UI, read-only).

Mounted by the lead in digibank/api/api.py: ``api.add_router("/services", catalogue_api.router)``.
Two queries per page (count and rows, organisation joined), one for a detail.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from digibank.apikit.auth import requires
from digibank.apikit.pagination import PageParams, paginate
from digibank.apikit.schemas import error_responses
from digibank.organisations.models import Organisation

from . import selectors
from .models import Service, ServiceKind

router = Router(tags=["services"])


class ServiceOrganisationOut(Schema):
    id: int
    name: str


class ServiceOut(Schema):
    id: int
    name: str
    kind: ServiceKind
    organisation: ServiceOrganisationOut = Field(..., description="The partner that provides it.")
    description: str
    criteria: list[str] = Field(
        ...,
        description=(
            "Eligibility criteria, alternatives (one is enough): proof kinds of a resident "
            "(increased_reimbursement, living_wage, debt_mediation, other) or 'referral' "
            "(referred by a partner). Empty: open to everyone."
        ),
    )
    criteria_text: str = Field(..., description="Who it is for, in plain words.")
    capacity: int | None = Field(..., description="People at a time; null: no fixed limit.")
    has_waiting_list: bool
    requires_consent: bool = Field(..., description="A referral needs the resident's consent to share data.")
    is_active: bool = Field(..., description="On offer.")
    is_public: bool = Field(..., description="Shown on the public site.")

    @staticmethod
    def resolve_criteria(obj: Service) -> list[str]:
        return obj.criteria_codes()


class ServicePage(Schema):
    count: int = Field(..., description="Number of services matching, on all pages.")
    limit: int
    offset: int
    items: list[ServiceOut]


@router.get(
    "/",
    response={200: ServicePage, **error_responses(422)},
    summary="List services",
    **requires("service.view"),
)
def service_list(
    request: HttpRequest,
    page: Query[PageParams],
    kind: ServiceKind | None = None,
    organisation: int | None = None,
    active: bool | None = None,
):
    """The services of the token's network, by name; filter by kind, organisation id or on offer."""
    organisation_obj = None
    if organisation is not None:
        organisation_obj = Organisation.objects.visible_to(request.membership).filter(pk=organisation).first()
        if organisation_obj is None:
            return paginate(Service.objects.none(), page)
    qs = selectors.service_list(
        membership=request.membership, kind=kind or "", organisation=organisation_obj, active=active
    )
    return paginate(qs, page)


@router.get(
    "/{pk}",
    response={200: ServiceOut, **error_responses(404)},
    summary="One service",
    **requires("service.view", model=Service),
)
def service_detail(request: HttpRequest, pk: int):
    return selectors.service_get(membership=request.membership, pk=pk)
