from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "digibank.referrals"
    verbose_name = _("Requests and referrals")

    def ready(self):
        from digibank.apikit.routers import register_router

        from .api import router

        register_router("", router)

        from digibank.residents.panels import register_panel

        from . import erasure, selectors  # noqa: F401 (erasure registers its step)
        from .tariffs import selectors as tariff_selectors

        register_panel(
            key="requests",
            template="referrals/_resident_requests.html",
            permission="request.view",
            order=20,
            context=lambda membership, resident: {
                "show": True,
                "requests": selectors.resident_requests(membership=membership, resident=resident),
                "can_create": membership.has("request.create"),
            },
        )
        register_panel(
            key="internet_tariff",
            template="tariffs/_resident_panel.html",
            permission="resident.view",
            order=40,
            context=lambda membership, resident: {
                "tariff_applications": tariff_selectors.tariff_applications_of(
                    membership=membership, resident=resident
                ),
                "can_change": membership.has("resident.change") and not resident.is_erased,
            },
        )
