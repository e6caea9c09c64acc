from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidentsConfig(AppConfig):
    name = "digibank.residents"
    verbose_name = _("Residents")

    def ready(self):
        from digibank.apikit.routers import register_router

        from .api import router

        register_router("/residents", router)
