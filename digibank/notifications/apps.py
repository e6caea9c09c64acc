from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "digibank.notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from . import hooks  # noqa: PLC0415 -- the app registry is ready only now

        hooks.register()
