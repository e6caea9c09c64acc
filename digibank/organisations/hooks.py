"""What the organisations app adds to the shell, the API and other apps' pages (plugins registries).

Called once from OrganisationsConfig.ready().
"""

from django.utils.translation import gettext_lazy as _

from digibank.apikit.routers import register_router
from digibank.plugins.navigation import register_nav

from .api import router


def register() -> None:
    register_nav(
        key="organisations",
        label=_("Organisations"),
        url_name="organisations:list",
        permission="organisation.view",
        order=90,
        sections=("organisations",),
    )
    register_router("/organisations", router)
