from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "digibank.catalogue"
    verbose_name = _("Service catalogue")

    def ready(self):
        from . import hooks  # noqa: PLC0415 -- the app registry is ready only now

        hooks.register()
