"""Access control for views: one decorator per kind of page, and object look-ups that 404.

Every view in urls.py is wrapped in exactly one of these decorators. Each records what it
requires on the view (``view.access``) so the authorization test can walk every URL
pattern and know what each role should get, without a list kept by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import (
    PermissionDenied,
    ValidationError,
)
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

    ``model`` names the model of the object the view works on; ``lookup`` the field it is found
    by and ``source`` where the value comes from: the URL keyword ``pk`` (default), another URL
    keyword (``"url:token"``) or a query parameter (``"query:tag"``). The authorization walk
    reads this to address a real object of each network.
    """

    requirement: str
    model: type[models.Model] | None = None
    lookup: str = "pk"
    source: str = "url:pk"
    # How an object is written in the URL when that is not one of its fields (a signed token,
    # an HSDS id): ``key(obj) -> str``. Only the public site needs it.
    key: Callable | None = None
    # Which objects the URL can name at all (a cancellation link exists only for web bookings):
    # the walk picks one of those.
    among: tuple = ()

    def value_for(self, obj) -> str:
        return str(self.key(obj) if self.key else getattr(obj, self.lookup))

    @property
    def source_kind(self) -> str:
        return self.source.split(":", 1)[0]

    @property
    def personal(self) -> bool:
        """Whether the page may show personal data: every staff page, and a public page reached
        through a personal link (a booking's cancellation link, a form's status link)."""
        return self.requirement != PUBLIC or "token" in self.source

    @property
    def source_name(self) -> str:
        return self.source.split(":", 1)[1]


def public_view(
    view=None, *, model=None, lookup: str = "pk", source: str = "url:pk", key=None, among: tuple = ()
):
    """Anyone, signed in or not. The public site finds its objects itself, always within the
    network named in the URL; ``model`` (with ``lookup``/``source``/``key`` as for staff_view)
    declares which object the URL names, so the walk can try one of another network."""

    def decorate(func):
        func.access = Access(PUBLIC, model, lookup, source, key, among)
        return func

    return decorate(view) if view is not None else decorate


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


def _scoped_object(access: Access, request: HttpRequest, kwargs: dict, related: tuple[str, ...]):
    """The object the view works on, among what this membership may see; 404 otherwise (never 403:
    another network's or partner's objects must look as if they did not exist)."""
    if access.source_kind == "url":
        value = kwargs.pop(access.source_name)
    else:
        value = (request.GET.get(access.source_name) or request.POST.get(access.source_name) or "").strip()
    if value in ("", None):
        raise Http404
    lookup = access.lookup if access.lookup == "pk" else f"{access.lookup}__iexact"
    queryset = access.model.objects.visible_to(request.membership).for_action(access.requirement)
    if related:
        queryset = queryset.select_related(*related)
    try:
        return queryset.get(**{lookup: value})
    except (
        access.model.DoesNotExist,
        access.model.MultipleObjectsReturned,
        ValueError,
        ValidationError,
    ) as exc:
        raise Http404 from exc


def staff_view(
    permission: str,
    *,
    model: type[models.Model] | None = None,
    lookup: str = "pk",
    source: str = "url:pk",
    related: tuple[str, ...] = (),
):
    """Signed-in member of the current network whose role holds ``permission``.

    No role permission -> 403 (the page exists for others). With ``model``, the decorator looks
    the object up itself — ``model.objects.visible_to(membership)`` by ``lookup`` (``pk``, or a
    field matched case-insensitively, e.g. ``asset_tag``) from ``source`` — and passes it to the
    view as its second argument (``related``: select_related for the page); an object of
    another network or partner, or a missing one, is 404.
    """
    if permission not in PERMISSIONS:
        raise ValueError(f"Unknown permission {permission!r}")
    access = Access(permission, model, lookup, source)

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
            if model is not None:
                return view(request, _scoped_object(access, request, kwargs, related), *args, **kwargs)
            return view(request, *args, **kwargs)

        wrapper.access = access
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
