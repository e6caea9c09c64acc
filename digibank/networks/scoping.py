"""The one place where network (tenant) scoping lives.

Every domain model inherits ``NetworkOwned``: a non-null ``network`` foreign key (the
future Citus distribution column) and a queryset with ``in_network()``. Role-specific
narrowing (a partner worker sees only their organisation's residents) is added by each
model's queryset in ``visible_to(membership)``, which always starts from ``in_network``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from .models import Membership, Network


class NetworkQuerySet(models.QuerySet):
    def in_network(self, network: Network | int) -> NetworkQuerySet:
        network_id = network if isinstance(network, int) else network.pk
        return self.filter(network_id=network_id)

    def visible_to(self, membership: Membership | None) -> NetworkQuerySet:
        """Rows this membership may see. Default: the whole network, for any role."""
        if membership is None:
            return self.none()
        return self.in_network(membership.network_id)


class NetworkOwned(models.Model):
    """Abstract base of every domain table: the row belongs to exactly one network."""

    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="+", verbose_name=_("network")
    )

    objects = NetworkQuerySet.as_manager()

    class Meta:
        abstract = True
