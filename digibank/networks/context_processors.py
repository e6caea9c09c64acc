from .roles import PERMISSIONS


class _Perms:
    """Template helper: ``{% if perms_here.resident_view %}`` for the current membership."""

    def __init__(self, membership):
        self.membership = membership

    def __getattr__(self, name: str) -> bool:
        code = name.replace("_", ".", 1)
        if code not in PERMISSIONS:
            raise AttributeError(name)
        return bool(self.membership and self.membership.has(code))


def network(request):
    membership = getattr(request, "membership", None)
    other = []
    if membership is not None:
        other = [
            m for m in request.user.memberships.active().select_related("network") if m.pk != membership.pk
        ]
    return {
        "current_network": getattr(request, "network", None),
        "current_membership": membership,
        "other_memberships": other,
        "can": _Perms(membership),
    }
