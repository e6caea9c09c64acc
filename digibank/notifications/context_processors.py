"""``unread_notifications`` for the navigation: the number of the user's unread notifications.

Lazy: the count query runs only on pages whose template uses it.
"""

from django.utils.functional import SimpleLazyObject

from . import selectors


def notifications(request):
    membership = getattr(request, "membership", None)
    if membership is None or not membership.has("notification.view"):
        return {"unread_notifications": 0}
    return {"unread_notifications": SimpleLazyObject(lambda: selectors.unread_count(membership=membership))}
