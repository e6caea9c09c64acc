"""Writing the audit trail. Reads are in selectors.py.

An entry is about a *subject* of the privacy registry: a kind and an id ("resident" 12,
"booker" 7). The source of an entry is the page's *path*, without its query string: a search
query is often a resident's name, and the trail must not hold personal data itself.
"""

from digibank.privacy.registry import RESIDENT

from . import shown
from .models import AuditAction, AuditEntry

__all__ = ["AuditAction", "audit_record", "audit_residents_listed", "audit_scrub_sources"]


def _source_of(request_or_source) -> str:
    path = getattr(request_or_source, "path", None)
    source = path if isinstance(path, str) else str(request_or_source)
    return source[:300]


def audit_record(
    *,
    request_or_source,
    actor,
    network_id: int,
    action: str,
    subject_kind: str,
    subject_id: int,
    fields=(),
) -> AuditEntry:
    """Write one audit entry about one subject (privacy.registry kind and id).

    ``request_or_source`` is the request (its path is stored) or a string.
    """
    shown.recorded(subject_kind, [subject_id])
    return AuditEntry.objects.create(
        network_id=network_id,
        actor=actor,
        action=action,
        subject_kind=subject_kind,
        subject_id=subject_id,
        fields=list(fields),
        source=_source_of(request_or_source),
    )


def audit_residents_listed(
    *, request, residents, fields=("name", "birth_year", "postcode"), source=None, action=AuditAction.VIEW
) -> None:
    """Record that these residents' names appeared on a list or search page (one bulk insert);
    ``action=AuditAction.EXPORT`` for a list downloaded as CSV or XLSX."""
    membership = request.membership
    residents = list(residents or ())  # read twice below; a generator would be empty the second time
    if not residents or membership is None:
        return
    source = _source_of(request) if source is None else source[:300]
    shown.recorded(RESIDENT, [resident.pk for resident in residents])
    AuditEntry.objects.bulk_create(
        AuditEntry(
            network_id=membership.network_id,
            actor=request.user,
            action=action,
            subject_kind=RESIDENT,
            subject_id=resident.pk,
            fields=list(fields),
            source=source,
        )
        for resident in residents
    )


def audit_scrub_sources(*, network_id: int, subject_kind: str, subject_id: int) -> int:
    """On erasure: cut query strings from the sources about one subject (e.g. from API callers).

    The only change ever made to an audit entry; who did what and when stays.
    """
    changed = 0
    entries = AuditEntry.objects.in_network(network_id).filter(
        subject_kind=subject_kind, subject_id=subject_id, source__contains="?"
    )
    for entry in entries.only("pk", "source"):
        AuditEntry.objects.filter(pk=entry.pk).update(source=entry.source.split("?", 1)[0])
        changed += 1
    return changed
