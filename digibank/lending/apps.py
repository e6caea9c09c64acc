from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LendingConfig(AppConfig):
    name = "digibank.lending"
    verbose_name = _("Lending")

    def ready(self):
        from digibank.apikit.routers import register_router

        from .api import router

        register_router("/lending", router)

        from digibank.residents.panels import register_panel

        from . import selectors

        register_panel(
            key="lending",
            template="lending/_resident_summary.html",
            permission="loan.view",
            order=30,
            context=lambda membership, resident: {
                "summary": selectors.resident_lending_summary(resident, membership)
            },
        )
