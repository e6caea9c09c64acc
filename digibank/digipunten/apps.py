from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DigipuntenConfig(AppConfig):
    name = "digibank.digipunten"
    verbose_name = _("Digipunten and help hours")

    def ready(self):
        from . import hooks  # noqa: PLC0415 -- the app registry is ready only now

        hooks.register()
