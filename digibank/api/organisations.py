"""/api/v1/organisations/: the network's partner organisations (same scoping as the UI)."""

from __future__ import annotations

from django.forms.models import model_to_dict
from django.http import HttpRequest
from ninja import Query, Router, Status

from digibank.networks.access import get_visible_or_404
from digibank.organisations import selectors, services
from digibank.organisations.forms import OrganisationForm
from digibank.organisations.models import Organisation
from digibank.organisations.services import ORGANISATION_FIELDS

from .auth import requires
from .errors import cleaned_data_or_422
from .pagination import PageParams, paginate
from .schemas import (
    OrganisationDetailOut,
    OrganisationIn,
    OrganisationPage,
    OrganisationPatch,
    OrganisationType,
    error_responses,
)

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
