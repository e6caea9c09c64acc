"""Writes of the catalogue, the intake rules and the social internet tariff.

Views, the API and the demo loader all call these functions, so each rule lives here once.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from . import selectors
from .models import Service, criterion_choices

SERVICE_FIELDS = (
    "name",
    "kind",
    "organisation",
    "description",
    "criteria",
    "criteria_text",
    "capacity",
    "has_waiting_list",
    "requires_consent",
    "is_active",
    "is_public",
)


def _name_taken_error() -> ValidationError:
    return ValidationError({"name": _("This network already has a service with this name.")})


# --- the catalogue --------------------------------------------------------------------------


def _save_service(service: Service) -> Service:
    service.name = " ".join((service.name or "").split())
    if service.organisation.network_id != service.network_id:
        raise ValidationError({"organisation": _("Choose an organisation of this network.")})
    known = {code for code, _label in criterion_choices()}
    criteria = [str(code) for code in (service.criteria or [])]
    if unknown := [code for code in criteria if code not in known]:
        raise ValidationError({"criteria": _("Unknown criteria: %(codes)s") % {"codes": ", ".join(unknown)}})
    service.criteria = [code for code, _label in criterion_choices() if code in criteria]
    if selectors.service_name_taken(network_id=service.network_id, name=service.name, exclude_pk=service.pk):
        raise _name_taken_error()
    service.full_clean(validate_constraints=False)
    try:
        # The savepoint keeps the outer transaction usable if a concurrent insert wins the race.
        with transaction.atomic():
            service.save()
    except IntegrityError as exc:
        raise _name_taken_error() from exc
    return service


@transaction.atomic
def service_create(*, network, actor, data: dict) -> Service:
    """Add a service to ``network``'s catalogue. Names are unique per network (case-insensitive)."""
    service = Service(network_id=network.pk, **{f: data[f] for f in SERVICE_FIELDS if f in data})
    return _save_service(service)


@transaction.atomic
def service_update(*, service: Service, actor, data: dict) -> Service:
    for field in SERVICE_FIELDS:
        if field in data:
            setattr(service, field, data[field])
    return _save_service(service)


# --- intake rules ---------------------------------------------------------------------------


# --- the social internet tariff -------------------------------------------------------------
