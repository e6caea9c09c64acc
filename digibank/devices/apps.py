from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevicesConfig(AppConfig):
    name = "digibank.devices"
    verbose_name = _("Devices")

    def ready(self):
        from digibank.apikit.routers import register_router

        from .api import router
        from .donations.api import router as donations_router

        register_router("/devices", router)
        register_router("/donations", donations_router)
