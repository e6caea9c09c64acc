"""Writes about networks and memberships."""

import hashlib
import logging
import secrets
from datetime import timedelta

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from .models import Membership, MembershipInvitation, Network
from .roles import ROLES_WITH_ORGANISATION, Role

# Who unlocked whom: the security log (no personal data beyond the username).
security_log = logging.getLogger("digibank.security")

logger = logging.getLogger(__name__)


@transaction.atomic
def network_update(*, network: Network, actor, data: dict) -> Network:
    for field, value in data.items():
        setattr(network, field, value)
    network.full_clean()
    network.save()
    return network


def _check_role_and_organisation(*, network: Network, role: str, organisation) -> None:
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role.")})
    if role in ROLES_WITH_ORGANISATION and organisation is None:
        raise ValidationError({"organisation": _("This role needs an organisation of this network.")})
    if organisation is not None and organisation.network_id != network.pk:
        raise ValidationError({"organisation": _("The organisation belongs to another network.")})


def _lock_network(network_id: int) -> None:
    """Serialise membership changes per network, so two coordinators demoting each other at
    the same moment cannot leave the network without one (the last-coordinator rule)."""
    Network.objects.select_for_update().filter(pk=network_id).first()


def _is_last_active_coordinator(membership: Membership) -> bool:
    if membership.role != Role.COORDINATOR or not membership.is_active:
        return False
    others = (
        Membership.objects.in_network(membership.network_id)
        .active()
        .filter(role=Role.COORDINATOR, user__is_active=True)
        .exclude(pk=membership.pk)
    )
    return not others.exists()


@transaction.atomic
def membership_create(*, network: Network, user, role: str, organisation=None) -> Membership:
    """Add a user to a network. Partner roles must name an organisation of the same network."""
    _check_role_and_organisation(network=network, role=role, organisation=organisation)
    if Membership.objects.in_network(network).filter(user=user).exists():
        raise ValidationError({"username": _("This person is already a member of this network.")})
    return Membership.objects.create(network=network, user=user, role=role, organisation=organisation)


@transaction.atomic
def membership_update(*, membership: Membership, actor, role: str, organisation=None) -> Membership:
    """Change a member's role and organisation. The last active coordinator keeps their role."""
    _lock_network(membership.network_id)
    membership.refresh_from_db()
    _check_role_and_organisation(network=membership.network, role=role, organisation=organisation)
    if role != Role.COORDINATOR and _is_last_active_coordinator(membership):
        raise ValidationError(
            {
                "role": _(
                    "This is the last active coordinator of the network. Make someone else coordinator first."
                )
            }
        )
    membership.role = role
    membership.organisation = organisation
    membership.save(update_fields=["role", "organisation"])
    return membership


@transaction.atomic
def membership_set_active(*, membership: Membership, actor, is_active: bool) -> Membership:
    """Deactivate (the person loses access to this network, history stays) or reactivate."""
    _lock_network(membership.network_id)
    membership.refresh_from_db()
    if not is_active and _is_last_active_coordinator(membership):
        raise ValidationError(
            _(
                "This is the last active coordinator of the network and cannot be deactivated. "
                "Make someone else coordinator first."
            )
        )
    membership.is_active = is_active
    if not is_active:
        membership.deactivated_at = timezone.now()
    membership.save(update_fields=["is_active", "deactivated_at"])
    return membership


def member_locked_out(*, membership: Membership) -> bool:
    """Whether log-ins of this member are refused now after too many wrong passwords."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(
        username=membership.user.get_username(),
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=since,
    ).exists()


def member_unlock(*, membership: Membership, actor) -> int:
    """Let a locked-out member log in again (their failed attempts are forgotten). Logged."""
    username = membership.user.get_username()
    removed = axes_reset(username=username)
    security_log.info(
        "log-in unlocked: member %s (%s) of network %s by %s",
        membership.pk,
        username,
        membership.network_id,
        actor.get_username() if actor else "-",
    )
    return removed


@transaction.atomic
def member_invite(
    *,
    network: Network,
    actor,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    organisation=None,
) -> Membership:
    """Create an account for someone new, add them to the network and mail them a link to
    choose a password. The account has no usable password until they do."""
    user_model = get_user_model()
    if user_model.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is taken.")})
    _check_role_and_organisation(network=network, role=role, organisation=organisation)
    user = user_model.objects.create_user(
        username=username, email=email, password=None, first_name=first_name, last_name=last_name
    )
    membership = membership_create(network=network, user=user, role=role, organisation=organisation)
    transaction.on_commit(lambda: send_password_set_email(user_id=user.pk, network_id=network.pk))
    return membership


INVITATION_VALID_FOR = timedelta(days=14)


def _invitation_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def member_add_existing(
    *, network: Network, actor, username: str, role: str, organisation=None
) -> MembershipInvitation:
    """Invite someone who already has an account on this platform (e.g. in another network).

    The answer is the same whether the username exists or not: an invitation row. Only the
    account's owner learns of it (by e-mail) and becomes a member by accepting
    (``invitation_accept``); the coordinator never sees their name or e-mail before that.
    What the coordinator can already see (a member of this very network) is said plainly.
    """
    _check_role_and_organisation(network=network, role=role, organisation=organisation)
    username = username.strip()
    user = get_user_model().objects.filter(username__iexact=username, is_active=True).first()
    if user is not None:
        existing = Membership.objects.in_network(network).filter(user=user).first()
        if existing is not None:
            if existing.is_active:
                raise ValidationError({"username": _("This person is already a member of this network.")})
            raise ValidationError(
                {"username": _("This person was a member before: reactivate them in the list of members.")}
            )
    secret = secrets.token_urlsafe(32)
    invitation = MembershipInvitation.objects.create(
        network=network,
        username=username,
        user=user,
        role=role,
        organisation=organisation,
        invited_by=actor,
        token_hash=_invitation_hash(secret),
        expires_at=timezone.now() + INVITATION_VALID_FOR,
    )
    security_log.info(
        "membership invitation %s for network %s by %s", invitation.pk, network.pk, actor.get_username()
    )
    if user is not None and user.email:
        transaction.on_commit(
            lambda: send_membership_invitation_email(invitation_id=invitation.pk, secret=secret)
        )
    return invitation


def invitation_token(invitation: MembershipInvitation, secret: str) -> str:
    """What the e-mailed link carries: the network (so the look-up stays on its shard) and the
    secret, whose hash only is stored."""
    return f"{invitation.network_id}-{secret}"


def invitation_for_link(*, token: str, user) -> MembershipInvitation | None:
    """The pending, unexpired invitation this link names for this signed-in user, or None."""
    network_id, _sep, secret = token.partition("-")
    if not network_id.isdigit() or not secret or len(network_id) > 18:
        return None
    return (
        MembershipInvitation.objects.in_network(int(network_id))
        .pending()
        .select_related("network", "organisation")
        .filter(token_hash=_invitation_hash(secret), user=user, expires_at__gt=timezone.now())
        .first()
    )


@transaction.atomic
def invitation_accept(*, invitation: MembershipInvitation, user) -> Membership:
    """The invited person joins the network with the role the coordinator chose."""
    invitation = MembershipInvitation.objects.select_for_update().get(pk=invitation.pk)
    if (
        invitation.user_id != user.pk
        or invitation.accepted_at
        or invitation.withdrawn_at
        or invitation.expires_at <= timezone.now()
    ):
        raise ValidationError(_("This invitation is no longer valid."))
    existing = Membership.objects.in_network(invitation.network_id).filter(user=user).first()
    if existing is not None:
        raise ValidationError(_("You are already a member of this network."))
    organisation = invitation.organisation
    membership = membership_create(
        network=invitation.network, user=user, role=invitation.role, organisation=organisation
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    security_log.info("membership invitation %s accepted", invitation.pk)
    return membership


@transaction.atomic
def invitation_decline(*, invitation: MembershipInvitation, user) -> None:
    """The invited person says no: the invitation is withdrawn as if the coordinator had."""
    invitation_withdraw(invitation=invitation, actor=user)


@transaction.atomic
def invitation_withdraw(*, invitation: MembershipInvitation, actor) -> None:
    updated = (
        MembershipInvitation.objects.pending().filter(pk=invitation.pk).update(withdrawn_at=timezone.now())
    )
    if updated:
        security_log.info("membership invitation %s withdrawn by %s", invitation.pk, actor.get_username())


def member_send_invitation_again(*, membership: Membership, actor) -> bool:
    """Mail the password link again to a member who never chose a password. False if they did."""
    if membership.user.has_usable_password() or not membership.user.email:
        return False
    transaction.on_commit(
        lambda: send_password_set_email(user_id=membership.user_id, network_id=membership.network_id)
    )
    return True


def password_set_url(user) -> str:
    """Absolute link to choose a password, valid as long as Django's reset tokens are."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    try:
        path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uidb64, "token": token})
    except NoReverseMatch:
        # The password-reset pages live in the accounts app; without them, point at log-in
        # ("Forgot your password?") rather than failing the invitation.
        logger.warning("accounts:password_reset_confirm is not available; the invitation links to log-in")
        path = reverse("accounts:login")
    return settings.SITE_URL.rstrip("/") + path


# Staff account mails stay direct send_mail calls, not the outbox (digibank.messaging), on
# purpose: the invitation carries a password-set link, a credential that must not be stored
# in the outbox's payload; and the outbox builds on networks (foundation apps have no cycles).


def send_password_set_email(*, user_id: int, network_id: int) -> None:
    user = get_user_model().objects.filter(pk=user_id).first()
    network = Network.objects.filter(pk=network_id).first()
    if user is None or network is None or not user.email:
        return
    with translation.override(user.preferred_language):
        context = {"user": user, "network": network, "url": password_set_url(user)}
        subject = _("Your Digibank account for %(network)s") % {"network": network.name}
        body = render_to_string("networks/email/invitation.txt", context)
    send_mail(subject, body, None, [user.email])


def send_membership_invitation_email(*, invitation_id: int, secret: str) -> None:
    """To the account's own address, in its own language; nothing the coordinator typed is in it
    but the choice of role."""
    invitation = (
        MembershipInvitation.objects.select_related("user", "network", "invited_by", "organisation")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.user is None or not invitation.user.email:
        return
    user = invitation.user
    path = reverse("networks:invitation", kwargs={"token": invitation_token(invitation, secret)})
    with translation.override(user.preferred_language):
        context = {
            "user": user,
            "network": invitation.network,
            "role": invitation.get_role_display(),
            "organisation": invitation.organisation,
            "invited_by": invitation.invited_by,
            "expires_at": invitation.expires_at,
            "url": settings.SITE_URL.rstrip("/") + path,
        }
        subject = _("Invitation to work in %(network)s") % {"network": invitation.network.name}
        body = render_to_string("networks/email/membership_invitation.txt", context)
    send_mail(subject, body, None, [user.email])
