"""Writes of the social internet tariff applications (views, API and demo call these)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from digibank.audit.models import AuditAction
from digibank.audit.services import audit_record
from digibank.privacy.registry import RESIDENT
from digibank.residents.models import Resident
from digibank.residents.services import timeline_add

from ..models import InternetTariffApplication, TariffOutcome, TariffTimelineKind

TARIFF_FIELDS = ("offer", "eligibility_basis", "applied_on", "outcome", "follow_up_on", "notes", "referral")


# An application that was sent has a date: these outcomes come after sending it.
OUTCOMES_AFTER_APPLYING = frozenset({TariffOutcome.APPLIED, TariffOutcome.GRANTED, TariffOutcome.REFUSED})


def _check_tariff(application: InternetTariffApplication) -> None:
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if application.outcome in OUTCOMES_AFTER_APPLYING and not application.applied_on:
        errors["applied_on"] = _("Enter the date the application was sent.")
    if application.applied_on and application.applied_on > today:
        errors["applied_on"] = _("The application cannot have been sent in the future.")
    referral = application.referral
    if referral is not None and (
        referral.network_id != application.network_id
        or referral.request.resident_id != application.resident_id
    ):
        errors["referral"] = _("Choose a referral of this resident.")
    if errors:
        raise ValidationError(errors)
    application.offer = " ".join((application.offer or "").split())
    application.full_clean(exclude=["network", "resident", "helped_by", "referral"])


def _refuse_erased(resident: Resident) -> None:
    if resident.is_erased:
        raise ValidationError(_("This resident was erased and can no longer be changed."))


def _audit(*, source, actor, application: InternetTariffApplication, action: str) -> None:
    audit_record(
        request_or_source=source,
        actor=actor,
        network_id=application.network_id,
        action=action,
        subject_kind=RESIDENT,
        subject_id=application.resident_id,
        fields=["tariff_application"],
    )


@transaction.atomic
def tariff_application_create(
    *, resident: Resident, actor, data: dict, source: str
) -> InternetTariffApplication:
    """Start helping ``resident`` apply for a social or reduced internet tariff."""
    _refuse_erased(resident)
    application = InternetTariffApplication(
        network_id=resident.network_id,
        resident=resident,
        helped_by=actor,
        **{f: data[f] for f in TARIFF_FIELDS if f in data},
    )
    _check_tariff(application)
    application.save()
    _audit(source=source, actor=actor, application=application, action=AuditAction.CREATE)
    timeline_add(
        resident=resident,
        kind=TariffTimelineKind.STARTED,
        summary=_("Internet tariff: application for %(offer)s (%(outcome)s)")
        % {"offer": application.offer, "outcome": application.get_outcome_display()},
        actor=actor,
    )
    return application


def _stored_value(application: InternetTariffApplication, field: str):
    return application.referral_id if field == "referral" else getattr(application, field)


def _given_value(field: str, value):
    return value.pk if field == "referral" and value is not None else value


@transaction.atomic
def tariff_application_update(
    *, application: InternetTariffApplication, actor, data: dict, source: str
) -> list[str]:
    """Change an application; returns the changed fields. A new outcome goes on the timeline."""
    stored = InternetTariffApplication.objects.select_for_update().get(
        pk=application.pk, network_id=application.network_id
    )
    _refuse_erased(stored.resident)
    changed = [f for f in TARIFF_FIELDS if f in data and _stored_value(stored, f) != _given_value(f, data[f])]
    if not changed:
        return []
    old_outcome = stored.outcome
    for field in changed:
        setattr(stored, field, data[field])
    _check_tariff(stored)
    stored.save()
    _audit(source=source, actor=actor, application=stored, action=AuditAction.UPDATE)
    if stored.outcome != old_outcome:
        timeline_add(
            resident=stored.resident,
            kind=TariffTimelineKind.OUTCOME,
            summary=_("Internet tariff (%(offer)s): %(from)s → %(to)s")
            % {
                "offer": stored.offer,
                "from": TariffOutcome(old_outcome).label,
                "to": stored.get_outcome_display(),
            },
            actor=actor,
        )
    return changed
