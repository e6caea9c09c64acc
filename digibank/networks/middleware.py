"""Resolves the current network and the user's membership in it once per request, and keeps
responses with personal data out of every cache."""

from django.conf import settings
from django.utils.cache import add_never_cache_headers, patch_cache_control

SESSION_KEY = "digibank_network_id"


def _resolve(request):
    user = request.user
    if not user.is_authenticated:
        return None
    memberships = user.memberships.active().select_related("network", "organisation")
    wanted = request.session.get(SESSION_KEY)
    chosen = None
    if wanted is not None:
        chosen = next((m for m in memberships if m.network_id == wanted), None)
    if chosen is None:
        # Without a choice in the session: the network the user joined first.
        chosen = min(memberships, key=lambda m: m.pk, default=None)
    return chosen


class CurrentNetworkMiddleware:
    """Sets ``request.membership`` (or None) and ``request.network`` (or None).

    Resolved eagerly: one query for a signed-in user, none for an anonymous visitor.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = _resolve(request)
        request.network = request.membership.network if request.membership else None
        response = self.get_response(request)
        if holds_personal_data(request):
            # On a shared computer at a digipunt nothing of it may stay in the browser's cache.
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response


def holds_personal_data(request) -> bool:
    """A signed-in member's pages and files, API answers, and public pages behind a personal link."""
    if request.user.is_authenticated or request.path.startswith(settings.API_PATH_PREFIX):
        return True
    match = getattr(request, "resolver_match", None)
    access = getattr(getattr(match, "func", None), "access", None)
    return bool(access is not None and access.personal)
