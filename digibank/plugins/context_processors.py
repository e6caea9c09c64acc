"""``nav_links`` for the staff layout (lazy: public pages never build the navigation)."""

from django.utils.functional import SimpleLazyObject

from .navigation import nav_for


def shell(request):
    return {"nav_links": SimpleLazyObject(lambda: nav_for(request))}
