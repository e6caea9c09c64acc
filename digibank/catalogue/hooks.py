"""What the catalogue app adds to the shell, the API and other apps' pages (plugins registries).

Called once from CatalogueConfig.ready().
"""

from django.utils.translation import gettext_lazy as _

from digibank.apikit.routers import register_router
from digibank.plugins.navigation import register_nav

from .api import router


def register() -> None:
    register_nav(
        key="services",
        label=_("Services"),
        url_name="catalogue:list",
        permission="service.view",
        order=80,
        sections=("catalogue",),
    )
    register_router("/services", router)
