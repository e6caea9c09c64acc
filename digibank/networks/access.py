"""Access control for views: one decorator per kind of page, and object look-ups that 404.

Every view in urls.py is wrapped in exactly one of these decorators. Each records what it
requires on the view (``view.access``) so the authorization test can walk every URL
pattern and know what each role should get, without a list kept by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest
from django.shortcuts import redirect
from django_otp import user_has_device

from .roles import PERMISSIONS

PUBLIC = "public"
LOGIN = "login"


@dataclass(frozen=True)
class Access:
    """What a view requires: ``PUBLIC``, ``LOGIN`` (any signed-in user) or a permission code.

    ``model`` names the model whose primary key the URL carries as ``pk``, so the test can
    pick an object of the right network for it.
    """

    requirement: str
    model: type[models.Model] | None = None


def public_view(view):
    view.access = Access(PUBLIC)
    return view


def login_view(view):
    """Signed-in user, with or without a network (profile, two-factor set-up, network switch)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapper.access = Access(LOGIN)
    return wrapper


def two_factor_redirect(request: HttpRequest):
    """Where to send a member who must pass two-factor first, or None.

    A user with a confirmed device always verifies (even where the network does not demand
    it, and in sessions that began before they turned it on); a network that demands it
    sends users without a device to the set-up page.
    """
    if request.user.is_verified():
        return None
    if user_has_device(request.user, confirmed=True):
        return redirect_to_login(request.get_full_path(), login_url="accounts:two_factor_verify")
    network = request.network
    if network is not None and network.require_two_factor:
        return redirect_to_login(request.get_full_path(), login_url="accounts:two_factor_setup")
    return None


def staff_view(permission: str, *, model: type[models.Model] | None = None):
    """Signed-in member of the current network whose role holds ``permission``.

    No role permission -> 403 (the page exists for others); objects are looked up with
    ``get_visible_or_404`` so another network's or partner's objects are 404.
    """
    if permission not in PERMISSIONS:
        raise ValueError(f"Unknown permission {permission!r}")

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = request.membership
            if membership is None:
                return redirect("networks:none")
            if (response := two_factor_redirect(request)) is not None:
                return response
            if not membership.has(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.access = Access(permission, model)
        return wrapper

    return decorator


def require(membership, permission: str) -> None:
    """Raise PermissionDenied unless the membership holds ``permission`` (for actions inside a view)."""
    if membership is None or not membership.has(permission):
        raise PermissionDenied


def get_visible_or_404(model: type[models.Model], membership, **lookup):
    """The object if this membership may see it, else 404 — never 403, to not leak existence."""
    try:
        return model.objects.visible_to(membership).get(**lookup)
    except (model.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
