"""/api/v1/organisations/: the network's partner organisations (same scoping as the UI)."""

from __future__ import annotations

import datetime

from django.forms.models import model_to_dict
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from digibank.apikit.auth import requires
from digibank.apikit.errors import cleaned_data_or_422
from digibank.apikit.pagination import PageParams, paginate
from digibank.apikit.schemas import InputSchema, PatchSchema, error_responses
from digibank.networks.access import get_visible_or_404

from . import selectors, services
from .forms import OrganisationForm
from .models import Organisation, OrganisationType
from .services import ORGANISATION_FIELDS

# --- schemas -----------------------------------------------------------------------------


class ContactOut(Schema):
    id: int
    name: str
    function: str
    email: str
    phone: str


class OrganisationOut(Schema):
    id: int
    name: str
    type: OrganisationType
    description: str
    email: str
    phone: str
    website: str
    is_active: bool
    created_at: datetime.datetime


class OrganisationDetailOut(OrganisationOut):
    contacts: list[ContactOut]

    @staticmethod
    def resolve_contacts(obj) -> list:
        return obj.contacts_list  # set by the view from the scoped selector


class OrganisationPage(Schema):
    count: int = Field(..., description="Number of organisations matching, on all pages.")
    limit: int
    offset: int
    items: list[OrganisationOut]


class OrganisationIn(InputSchema):
    name: str
    type: OrganisationType
    description: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""
    is_active: bool = True


class OrganisationPatch(PatchSchema):
    """Only the fields you send are changed."""

    name: str | None = None
    type: OrganisationType | None = None
    description: str | None = None
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    is_active: bool | None = None


router = Router(tags=["organisations"])


def _detail(request: HttpRequest, pk: int) -> Organisation:
    organisation = get_visible_or_404(Organisation, request.membership, pk=pk)
    organisation.contacts_list = list(selectors.contacts_of(organisation=organisation))
    return organisation


@router.get(
    "/",
    response={200: OrganisationPage, **error_responses(422)},
    summary="List organisations",
    **requires("organisation.view"),
)
def organisation_list(request: HttpRequest, page: Query[PageParams], type: OrganisationType | None = None):
    """The partner organisations of the token's network, by name."""
    qs = selectors.organisation_list(membership=request.membership, type=type or "")
    return paginate(qs, page)


@router.get(
    "/{pk}",
    response={200: OrganisationDetailOut, **error_responses(404)},
    summary="One organisation with its contact people",
    **requires("organisation.view", model=Organisation),
)
def organisation_detail(request: HttpRequest, pk: int):
    return _detail(request, pk)


@router.post(
    "/",
    response={201: OrganisationDetailOut, **error_responses(422)},
    summary="Add an organisation",
    **requires("organisation.change"),
)
def organisation_create(request: HttpRequest, payload: OrganisationIn):
    form = OrganisationForm(data=payload.model_dump(), network=request.network)
    organisation = services.organisation_create(
        network=request.network, actor=request.user, data=cleaned_data_or_422(form)
    )
    return Status(201, _detail(request, organisation.pk))


@router.patch(
    "/{pk}",
    response={200: OrganisationDetailOut, **error_responses(404, 422)},
    summary="Change an organisation",
    **requires("organisation.change", model=Organisation),
)
def organisation_update(request: HttpRequest, pk: int, payload: OrganisationPatch):
    organisation = get_visible_or_404(Organisation, request.membership, pk=pk)
    data = {**model_to_dict(organisation, fields=ORGANISATION_FIELDS), **payload.changes()}
    form = OrganisationForm(data=data, instance=organisation, network=request.network)
    data = cleaned_data_or_422(form)
    services.organisation_update(organisation=organisation, actor=request.user, data=data)
    return _detail(request, pk)
