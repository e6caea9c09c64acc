"""What the notifications app adds to the shell, the API and other apps' pages (plugins registries).

Called once from NotificationsConfig.ready().
"""

from django.utils.translation import gettext_lazy as _

from digibank.plugins.navigation import register_nav

from . import selectors


def register() -> None:
    register_nav(
        key="notifications",
        label=_("Notifications"),
        url_name="notifications:list",
        permission="notification.view",
        order=140,
        sections=("notifications",),
        badge=lambda membership: selectors.unread_count(membership=membership),
        badge_label=_("unread"),
    )
