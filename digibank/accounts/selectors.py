"""Reads about staff accounts: tokens, two-factor devices, memberships."""

from __future__ import annotations

from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from digibank.networks.models import Membership

from .models import TOKEN_PREFIX, ApiToken, User, hash_token


def memberships_of(*, user: User):
    return user.memberships.active().select_related("network", "organisation").order_by("network__name")


def api_tokens_of(*, user: User, membership: Membership | None):
    """The user's tokens that are still valid, in the current network only."""
    return (
        ApiToken.objects.visible_to(membership)
        .filter(user=user, revoked_at__isnull=True)
        .order_by("-created_at", "-pk")
    )


def api_token_of(*, user: User, membership: Membership | None, token_id) -> ApiToken | None:
    """One of the user's own tokens in the current network, or None (also for junk input)."""
    try:
        token_id = int(token_id)
    except (TypeError, ValueError):
        return None
    return api_tokens_of(user=user, membership=membership).filter(pk=token_id).first()


def api_token_authenticate(raw: str) -> tuple[ApiToken, Membership] | None:
    """The token and the owner's membership in the token's network, or None.

    None for an unknown or revoked token, an inactive user or one who no longer belongs
    to the token's network: a token never outlives the membership it acts for, not even when
    that membership is reactivated later.
    """
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    # The one read that cannot start from a membership: the token is what tells us which one.
    token = (
        ApiToken.objects.filter(key_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .select_related("user")
        .first()
    )
    if token is None:
        return None
    membership = (
        Membership.objects.in_network(token.network_id)
        .active()
        .filter(user_id=token.user_id)
        .select_related("network", "organisation", "user")
        .first()
    )
    if membership is None:
        return None
    if membership.deactivated_at is not None and token.created_at <= membership.deactivated_at:
        return None  # issued before the owner was deactivated: reactivation does not revive it
    return token, membership


def has_two_factor(*, user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def backup_codes_left(*, user: User) -> int:
    devices = StaticDevice.objects.filter(user=user, confirmed=True)
    return StaticToken.objects.filter(device__in=devices).count()


def networks_requiring_two_factor(*, user: User) -> list:
    """The user's networks that make two-factor mandatory (it may then not be turned off)."""
    return [m.network for m in memberships_of(user=user) if m.network.require_two_factor]
