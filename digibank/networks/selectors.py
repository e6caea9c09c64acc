"""Reads about networks and memberships."""

from .models import Membership, Network


def membership_for_user(*, user, network_id) -> Membership | None:
    """The user's active membership in ``network_id``, or None (also for junk input)."""
    try:
        network_id = int(network_id)
    except (TypeError, ValueError):
        return None
    return user.memberships.active().select_related("network").filter(network_id=network_id).first()


def members_of(*, network: Network):
    return (
        Membership.objects.in_network(network)
        .select_related("user", "organisation")
        .order_by("role", "user__last_name", "user__first_name")
    )
