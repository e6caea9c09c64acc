"""Personal API tokens: ``Authorization: Bearer dgb_...`` -> user, network and membership.

Every operation declares the permission it needs with ``**requires("resident.view")``, the
API's counterpart of ``staff_view``. The check runs before the request body is read, so
the order of answers is the same as in the UI: 401 (who are you?), 403 (your role may not),
then 404 (not visible to you) or 422 (bad input).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from django_otp import user_has_device
from ninja.errors import AuthenticationError, AuthorizationError, HttpError
from ninja.security import HttpBearer

from digibank.accounts import selectors, services
from digibank.networks.roles import PERMISSIONS


class TokenAuth(HttpBearer):
    """Authenticates the token and checks the permission of the owner's role in its network."""

    def __init__(self, permission: str, model: type[models.Model] | None = None):
        if permission not in PERMISSIONS:
            raise ValueError(f"Unknown permission {permission!r}")
        self.permission = permission
        self.model = model
        super().__init__()

    def __call__(self, request: HttpRequest):
        scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthenticationError(
                message=_("Authentication required: send the header 'Authorization: Bearer <your token>'.")
            )
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str):
        found = selectors.api_token_authenticate(token)
        if found is None:
            raise AuthenticationError(
                message=_("The token is unknown or revoked, or its owner no longer works in its network.")
            )
        api_token, membership = found
        services.api_token_touch(token=api_token)
        # The API acts as the token's owner in the token's network, whatever cookie came along.
        request.user = membership.user
        request.membership = membership
        request.network = membership.network
        request.api_token = api_token
        _speak_the_owners_language(request, membership.user)
        if membership.network.require_two_factor and not user_has_device(membership.user, confirmed=True):
            raise AuthorizationError(
                message=_(
                    "Your network requires two-factor authentication: set it up in Digibank "
                    "(your profile) before you use the API."
                )
            )
        if not membership.has(self.permission):
            message = _("Your role may not do this (it needs the permission %(permission)s).")
            raise AuthorizationError(message=message % {"permission": self.permission})
        self._check_object_visible(request, membership)
        return membership

    def _check_object_visible(self, request: HttpRequest, membership) -> None:
        """An object of another network or partner is 404 before its body is even read (no 422 first)."""
        pk = getattr(request.resolver_match, "kwargs", {}).get("pk") if request.resolver_match else None
        if self.model is None or pk is None:
            return
        # Not a database id at all ("abc", 30 digits) names nothing: 404, as an unknown id does.
        if not str(pk).isdigit() or int(pk) > MAX_ID:
            raise HttpError(404, _("Not found."))
        if not self.model.objects.visible_to(membership).filter(pk=pk).exists():
            raise HttpError(404, _("Not found."))


MAX_ID = 2**63 - 1


def _speak_the_owners_language(request: HttpRequest, user) -> None:
    """Messages in the token owner's language (their profile), unless the caller asked for one."""
    asked = request.headers.get("Accept-Language", "").strip()
    if asked and asked != "*":
        return
    language = user.preferred_language or settings.LANGUAGE_CODE
    translation.activate(language)
    request.LANGUAGE_CODE = language


def requires(permission: str, *, model: type[models.Model] | None = None) -> dict:
    """Keyword arguments for a router operation: token auth with ``permission``.

    The permission (and, for a ``{pk}`` path, the model it names) is also written into the
    OpenAPI document as ``x-permission``/``x-model``: clients can read what a call needs,
    and tests/api/test_api_walk.py reads the same to know what every role must get.
    """
    extra = {"x-permission": permission}
    if model is not None:
        extra["x-model"] = model._meta.label
    return {"auth": TokenAuth(permission, model), "openapi_extra": extra}
