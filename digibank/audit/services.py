"""Writing the audit trail. Reads are in selectors.py."""

from .models import AuditAction, AuditEntry

__all__ = ["AuditAction", "audit_record"]


def audit_record(
    *, request_or_source, actor, network_id: int, action: str, resident_id: int, fields=()
) -> AuditEntry:
    """Write one audit entry. ``request_or_source`` is the request (its path is stored) or a string."""
    source = getattr(request_or_source, "get_full_path", None)
    source = source()[:300] if source else str(request_or_source)[:300]
    return AuditEntry.objects.create(
        network_id=network_id,
        actor=actor,
        action=action,
        resident_id=resident_id,
        fields=list(fields),
        source=source,
    )


def audit_residents_listed(*, request, residents) -> None:
    """Record that these residents' names appeared on a list or search page (one bulk insert)."""
    membership = request.membership
    if not residents or membership is None:
        return
    source = request.get_full_path()[:300]
    AuditEntry.objects.bulk_create(
        AuditEntry(
            network_id=membership.network_id,
            actor=request.user,
            action=AuditAction.VIEW,
            resident_id=resident.pk,
            fields=["name", "birth_year", "postcode"],
            source=source,
        )
        for resident in residents
    )
