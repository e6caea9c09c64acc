"""Writes about networks and memberships."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Membership, Network
from .roles import ROLES_WITH_ORGANISATION


@transaction.atomic
def network_update(*, network: Network, actor, data: dict) -> Network:
    for field, value in data.items():
        setattr(network, field, value)
    network.full_clean()
    network.save()
    return network


@transaction.atomic
def membership_create(*, network: Network, user, role: str, organisation=None) -> Membership:
    """Add a user to a network. Partner roles must name an organisation of the same network."""
    if role in ROLES_WITH_ORGANISATION and organisation is None:
        raise ValidationError(_("This role needs an organisation."))
    if organisation is not None and organisation.network_id != network.pk:
        raise ValidationError(_("The organisation belongs to another network."))
    return Membership.objects.create(network=network, user=user, role=role, organisation=organisation)
