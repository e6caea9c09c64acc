"""Resolves the current network and the user's membership in it once per request."""

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
        return self.get_response(request)
