"""Reads of the audit trail, for coordinators. Always within the current network."""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from digibank.networks.models import Membership

from .models import AuditAction, AuditEntry

ENTRIES_PER_PAGE = 50

# Names in AuditEntry.fields that are not columns of Resident.
EXTRA_FIELD_LABELS = {
    "name": _("name"),
    "eligibility": _("eligibility proof"),
    "timeline": _("timeline"),
    "all": _("everything"),
}


def field_labels(fields) -> list[str]:
    """The recorded field names as people read them ("phone" -> "telefoon")."""
    from digibank.residents.models import Resident

    labels = []
    for name in fields:
        label = EXTRA_FIELD_LABELS.get(name)
        if label is None:
            try:
                label = Resident._meta.get_field(name).verbose_name
            except (FieldDoesNotExist, AttributeError):
                label = name
        labels.append(str(label))
    return labels


def audit_entries(
    *, membership, action: str = "", resident_id: int | None = None, actor_id: int | None = None
) -> QuerySet[AuditEntry]:
    """Newest first, optionally for one action, one resident or one staff member."""
    qs = AuditEntry.objects.visible_to(membership).select_related("actor", "resident")
    if action in AuditAction.values:
        qs = qs.filter(action=action)
    if resident_id is not None:
        qs = qs.filter(resident_id=resident_id)
    if actor_id is not None:
        qs = qs.filter(actor_id=actor_id)
    return qs.order_by("-at", "-pk")


def membership_ids_by_user(*, network_id: int, entries) -> dict[int, int]:
    """{user id: membership id in this network} for the actors of ``entries`` (one query).

    The per-member page is addressed by the membership, which is scoped to the network.
    """
    user_ids = {entry.actor_id for entry in entries if entry.actor_id}
    if not user_ids:
        return {}
    return dict(
        Membership.objects.in_network(network_id).filter(user_id__in=user_ids).values_list("user_id", "pk")
    )
