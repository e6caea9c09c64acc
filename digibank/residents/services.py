"""Writes about residents: registration, changes, eligibility proof, timeline and erasure.

Every write that touches personal data records an audit entry (field names, never values)
and, where a colleague would want to know, a line on the resident's timeline. Views, the
API and management commands all call these functions, so the rules live in one place.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from digibank.audit.models import AuditAction
from digibank.audit.services import audit_record
from digibank.privacy.registry import RESIDENT, Subject, subject_erase

from . import selectors
from .models import (
    EligibilityKind,
    EligibilityProof,
    LegalBasis,
    Resident,
    ResidentAccess,
    TimelineEntry,
    TimelineKind,
)

# The fields a registration or an edit may set; everything else is managed here.
RESIDENT_FIELDS = [
    "first_name",
    "last_name",
    "birth_year",
    "postcode",
    "district",
    "languages",
    "preferred_channel",
    "phone",
    "email",
    "do_not_contact",
    "street",
    "city",
    "legal_basis",
    "consent_date",
    "notes",
]

# What erasure blanks. Kept on purpose for the statistics: district, postcode, languages,
# the decade of birth, the legal basis and every link (accesses, loans, audit entries).
ERASED_BLANK_FIELDS = ["phone", "email", "street", "city", "notes", "preferred_channel"]
ERASED_TIMELINE_TEXT = gettext_lazy("(erased)")


# Managed by the services, not by the caller's data: not validated again on each save.
MANAGED_FIELDS = [
    "id",
    "network",
    "consent_recorded_by",
    "registered_by_organisation",
    "created_by",
    "created_at",
    "updated_at",
    "erased_at",
]


class LikelyDuplicate(ValidationError):
    """Raised by resident_create when a likely duplicate exists and nobody confirmed."""

    def __init__(self, check: selectors.DuplicateCheck):
        super().__init__(_("A resident with the same name, year of birth and postcode already exists."))
        self.check = check


def timeline_add(
    *,
    resident: Resident,
    kind: str,
    summary: str,
    actor,
    occurred_at: datetime.datetime | None = None,
) -> TimelineEntry:
    """Add a line to a resident's timeline. For every capability (loans, referrals, courses …).

    ``summary`` is shown to colleagues as is: say what happened, never copy personal data
    into it (erasure replaces it anyway).
    """
    return TimelineEntry.objects.create(
        network_id=resident.network_id,
        resident=resident,
        kind=kind,
        summary=str(summary)[:300],
        actor=actor,
        occurred_at=occurred_at or timezone.now(),
    )


def _labels(names: list[str]) -> str:
    return ", ".join(str(Resident._meta.get_field(name).verbose_name) for name in names)


def _stored(resident: Resident, name: str):
    return resident.district_id if name == "district" else getattr(resident, name)


def _comparable(name: str, value):
    if name == "district":
        return value.pk if value is not None else None
    return value


def _fill_district(*, network_id: int, data: dict) -> None:
    """A postcode that belongs to exactly one district of the network fills an empty district."""
    if not data.get("district") and data.get("postcode"):
        data["district"] = selectors.district_for_postcode(network_id=network_id, postcode=data["postcode"])


def _check_district(*, network_id: int, data: dict) -> None:
    district = data.get("district")
    if district is not None and district.network_id != network_id:
        raise ValidationError({"district": _("Choose a district of this network.")})


@transaction.atomic
def resident_create(*, membership, actor, data: dict, source: str, allow_duplicate: bool = False) -> Resident:
    """Register a resident in the membership's network.

    A partner worker registers on behalf of their organisation: it is recorded and the
    organisation gets access, so they keep seeing the resident. Raises ``LikelyDuplicate``
    unless ``allow_duplicate`` (the user saw the warning and confirmed).
    """
    network_id = membership.network_id
    data = {name: value for name, value in data.items() if name in RESIDENT_FIELDS}
    _check_district(network_id=network_id, data=data)
    _fill_district(network_id=network_id, data=data)
    if not allow_duplicate:
        check = selectors.resident_likely_duplicates(
            membership=membership,
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            birth_year=data.get("birth_year"),
            postcode=data.get("postcode", ""),
        )
        if check:
            raise LikelyDuplicate(check)
    resident = Resident(network_id=network_id, created_by=actor, **data)
    if membership.organisation_id:
        resident.registered_by_organisation_id = membership.organisation_id
    if resident.consent_date:
        resident.consent_recorded_by = actor
    resident.full_clean(exclude=MANAGED_FIELDS)
    resident.save()
    if membership.organisation_id:
        ResidentAccess.objects.create(
            network_id=network_id,
            resident=resident,
            organisation_id=membership.organisation_id,
            reason=ResidentAccess.Reason.REGISTERED,
        )
    filled = [name for name in RESIDENT_FIELDS if getattr(resident, name) not in (None, "", False)]
    audit_record(
        request_or_source=source,
        actor=actor,
        network_id=network_id,
        action=AuditAction.CREATE,
        subject_kind=RESIDENT,
        subject_id=resident.pk,
        fields=filled,
    )
    if membership.organisation_id:
        summary = _("Registered for %(organisation)s") % {"organisation": membership.organisation}
    else:
        summary = _("Registered")
    timeline_add(resident=resident, kind=TimelineKind.REGISTERED, summary=summary, actor=actor)
    if resident.consent_date:
        timeline_add(resident=resident, kind=TimelineKind.CONSENT, summary=_("Consent recorded"), actor=actor)
    return resident


@transaction.atomic
def resident_update(*, resident: Resident, actor, data: dict, source: str) -> list[str]:
    """Change a resident's data. Returns the names of the changed fields (empty: nothing to do).

    Setting or changing the date of consent records who did it.
    """
    # Compare with the stored row, not the caller's object: a ModelForm has already copied
    # the new values onto the instance it was given.
    resident = Resident.objects.select_for_update().get(pk=resident.pk, network_id=resident.network_id)
    if resident.is_erased:
        raise ValidationError(_("This resident was erased and can no longer be changed."))
    data = {name: value for name, value in data.items() if name in RESIDENT_FIELDS}
    _check_district(network_id=resident.network_id, data=data)
    _fill_district(network_id=resident.network_id, data=data)
    changed = [name for name, value in data.items() if _stored(resident, name) != _comparable(name, value)]
    if not changed:
        return []
    for name in changed:
        setattr(resident, name, data[name])
    consent_changed = bool(resident.consent_date) and (
        "consent_date" in changed or ("legal_basis" in changed and resident.legal_basis == LegalBasis.CONSENT)
    )
    update_fields = [*changed, "updated_at"]
    if consent_changed:
        resident.consent_recorded_by = actor
        update_fields.append("consent_recorded_by")
    resident.full_clean(exclude=MANAGED_FIELDS)
    resident.save(update_fields=update_fields)
    audit_record(
        request_or_source=source,
        actor=actor,
        network_id=resident.network_id,
        action=AuditAction.UPDATE,
        subject_kind=RESIDENT,
        subject_id=resident.pk,
        fields=changed,
    )
    timeline_add(
        resident=resident,
        kind=TimelineKind.CHANGED,
        summary=_("Changed: %(fields)s") % {"fields": _labels(changed)},
        actor=actor,
    )
    if consent_changed:
        timeline_add(resident=resident, kind=TimelineKind.CONSENT, summary=_("Consent recorded"), actor=actor)
    return changed


@transaction.atomic
def eligibility_add(*, resident: Resident, actor, data: dict, source: str) -> EligibilityProof:
    """Record that ``actor`` saw proof of a status. One per kind: remove the old one first."""
    if resident.is_erased:
        raise ValidationError(_("This resident was erased and can no longer be changed."))
    kind = data.get("kind")
    duplicate_message = _("Proof of this status is already recorded. Remove it first to record it again.")
    if EligibilityProof.objects.in_network(resident.network_id).filter(resident=resident, kind=kind).exists():
        raise ValidationError({"kind": duplicate_message})
    proof = EligibilityProof(
        network_id=resident.network_id,
        resident=resident,
        kind=kind,
        detail=data.get("detail", "") if kind == EligibilityKind.OTHER else "",
        seen_on=data.get("seen_on") or timezone.localdate(),
        valid_until=data.get("valid_until"),
        seen_by=actor,
    )
    proof.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            proof.save()
    except IntegrityError as exc:  # a colleague recorded the same kind a moment ago
        raise ValidationError({"kind": duplicate_message}) from exc
    audit_record(
        request_or_source=source,
        actor=actor,
        network_id=resident.network_id,
        action=AuditAction.UPDATE,
        subject_kind=RESIDENT,
        subject_id=resident.pk,
        fields=["eligibility"],
    )
    timeline_add(
        resident=resident,
        kind=TimelineKind.ELIGIBILITY_ADDED,
        summary=_("Proof seen: %(status)s") % {"status": proof.get_kind_display()},
        actor=actor,
    )
    return proof


@transaction.atomic
def eligibility_remove(*, proof: EligibilityProof, actor, source: str) -> None:
    resident = proof.resident
    if resident.is_erased:
        raise ValidationError(_("This resident was erased and can no longer be changed."))
    label = proof.get_kind_display()
    proof.delete()
    audit_record(
        request_or_source=source,
        actor=actor,
        network_id=resident.network_id,
        action=AuditAction.UPDATE,
        subject_kind=RESIDENT,
        subject_id=resident.pk,
        fields=["eligibility"],
    )
    timeline_add(
        resident=resident,
        kind=TimelineKind.ELIGIBILITY_REMOVED,
        summary=_("Proof removed: %(status)s") % {"status": label},
        actor=actor,
    )


@transaction.atomic
def resident_erase(*, resident: Resident, actor, source: str) -> Resident:
    """Anonymise a resident for good, keeping the row so counts and histories stay intact.

    Walks every provider of the privacy registry in this one transaction: the residents app
    blanks the record itself (``resident_blank``), the audit trail cuts query strings, and each
    capability blanks the free texts it holds (loans, requests, appointments …). Idempotent.
    """
    resident = Resident.objects.select_for_update().get(pk=resident.pk, network_id=resident.network_id)
    if resident.is_erased:
        return resident
    subject_erase(Subject(RESIDENT, resident.pk, network_id=resident.network_id))
    audit_record(
        request_or_source=source,
        actor=actor,
        network_id=resident.network_id,
        action=AuditAction.ERASE,
        subject_kind=RESIDENT,
        subject_id=resident.pk,
        fields=["first_name", "last_name", *ERASED_BLANK_FIELDS, "birth_year", "eligibility", "timeline"],
    )
    timeline_add(
        resident=resident,
        kind=TimelineKind.ERASED,
        summary=_("Personal data erased; counts and histories are kept."),
        actor=actor,
    )
    resident.refresh_from_db()
    return resident


def resident_blank(subject: Subject) -> None:
    """The residents app's own erasure step (privacy provider "residents").

    Names become "—" and "#<number>", contact data, address and notes are blanked, the year
    of birth is rounded down to its decade; district, postcode and languages stay for the
    statistics. Eligibility details and timeline texts are replaced.
    """
    network_id = subject.network_id
    resident = Resident.objects.select_for_update().get(pk=subject.id, network_id=network_id)
    if resident.is_erased:
        return
    resident.first_name = "—"
    resident.last_name = f"#{resident.pk}"
    for name in ERASED_BLANK_FIELDS:
        setattr(resident, name, "")
    resident.birth_year = resident.birth_year // 10 * 10
    resident.erased_at = timezone.now()
    resident.save(
        update_fields=[
            "first_name",
            "last_name",
            *ERASED_BLANK_FIELDS,
            "birth_year",
            "erased_at",
            "updated_at",
        ]
    )
    EligibilityProof.objects.in_network(network_id).filter(resident=resident).update(detail="")
    TimelineEntry.objects.in_network(network_id).filter(resident=resident).update(
        summary=str(ERASED_TIMELINE_TEXT)
    )


def resident_export(*, resident: Resident, actor, source: str) -> dict:
    """Subject-access export: record it, then return everything we hold (the JSON and PDF content).

    Recorded first, so the export lists itself among the audit entries.
    """
    audit_record(
        request_or_source=source,
        actor=actor,
        network_id=resident.network_id,
        action=AuditAction.EXPORT,
        subject_kind=RESIDENT,
        subject_id=resident.pk,
        fields=["all"],
    )
    return selectors.resident_subject_access_data(resident)
