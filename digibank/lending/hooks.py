"""What the lending app adds to the shell, the API and other apps' pages (plugins registries).

Called once from LendingConfig.ready().
"""

from django.utils.translation import gettext_lazy as _

from digibank.apikit.routers import register_router
from digibank.catalogue.models import ServiceKind
from digibank.catalogue.ports import register_delivery
from digibank.devices.history import register_history_source
from digibank.plugins.home import register_widget
from digibank.plugins.navigation import register_nav
from digibank.plugins.panels import register_panel
from digibank.privacy.registry import RESIDENT, register_provider

from . import home, privacy, selectors
from .api import router
from .delivery import LendingDelivery


def register() -> None:
    register_provider(
        name="lending",
        models=privacy.MODELS,
        kinds=[RESIDENT],
        export=privacy.lending_export,
        erase=privacy.lending_erase,
    )
    register_delivery(ServiceKind.DEVICE_LOAN, LendingDelivery())
    register_nav(
        key="lending",
        label=_("Lending"),
        url_name="lending:loans",
        permission="loan.view",
        order=60,
        sections=("lending",),
    )
    register_router("/lending", router)
    register_history_source(key="loans", source=selectors.device_loan_history)
    register_panel(
        page="stock_overview",
        key="lending",
        template="lending/_stock_overview.html",
        permission="device.view",
        order=20,
        context=lambda membership, network: {"lending": selectors.lending_overview(network)},
    )
    register_panel(
        page="resident",
        key="lending",
        template="lending/_resident_summary.html",
        permission="loan.view",
        order=30,
        context=lambda membership, resident: {
            "summary": selectors.resident_lending_summary(resident, membership)
        },
    )
    register_widget(
        key="lending_handovers",
        template="lending/_home_handovers.html",
        permission="loan.manage",
        context=home.home_handovers,
        order=30,
    )
