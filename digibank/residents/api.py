"""/api/v1/residents/ (mounted by digibank.api): residents, with the UI's scoping, rules and audit.

Reads go through residents.selectors (visible_to: network, and for partner workers only
their organisation's residents); writes through residents.services, which apply the
duplicate rule and write the CREATE/UPDATE audit entries. Every answer that shows a
resident's data writes a VIEW entry with the source "api:<METHOD> <path>".
"""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.forms.models import model_to_dict
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from digibank.apikit.audit import api_source, audit_api_listed, audit_api_viewed
from digibank.apikit.auth import requires
from digibank.apikit.errors import Conflict, cleaned_data_or_422
from digibank.apikit.pagination import PageParams, paginate
from digibank.apikit.schemas import (
    DistrictOut,
    InputSchema,
    OrganisationRef,
    PatchSchema,
    error_responses,
)

from . import selectors, services
from .forms import ResidentForm
from .models import ContactChannel, EligibilityKind, LegalBasis, Resident
from .services import RESIDENT_FIELDS

# --- schemas -----------------------------------------------------------------------------


class EligibilityOut(Schema):
    kind: EligibilityKind
    detail: str
    seen_on: datetime.date
    valid_until: datetime.date | None


class ResidentListItem(Schema):
    """What a list shows: enough to recognise someone, no contact details."""

    id: int
    first_name: str
    last_name: str
    birth_year: int
    postcode: str
    district: DistrictOut | None


class ResidentOut(ResidentListItem):
    languages: list[str] = Field(..., description="Language codes, e.g. ['nl', 'ar'].")
    preferred_channel: ContactChannel | None
    phone: str
    email: str
    do_not_contact: bool
    street: str
    city: str
    legal_basis: LegalBasis
    consent_date: datetime.date | None
    notes: str
    registered_by_organisation: OrganisationRef | None
    eligibility: list[EligibilityOut]
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_languages(obj) -> list[str]:
        return obj.language_list()

    @staticmethod
    def resolve_preferred_channel(obj) -> str | None:
        return obj.preferred_channel or None

    @staticmethod
    def resolve_eligibility(obj) -> list:
        return obj.eligibility_list  # set by the view from the scoped selector


class ResidentPage(Schema):
    count: int = Field(..., description="Number of residents matching, on all pages.")
    limit: int
    offset: int
    items: list[ResidentListItem]


class ResidentIn(InputSchema):
    first_name: str
    last_name: str
    birth_year: int
    district: int | None = Field(None, description="Id of a district of the network.")
    postcode: str = ""
    languages: list[str] = Field(default_factory=list, description="Language codes, e.g. ['nl', 'ar'].")
    preferred_channel: ContactChannel | None = None
    phone: str = ""
    email: str = ""
    do_not_contact: bool = False
    street: str = ""
    city: str = ""
    legal_basis: LegalBasis
    consent_date: datetime.date | None = None
    notes: str = ""
    confirm_duplicate: bool = Field(
        False,
        description="Register even though a resident with the same name, year of birth and postcode exists.",
    )


class ResidentPatch(PatchSchema):
    """Only the fields you send are changed; send null to empty district, channel or consent date."""

    nullable: ClassVar[frozenset[str]] = frozenset({"district", "preferred_channel", "consent_date"})

    first_name: str | None = None
    last_name: str | None = None
    birth_year: int | None = None
    district: int | None = None
    postcode: str | None = None
    languages: list[str] | None = None
    preferred_channel: ContactChannel | None = None
    phone: str | None = None
    email: str | None = None
    do_not_contact: bool | None = None
    street: str | None = None
    city: str | None = None
    legal_basis: LegalBasis | None = None
    consent_date: datetime.date | None = None
    notes: str | None = None


router = Router(tags=["residents"])

# The personal data a detail answer shows (schemas.ResidentOut): the resident page's, without
# the timeline. Recorded in its audit entry.
DETAIL_FIELDS = [field for field in selectors.DETAIL_FIELDS if field != "timeline"]


def _load(request: HttpRequest, pk: int) -> Resident:
    """The resident as the detail schema needs it; 404 when not visible (or erased)."""
    resident = selectors.resident_get(membership=request.membership, pk=pk)
    resident.eligibility_list = list(selectors.resident_eligibility(resident=resident))
    return resident


def _form(request: HttpRequest, changes: dict, resident: Resident | None = None) -> ResidentForm:
    """The UI's registration form, filled from the API body (on top of the stored values for a change)."""
    data = model_to_dict(resident, fields=RESIDENT_FIELDS) if resident is not None else {}
    for name, value in changes.items():
        if name == "languages":
            value = ", ".join(value or [])
        elif value is None:
            value = ""
        data[name] = value
    return ResidentForm(data=data, instance=resident, network_id=request.network.pk)


@router.get(
    "/",
    response={200: ResidentPage, **error_responses(422)},
    summary="List residents",
    **requires("resident.view"),
)
def resident_list(request: HttpRequest, page: Query[PageParams], q: str = "", postcode: str = ""):
    """Residents you may see, by name. ``q``: words of the name, or a postcode; ``postcode``: exactly.

    Erased residents are left out. Every resident in the answer is written to the audit trail.
    """
    qs = selectors.resident_list(membership=request.membership, query=q)
    if postcode.strip():
        qs = qs.filter(postcode=postcode.strip())
    result = paginate(qs, page)
    audit_api_listed(request=request, residents=result["items"])
    return result


@router.get(
    "/{pk}",
    response={200: ResidentOut, **error_responses(404)},
    summary="One resident",
    **requires("resident.view", model=Resident),
)
def resident_detail(request: HttpRequest, pk: int):
    resident = _load(request, pk)
    audit_api_viewed(request=request, resident=resident, fields=DETAIL_FIELDS)
    return resident


@router.post(
    "/",
    response={201: ResidentOut, **error_responses(409, 422)},
    summary="Register a resident",
    **requires("resident.create"),
)
def resident_create(request: HttpRequest, payload: ResidentIn):
    """Like registering in the UI: when a resident with the same name, year of birth and postcode
    exists, the answer is 409 unless ``confirm_duplicate`` is true. A partner worker registers
    on behalf of their organisation."""
    data = cleaned_data_or_422(_form(request, payload.model_dump(exclude={"confirm_duplicate"})))
    try:
        resident = services.resident_create(
            membership=request.membership,
            actor=request.user,
            data=data,
            source=api_source(request),
            allow_duplicate=payload.confirm_duplicate,
        )
    except services.LikelyDuplicate as exc:
        raise Conflict(
            _(
                "A resident with the same name, year of birth and postcode already exists. "
                'Send "confirm_duplicate": true to register this one anyway.'
            ),
            duplicates=[r.pk for r in exc.check.visible],
        ) from exc
    return Status(201, _load(request, resident.pk))


@router.patch(
    "/{pk}",
    response={200: ResidentOut, **error_responses(404, 422)},
    summary="Change a resident",
    **requires("resident.change", model=Resident),
)
def resident_update(request: HttpRequest, pk: int, payload: ResidentPatch):
    resident = selectors.resident_get(membership=request.membership, pk=pk)
    data = cleaned_data_or_422(_form(request, payload.changes(), resident))
    services.resident_update(resident=resident, actor=request.user, data=data, source=api_source(request))
    return _load(request, pk)
