"""What the devices app adds to the shell, the API and other apps' pages (plugins registries).

Called once from DevicesConfig.ready().
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from digibank.apikit.routers import register_router
from digibank.plugins.home import register_widget
from digibank.plugins.navigation import register_nav
from digibank.plugins.search import register_search

from . import selectors
from .api import router
from .donations.api import router as donations_router


def register() -> None:
    register_nav(
        key="devices",
        label=_("Devices"),
        url_name="devices:list",
        permission="device.view",
        order=50,
        sections=("devices",),
    )
    register_nav(
        key="my_repairs",
        label=_("My repair tasks"),
        url_name="devices:my_tasks",
        permission="repair.work",
        unless="device.view",
        order=50,
        sections=("devices",),
    )
    register_nav(
        key="donations",
        label=_("Donations"),
        url_name="donations:batch_list",
        permission="device.view",
        order=70,
        sections=("donations",),
    )
    register_search(
        key="devices",
        permission="device.view",
        find=selectors.device_search,
        template="devices/_search_results.html",
        exact=lambda device, query: (
            reverse("devices:detail", kwargs={"pk": device.pk})
            if device.asset_tag.lower() == query.strip().lower()
            else None
        ),
        order=10,
    )
    register_widget(
        key="my_repairs",
        template="devices/_home_repairs.html",
        permission="repair.work",
        context=selectors.home_repairs,
        order=20,
    )
    register_router("/devices", router)
    register_router("/donations", donations_router)
