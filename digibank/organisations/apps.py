from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "digibank.organisations"
    verbose_name = _("Organisations")

    def ready(self):
        from . import hooks  # noqa: PLC0415 -- the app registry is ready only now

        hooks.register()
