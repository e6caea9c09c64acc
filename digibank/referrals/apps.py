from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "digibank.referrals"
    verbose_name = _("Requests and referrals")

    def ready(self):
        from digibank.residents.panels import register_panel

        from . import erasure, selectors  # noqa: F401 (erasure registers its step)

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
