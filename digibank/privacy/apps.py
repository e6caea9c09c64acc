from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "digibank.privacy"
    verbose_name = _("Privacy")

    def ready(self):
        from . import builtin_retention  # noqa: PLC0415 -- the app registry is ready only now

        builtin_retention.register()
