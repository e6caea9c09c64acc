"""/api/v1/requests/ and /api/v1/referrals/: the referral flow for programs, with the UI's scoping.

A partner's own case system can push referrals in: a partner worker's token creates a request
referred by their organisation (channel "partner"), exactly like the referral form. Status
changes go through services.referral_transition (same rules, same history, same notifications).
What is shown of a resident follows selectors.resident_shown (consent to share).

Mounted by digibank/api/api.py: ``api.add_router("", referrals_api.router)``.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from digibank.apikit.audit import api_source, audit_api_listed, audit_api_viewed
from digibank.apikit.auth import requires
from digibank.apikit.errors import Conflict, cleaned_data_or_422
from digibank.apikit.pagination import PageParams, paginate
from digibank.apikit.schemas import Error, OrganisationRef, error_responses
from digibank.organisations.models import Organisation
from digibank.residents.api import ResidentIn
from digibank.residents.forms import ResidentForm
from digibank.residents.models import Resident
from digibank.residents.services import LikelyDuplicate

from . import selectors, services
from .forms import fixed_channel
from .models import Channel, Need, Referral, ReferralStatus, Request, RequestStatus, Urgency

router = Router(tags=["requests and referrals"])

FULL_FIELDS = ["first_name", "last_name", "description"]
LIMITED_FIELDS = ["first_name"]


# --- schemas ---------------------------------------------------------------------------------


class ServiceRef(Schema):
    id: int
    name: str
    kind: str


class RequestResidentRef(Schema):
    """The resident as you may see them on this request."""

    id: int | None = Field(..., description="Null when the resident's data is not shared with you.")
    first_name: str
    last_name: str = Field(..., description="Empty when the resident's data is not shared with you.")
    shared: bool = Field(
        ...,
        description="False for a receiving organisation without the resident's consent to share: "
        "only the first name (and the referral's hand-over route) is given.",
    )


def _resident_ref(shown: selectors.ResidentShown) -> dict:
    resident = shown.resident
    return {
        "id": resident.pk if shown.full else None,
        "first_name": resident.first_name,
        "last_name": resident.last_name if shown.full else "",
        "shared": shown.full,
    }


class ReferralOut(Schema):
    id: int
    request_id: int
    reference: str
    service: ServiceRef
    to_organisation: OrganisationRef
    status: ReferralStatus
    follow_up_on: datetime.date | None
    outcome_reason: str
    handover_contact: str = Field(..., description="How the receiving organisation reaches the resident.")
    created_at: datetime.datetime
    delivered_at: datetime.datetime | None
    resident: RequestResidentRef

    @staticmethod
    def resolve_reference(obj) -> str:
        return obj.request.reference

    @staticmethod
    def resolve_resident(obj) -> dict:
        return _resident_ref(obj.shown)


class ReferralEventOut(Schema):
    at: datetime.datetime
    from_status: str
    to_status: str
    reason: str
    actor: str

    @staticmethod
    def resolve_actor(obj) -> str:
        return str(obj.actor) if obj.actor else ""


class ReferralDetailOut(ReferralOut):
    needs: list[Need]
    events: list[ReferralEventOut]

    @staticmethod
    def resolve_needs(obj) -> list[str]:
        return obj.request.needs

    @staticmethod
    def resolve_events(obj) -> list:
        return obj.events_list  # set by the view from the selector


class ReferralPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ReferralOut]


class RequestReferralOut(Schema):
    id: int
    service: ServiceRef
    to_organisation: OrganisationRef
    status: ReferralStatus
    follow_up_on: datetime.date | None
    created_at: datetime.datetime
    delivered_at: datetime.datetime | None


class RequestOut(Schema):
    id: int
    reference: str
    status: RequestStatus
    urgency: Urgency
    channel: Channel
    needs: list[Need]
    referred_by: OrganisationRef | None
    consent_to_share: bool
    created_at: datetime.datetime
    closed_at: datetime.datetime | None
    resident: RequestResidentRef

    @staticmethod
    def resolve_resident(obj) -> dict:
        return _resident_ref(obj.shown)


class RequestDetailOut(RequestOut):
    description: str = Field(..., description="Empty when the resident's data is not shared with you.")
    referrals: list[RequestReferralOut] = Field(..., description="The referrals you may see.")

    @staticmethod
    def resolve_description(obj) -> str:
        return obj.description if obj.shown.full else ""

    @staticmethod
    def resolve_referrals(obj) -> list:
        return obj.referrals_list  # set by the view from the scoped selector


class RequestPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[RequestOut]


class RequestIn(Schema):
    """Either ``resident`` (the id of a resident you may see) or ``new_resident``."""

    resident: int | None = Field(None, description="Id of an existing resident you may see.")
    new_resident: ResidentIn | None = Field(None, description="Register a new resident with the request.")
    needs: list[Need] = Field(default_factory=list, description="At least one.")
    description: str = ""
    urgency: Urgency = Urgency.NORMAL
    channel: Channel | None = Field(
        None, description="Service desk and coordinator only; partner workers always refer as 'partner'."
    )
    referred_by: int | None = Field(
        None,
        description="Service desk and coordinator only: the referring organisation for channel 'partner'.",
    )
    consent_to_share: bool = False


class StatusIn(Schema):
    """All optional in the schema; the rules (which status, a reason for declined) answer 422/409."""

    status: ReferralStatus | None = None
    reason: str = ""
    follow_up_on: datetime.date | None = None


# --- helpers ---------------------------------------------------------------------------------


def _request(request: HttpRequest, pk: int) -> Request:
    obj = (
        Request.objects.visible_to(request.membership)
        .select_related("resident", "referred_by")
        .filter(pk=pk)
        .first()
    )
    if obj is None:
        raise Http404
    obj.shown = selectors.resident_shown(membership=request.membership, request=obj)
    obj.referrals_list = selectors.request_referrals(membership=request.membership, request=obj)
    return obj


def _referral(request: HttpRequest, pk: int) -> Referral:
    obj = (
        Referral.objects.visible_to(request.membership)
        .select_related("request__resident", "request__referred_by", "service", "to_organisation")
        .filter(pk=pk)
        .first()
    )
    if obj is None:
        raise Http404
    obj.shown = selectors.resident_shown(membership=request.membership, request=obj.request)
    obj.events_list = list(selectors.referral_events(referral=obj))
    return obj


def _audit_one(request: HttpRequest, shown: selectors.ResidentShown) -> None:
    audit_api_viewed(
        request=request, resident=shown.resident, fields=FULL_FIELDS if shown.full else LIMITED_FIELDS
    )


def _resident_data(request: HttpRequest, payload: ResidentIn) -> dict:
    """The UI's registration form, filled from the API body (same rules, same messages)."""
    data = {}
    for name, value in payload.model_dump(exclude={"confirm_duplicate"}).items():
        if name == "languages":
            value = ", ".join(value or [])
        elif value is None:
            value = ""
        data[name] = value
    return cleaned_data_or_422(ResidentForm(data=data, network_id=request.network.pk))


def _refused(exc: ValidationError):
    """A refused status change: 403 not allowed for you, 409 not possible now, 422 bad input."""
    code = getattr(exc, "code", None)
    if code == "not_allowed":
        return HttpError(403, " ".join(exc.messages))
    if code == "forbidden_transition":
        return Conflict(" ".join(exc.messages))
    return exc


# --- requests --------------------------------------------------------------------------------


@router.get(
    "/requests/",
    response={200: RequestPage, **error_responses(422)},
    summary="List requests",
    **requires("request.view"),
)
def request_list(
    request: HttpRequest,
    page: Query[PageParams],
    status: RequestStatus | None = None,
    channel: Channel | None = None,
):
    """Requests you may see, newest first (partner workers: those your organisation referred or
    received a referral for). Residents in the answer are written to the audit trail."""
    membership = request.membership
    qs = selectors.request_list(membership=membership, status=status or "", channel=channel or "")
    result = paginate(qs, page)
    result["items"] = selectors.with_shown(membership=membership, requests=result["items"])
    audit_api_listed(request=request, residents=selectors.residents_named(result["items"]))
    return result


@router.get(
    "/requests/{pk}",
    response={200: RequestDetailOut, **error_responses(404)},
    summary="One request with its referrals",
    **requires("request.view", model=Request),
)
def request_detail(request: HttpRequest, pk: int):
    obj = _request(request, pk)
    _audit_one(request, obj.shown)
    return obj


@router.post(
    "/requests/",
    response={201: RequestDetailOut, **error_responses(409, 422)},
    summary="Register a request (a partner's referral)",
    **requires("request.create"),
)
def request_create(request: HttpRequest, payload: RequestIn):
    """Like the request form. A partner worker's token refers on behalf of their organisation
    (channel "partner"; the network's cap on open requests applies: 422 with the reason).
    A new resident follows the residents API's rules (409 on a likely duplicate unless
    ``new_resident.confirm_duplicate``)."""
    membership = request.membership
    resident = None
    resident_data = None
    if (payload.resident is None) == (payload.new_resident is None):
        raise ValidationError({"resident": [_("Give either resident (an id) or new_resident.")]})
    if payload.resident is not None:
        resident = Resident.objects.visible_to(membership).not_erased().filter(pk=payload.resident).first()
        if resident is None:
            raise ValidationError({"resident": [_("There is no resident with this id that you may see.")]})
    else:
        resident_data = _resident_data(request, payload.new_resident)
    fixed = fixed_channel(membership)
    if fixed is not None:
        channel = fixed[0]
        referred_by = membership.organisation if fixed[1] else None
    else:
        if payload.channel is None or payload.channel == Channel.WEB:
            raise ValidationError(
                {"channel": [_("Say how the request came in (phone, walk_in, partner, digipunt).")]}
            )
        channel = payload.channel
        referred_by = None
        if payload.referred_by is not None:
            referred_by = Organisation.objects.visible_to(membership).filter(pk=payload.referred_by).first()
            if referred_by is None:
                raise ValidationError(
                    {"referred_by": [_("There is no organisation with this id in the network.")]}
                )
    try:
        created = services.request_create(
            network=membership.network_id,
            resident=resident,
            resident_data=resident_data,
            needs=payload.needs,
            description=payload.description,
            urgency=payload.urgency,
            channel=channel,
            referred_by=referred_by if channel == Channel.PARTNER else None,
            consent_to_share=payload.consent_to_share,
            actor=request.user,
            membership=membership,
            allow_duplicate=bool(payload.new_resident and payload.new_resident.confirm_duplicate),
            source=api_source(request),
        )
    except LikelyDuplicate as exc:
        raise Conflict(
            _(
                "A resident with the same name, year of birth and postcode already exists. "
                'Send "confirm_duplicate": true in new_resident to register this one anyway, '
                "or refer the existing resident by id."
            ),
            duplicates=[r.pk for r in exc.check.visible],
        ) from exc
    return Status(201, _request(request, created.pk))


# --- referrals -------------------------------------------------------------------------------


@router.get(
    "/referrals/",
    response={200: ReferralPage, **error_responses(422)},
    summary="List referrals",
    **requires("request.view"),
)
def referral_list(
    request: HttpRequest,
    page: Query[PageParams],
    status: ReferralStatus | None = None,
    to_my_organisation: bool = False,
):
    """Referrals you may see (partner workers: sent to or by your organisation), newest first.
    ``to_my_organisation``: only those sent to your organisation (your inbox)."""
    membership = request.membership
    qs = Referral.objects.visible_to(membership).select_related(
        "request__resident", "request__referred_by", "service", "to_organisation"
    )
    if status:
        qs = qs.filter(status=status)
    if to_my_organisation:
        qs = qs.filter(to_organisation_id=membership.organisation_id)
    result = paginate(qs.order_by("-created_at", "-pk"), page)
    result["items"] = selectors.referrals_with_shown(membership=membership, referrals=result["items"])
    audit_api_listed(request=request, residents=selectors.residents_named(result["items"]))
    return result


@router.get(
    "/referrals/{pk}",
    response={200: ReferralDetailOut, **error_responses(404)},
    summary="One referral with its history",
    **requires("request.view", model=Referral),
)
def referral_detail(request: HttpRequest, pk: int):
    obj = _referral(request, pk)
    _audit_one(request, obj.shown)
    return obj


@router.post(
    "/referrals/{pk}/status",
    response={200: ReferralDetailOut, **error_responses(404, 409, 422, conflict=Error)},
    summary="Change a referral's status",
    **requires("referral.update", model=Referral),
)
def referral_status(request: HttpRequest, pk: int, payload: StatusIn):
    """The receiving organisation (or the service desk) moves the referral on: sent → accepted /
    declined (reason required) / not_reached; accepted → in_progress / no_show / not_reached;
    in_progress → done / no_show. Cancelling and sending again (after no_show / not_reached)
    are for the service desk. 409: not possible from the current status; 403: not yours to change."""
    referral = _referral(request, pk)
    try:
        services.referral_transition(
            referral=referral,
            to_status=payload.status or "",
            actor=request.user,
            reason=payload.reason,
            membership=request.membership,
            follow_up_on=payload.follow_up_on,
        )
    except services.ReferralRefused as exc:
        raise _refused(exc) from exc
    obj = _referral(request, pk)
    _audit_one(request, obj.shown)
    return obj
