"""The audit trail for API calls: the source says it was the API, which call, on which path.

Like the UI, the path is stored without its query string (a search query may be a name).
"""

from __future__ import annotations

from django.http import HttpRequest

from digibank.audit.models import AuditAction
from digibank.audit.services import audit_record, audit_residents_listed
from digibank.privacy.registry import RESIDENT

# The fields a list answer shows of each resident (schemas.ResidentListItem).
LISTED_FIELDS = ["name", "birth_year", "postcode", "district"]


def api_source(request: HttpRequest) -> str:
    return f"api:{request.method} {request.path}"[:300]


def audit_api_listed(*, request: HttpRequest, residents) -> None:
    """One VIEW entry per resident in the answer, in one bulk insert."""
    audit_residents_listed(
        request=request, residents=residents, fields=LISTED_FIELDS, source=api_source(request)
    )


def audit_api_viewed(*, request: HttpRequest, resident, fields) -> None:
    audit_record(
        request_or_source=api_source(request),
        actor=request.user,
        network_id=request.membership.network_id,
        action=AuditAction.VIEW,
        subject_kind=RESIDENT,
        subject_id=resident.pk,
        fields=fields,
    )
