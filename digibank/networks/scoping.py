"""The one place where network (tenant) and role scoping lives. Deny by default.

Every domain model inherits ``NetworkOwned``: a non-null ``network`` foreign key (the future
Citus distribution column) and a queryset with ``in_network()`` (for the services' own work)
and ``visible_to(membership)`` (for everything a person sees).

``visible_to`` returns **nothing** unless the model declares who may see its rows:

    class Loan(NetworkOwned):
        visible_with = ("loan.view",)   # a member whose role holds one of these sees the network's rows

and a model whose rows a role sees only in part narrows them in its queryset:

    class RepairTaskQuerySet(NetworkQuerySet):
        def narrow_for(self, membership):   # a volunteer: only the tasks assigned to them
            ...

A model without ``visible_with`` (an internal counter, a rate limit) is never shown through
``visible_to``. tests/test_scoping.py checks that every model chose.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from .models import Membership, Network


class NetworkQuerySet(models.QuerySet):
    def in_network(self, network: Network | int) -> NetworkQuerySet:
        network_id = network if isinstance(network, int) else network.pk
        return self.filter(network_id=network_id)

    def visible_to(self, membership: Membership | None) -> NetworkQuerySet:
        """The rows this membership may see: none unless its role holds one of the model's
        ``visible_with`` permissions; then its network's rows, narrowed by ``narrow_for``."""
        if membership is None or not membership.is_active:
            return self.none()
        permissions = self.model.visible_with
        if not any(membership.has(permission) for permission in permissions):
            return self.none()
        return self.in_network(membership.network_id).narrow_for(membership)

    def narrow_for(self, membership: Membership) -> NetworkQuerySet:
        """Role narrowing within the network (a partner sees only their organisation's rows …).
        Called only for a member who may see the model at all. Default: every row."""
        return self

    def for_action(self, permission: str) -> NetworkQuerySet:
        """The rows a page guarded by ``permission`` may work on, among the visible ones (an
        erased resident can be read and exported, never changed). ``staff_view`` applies it to
        the object it looks up. Default: every visible row."""
        return self


def narrowed_through(parent_field: str) -> type[NetworkQuerySet]:
    """A queryset for rows a member sees exactly when they may see the row's parent (the
    foreign key ``parent_field``): a note of a referral, a proof of a resident."""

    class ThroughParentQuerySet(NetworkQuerySet):
        def narrow_for(self, membership):
            parent = self.model._meta.get_field(parent_field).related_model
            return self.filter(**{f"{parent_field}__in": parent.objects.visible_to(membership).values("pk")})

    return ThroughParentQuerySet


class NetworkOwned(models.Model):
    """Abstract base of every domain table: the row belongs to exactly one network."""

    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="+", verbose_name=_("network")
    )

    # The permissions (any of them) that let a member see this model's rows: nobody by default.
    visible_with: ClassVar[tuple[str, ...]] = ()

    objects = NetworkQuerySet.as_manager()

    class Meta:
        abstract = True
