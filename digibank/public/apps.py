from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "digibank.public"
    verbose_name = _("Public site")

    def ready(self):
        from . import hooks  # noqa: PLC0415 -- the app registry is ready only now

        hooks.register()
