from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "digibank.catalogue"
    verbose_name = _("Service catalogue")

    def ready(self):
        from digibank.residents.panels import register_panel

        from . import selectors

        register_panel(
            key="internet_tariff",
            template="catalogue/_resident_tariff_panel.html",
            permission="resident.view",
            order=40,
            context=lambda membership, resident: {
                "tariff_applications": selectors.tariff_applications_of(
                    membership=membership, resident=resident
                ),
                "can_change": membership.has("resident.change") and not resident.is_erased,
            },
        )
