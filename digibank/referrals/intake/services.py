"""Writes of the intake rules."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from digibank.organisations.models import Organisation

from ..models import IntakeSettings, OrganisationCap


@transaction.atomic
def intake_settings_update(*, network, actor, data: dict) -> IntakeSettings:
    """Save the network's cap on open requests (``None``: off) and its unreferred-alert days."""
    settings, _created = IntakeSettings.objects.get_or_create(network_id=network.pk)
    settings.open_request_cap = data.get("open_request_cap")
    settings.unreferred_alert_days = data["unreferred_alert_days"]
    settings.full_clean(validate_constraints=False)
    settings.save()
    return settings


@transaction.atomic
def organisation_cap_set(*, network, actor, organisation: Organisation, cap: int | None) -> OrganisationCap:
    """Give ``organisation`` its own cap (``None``: no cap for it), replacing an earlier exception."""
    if organisation.network_id != network.pk:
        raise ValidationError({"organisation": _("Choose an organisation of this network.")})
    exception, _created = OrganisationCap.objects.update_or_create(
        network_id=network.pk, organisation=organisation, defaults={"cap": cap}
    )
    return exception


@transaction.atomic
def organisation_cap_remove(*, exception: OrganisationCap, actor) -> None:
    """The organisation follows the network's cap again."""
    exception.delete()
