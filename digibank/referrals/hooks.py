"""What the referrals app adds to the shell, the API and other apps' pages (plugins registries).

Called once from ReferralsConfig.ready().
"""

from django.utils.translation import gettext_lazy as _

from digibank.apikit.routers import register_router
from digibank.catalogue.ports import register_request_ports
from digibank.plugins.home import register_widget
from digibank.plugins.navigation import register_nav
from digibank.plugins.panels import register_panel
from digibank.privacy.registry import RESIDENT, register_provider

from . import privacy, selectors, services
from .api import router
from .tariffs import selectors as tariff_selectors


def register() -> None:
    register_provider(
        name="referrals",
        models=privacy.MODELS,
        kinds=[RESIDENT],
        export=privacy.referrals_export,
        erase=privacy.referrals_erase,
    )
    register_request_ports(take=services.request_create, referring=selectors.referring_organisations)
    register_nav(
        key="requests",
        label=_("Requests"),
        url_name="referrals:list",
        permission="request.view",
        order=20,
        sections=("referrals", "tariffs"),
    )
    register_widget(
        key="triage",
        template="referrals/_home_triage.html",
        permission="request.triage",
        context=selectors.home_triage,
        order=10,
    )
    register_router("", router)
    register_panel(
        page="resident",
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
        page="resident",
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
