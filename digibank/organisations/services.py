"""Writes about partner organisations and their contact people."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .models import ContactPerson, Organisation

ORGANISATION_FIELDS = ("name", "type", "description", "email", "phone", "website", "is_active")
CONTACT_FIELDS = ("name", "function", "email", "phone")


def organisation_name_taken(*, network_id: int, name: str, exclude_pk: int | None = None) -> bool:
    """Case-insensitive: "Stad Leuven" and "stad leuven" are the same partner to a person."""
    return (
        Organisation.objects.in_network(network_id)
        .filter(name__iexact=name.strip())
        .exclude(pk=exclude_pk)
        .exists()
    )


def _save_organisation(organisation: Organisation) -> Organisation:
    organisation.name = (organisation.name or "").strip()
    if organisation_name_taken(
        network_id=organisation.network_id, name=organisation.name, exclude_pk=organisation.pk
    ):
        raise ValidationError({"name": _("This network already has an organisation with this name.")})
    organisation.full_clean()
    try:
        # The savepoint keeps the outer transaction usable if a concurrent insert wins the race.
        with transaction.atomic():
            organisation.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"name": _("This network already has an organisation with this name.")}
        ) from exc
    return organisation


@transaction.atomic
def organisation_create(*, network, actor, data: dict) -> Organisation:
    organisation = Organisation(network=network, **{f: data[f] for f in ORGANISATION_FIELDS if f in data})
    return _save_organisation(organisation)


@transaction.atomic
def organisation_update(*, organisation: Organisation, actor, data: dict) -> Organisation:
    for field in ORGANISATION_FIELDS:
        if field in data:
            setattr(organisation, field, data[field])
    return _save_organisation(organisation)


@transaction.atomic
def contact_create(*, organisation: Organisation, actor, data: dict) -> ContactPerson:
    # The contact always lives in its organisation's network, whatever the caller passes.
    contact = ContactPerson(
        network_id=organisation.network_id,
        organisation=organisation,
        **{f: data[f] for f in CONTACT_FIELDS if f in data},
    )
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def contact_update(*, contact: ContactPerson, actor, data: dict) -> ContactPerson:
    for field in CONTACT_FIELDS:
        if field in data:
            setattr(contact, field, data[field])
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def contact_delete(*, contact: ContactPerson, actor) -> None:
    contact.delete()
