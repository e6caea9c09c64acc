"""Reads of the audit trail, for coordinators. Always within the current network."""

from __future__ import annotations

from collections import defaultdict

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from digibank.networks.models import Membership
from digibank.privacy.registry import RESIDENT, Section, Subject, SubjectRef, subject_describe, subject_kind

from .models import AuditAction, AuditEntry

ENTRIES_PER_PAGE = 50

# Names in AuditEntry.fields that are not columns of the subject's record.
EXTRA_FIELD_LABELS = {
    "name": _("name"),
    "eligibility": _("eligibility proof"),
    "timeline": _("timeline"),
    "all": _("everything"),
}


def _record_model(kind: str):
    registered = subject_kind(kind)
    if registered is None or not registered.model:
        return None
    return apps.get_model(registered.model)


def field_labels(fields, subject_kind: str = RESIDENT) -> list[str]:
    """The recorded field names as people read them ("phone" -> "telefoon")."""
    model = _record_model(subject_kind)
    labels = []
    for name in fields:
        label = EXTRA_FIELD_LABELS.get(name)
        if label is None:
            try:
                label = model._meta.get_field(name).verbose_name
            except (FieldDoesNotExist, AttributeError):
                label = name
        labels.append(str(label))
    return labels


def audit_entries(
    *,
    membership,
    action: str = "",
    subject_kind: str = "",
    subject_id: int | None = None,
    actor_id: int | None = None,
) -> QuerySet[AuditEntry]:
    """Newest first, optionally for one action, one subject (kind and id) or one staff member."""
    qs = AuditEntry.objects.visible_to(membership).select_related("actor")
    if action in AuditAction.values:
        qs = qs.filter(action=action)
    if subject_kind:
        qs = qs.filter(subject_kind=subject_kind)
    if subject_id is not None:
        qs = qs.filter(subject_id=subject_id)
    if actor_id is not None:
        qs = qs.filter(actor_id=actor_id)
    return qs.order_by("-at", "-pk")


def subjects_of(*, membership, entries) -> dict[tuple[str, int], SubjectRef]:
    """{(kind, id): how to name them} for the subjects of ``entries``: one query per kind.

    A subject this member may not see (or whose kind is not registered) is left out; the page
    then shows the kind and number only.
    """
    ids_by_kind: dict[str, set[int]] = defaultdict(set)
    for entry in entries:
        ids_by_kind[entry.subject_kind].add(entry.subject_id)
    refs = {}
    for kind, ids in ids_by_kind.items():
        for subject_id, ref in subject_describe(membership, kind, ids).items():
            refs[(kind, subject_id)] = ref
    return refs


def subject_kind_label(kind: str) -> str:
    registered = subject_kind(kind)
    return str(registered.label) if registered is not None else kind


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


def _person(user) -> str:
    return str(user) if user is not None else ""


def audit_export(subject: Subject) -> list[Section]:
    """The subject-access export's section: who viewed or changed this person's data (privacy provider)."""
    rows = [
        {
            "at": entry.at,
            "action": entry.action,
            "action_label": entry.get_action_display(),
            "by": _person(entry.actor),
            "fields": entry.fields,
            "field_labels": field_labels(entry.fields, subject.kind),
            "source": entry.source,
        }
        for entry in AuditEntry.objects.in_network(subject.network_id)
        .filter(subject_kind=subject.kind, subject_id=subject.id)
        .select_related("actor")
        .order_by("-at", "-pk")
    ]
    return [
        Section(
            key="audit",
            title=_("Who viewed or changed your data"),
            rows=rows,
            columns=[
                ("at", _("When")),
                ("by", _("Who")),
                ("action_label", _("Action")),
                ("field_labels", _("Which data")),
            ],
        )
    ]
