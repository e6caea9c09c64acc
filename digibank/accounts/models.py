"""Staff user accounts and personal API tokens."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from digibank.networks.scoping import NetworkOwned, NetworkQuerySet


class User(AbstractUser):
    """A person who works in one or more networks. Residents are not users."""

    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="nl"
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


TOKEN_PREFIX = "dgb_"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(NetworkQuerySet):
    def narrow_for(self, membership):
        """A token is its owner's: nobody else sees it, not even the coordinator."""
        return self.filter(user_id=membership.user_id)


class ApiToken(NetworkOwned):
    """A personal API token, bound to one network: it acts with the owner's role there.

    Only a SHA-256 hash is stored; the token itself is shown once when created.
    """

    visible_with = ("home.view",)
    objects = ApiTokenQuerySet.as_manager()

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, editable=False)
    prefix = models.CharField(_("starts with"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]
        constraints = [
            # Looked up by hash on every API call.
            models.UniqueConstraint(fields=["network", "key_hash"], name="apitoken_unique_hash_per_network"),
        ]
        indexes = [models.Index(fields=["key_hash"], name="apitoken_key_hash_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def generate() -> str:
        return TOKEN_PREFIX + secrets.token_urlsafe(32)
