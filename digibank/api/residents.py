"""/api/v1/residents/: residents, with exactly the UI's scoping, rules and audit trail.

Reads go through residents.selectors (visible_to: network, and for partner workers only
their organisation's residents); writes through residents.services, which apply the
duplicate rule and write the CREATE/UPDATE audit entries. Every answer that shows a
resident's data writes a VIEW entry with the source "api:<METHOD> <path>".
"""

from __future__ import annotations

from django.forms.models import model_to_dict
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from digibank.residents import selectors, services
from digibank.residents.forms import ResidentForm
from digibank.residents.models import Resident
from digibank.residents.services import RESIDENT_FIELDS

from .audit import api_source, audit_api_listed, audit_api_viewed
from .auth import requires
from .errors import Conflict, cleaned_data_or_422
from .pagination import PageParams, paginate
from .schemas import ResidentIn, ResidentOut, ResidentPage, ResidentPatch, error_responses

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
