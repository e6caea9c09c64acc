"""Networks (tenants), their districts and who works in them with which role."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .roles import ROLES_WITH_ORGANISATION, Role, role_has
from .scoping import NetworkOwned, NetworkQuerySet


class Network(models.Model):
    """One local digibank, e.g. "Iedereen Digitaal @ Leuven". Everything else hangs under one.

    In a distributed PostgreSQL this is the distribution key; the table itself is small and
    would become a reference table.
    """

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    require_two_factor = models.BooleanField(
        _("two-factor authentication mandatory"),
        default=False,
        help_text=_("Every member must log in with a code from an authenticator app."),
    )
    is_demo = models.BooleanField(_("demo network"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class District(NetworkOwned):
    """A district (deelgemeente) of the network's city, with the postcodes it covers."""

    visible_with = ("home.view",)

    name = models.CharField(_("name"), max_length=100)
    postcodes = models.CharField(
        _("postcodes"), max_length=200, blank=True, help_text=_("Separated by commas, e.g. 3000, 3001")
    )

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="district_unique_name_per_network"),
        ]

    def __str__(self) -> str:
        return self.name

    def postcode_list(self) -> list[str]:
        return [p.strip() for p in self.postcodes.split(",") if p.strip()]


class MembershipQuerySet(NetworkQuerySet):
    def active(self):
        return self.filter(is_active=True)


class Membership(NetworkOwned):
    """A user's place in a network: their role and, for partner roles, their organisation."""

    visible_with = ("network.manage", "audit.view")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("organisation"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The last time the membership was deactivated: what was issued for it before (API tokens)
    # stays dead when it is reactivated.
    deactivated_at = models.DateTimeField(_("last deactivated at"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["network", "user"], name="membership_one_per_user_per_network"),
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in Role]), name="membership_role_valid"
            ),
            models.CheckConstraint(
                condition=~Q(role__in=sorted(r.value for r in ROLES_WITH_ORGANISATION))
                | Q(organisation__isnull=False),
                name="membership_partner_roles_have_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} @ {self.network}"

    def has(self, permission: str) -> bool:
        return self.is_active and role_has(self.role, permission)


class MembershipInvitationQuerySet(NetworkQuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, withdrawn_at__isnull=True)


class MembershipInvitation(NetworkOwned):
    """An invitation for someone who already has an account to join this network.

    The coordinator types a username; whether it exists is never shown to them: the owner of
    that account (if any) gets an e-mail with a link and becomes a member only by accepting.
    ``user`` is the account the username named (null when none did); the coordinator's pages
    show only what they typed.
    """

    visible_with = ("network.manage",)

    username = models.CharField(_("username"), max_length=150)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    # SHA-256 of the secret in the e-mailed link; the secret itself is never stored.
    token_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    objects = MembershipInvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership invitation")
        verbose_name_plural = _("membership invitations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["network", "token_hash"], name="invitation_token_unique"),
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in Role]), name="invitation_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(withdrawn_at__isnull=True),
                name="invitation_not_accepted_and_withdrawn",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.username} → {self.network}"
