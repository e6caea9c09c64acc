from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidentsConfig(AppConfig):
    name = "digibank.residents"
    verbose_name = _("Residents")

    def ready(self):
        from . import hooks  # noqa: PLC0415 -- the app registry is ready only now

        hooks.register()
