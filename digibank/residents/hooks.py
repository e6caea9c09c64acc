"""What the residents app adds to the shell, the API and other apps' pages (plugins registries).

Called once from ResidentsConfig.ready().
"""

from django.utils.translation import gettext_lazy as _

from digibank.apikit.routers import register_router
from digibank.plugins.navigation import register_nav

from .api import router


def register() -> None:
    register_nav(
        key="residents",
        label=_("Residents"),
        url_name="residents:list",
        permission="resident.view",
        order=10,
        sections=("residents",),
    )
    register_router("/residents", router)
