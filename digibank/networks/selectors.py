"""Reads about networks and memberships."""

from django.utils import timezone

from .models import Membership, MembershipInvitation, Network
from .roles import Role


def membership_for_user(*, user, network_id) -> Membership | None:
    """The user's active membership in ``network_id``, or None (also for junk input)."""
    try:
        network_id = int(network_id)
    except (TypeError, ValueError):
        return None
    return user.memberships.active().select_related("network").filter(network_id=network_id).first()


def members_of(*, network: Network):
    """Every member of the network, active ones first, for the settings page (one query)."""
    return (
        Membership.objects.in_network(network)
        .select_related("user", "organisation")
        .order_by("-is_active", "role", "user__last_name", "user__first_name", "pk")
    )


def active_coordinator_count(*, network: Network) -> int:
    return (
        Membership.objects.in_network(network)
        .active()
        .filter(role=Role.COORDINATOR, user__is_active=True)
        .count()
    )


def pending_invitations(*, network: Network):
    """Invitations not yet answered and still valid: only what the coordinator typed is shown."""
    return (
        MembershipInvitation.objects.in_network(network)
        .pending()
        .filter(expires_at__gt=timezone.now())
        .select_related("organisation")
    )
