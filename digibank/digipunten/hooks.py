"""What the digipunten app adds to the shell, the API and other apps' pages (plugins registries).

Called once from DigipuntenConfig.ready().
"""

from django.utils.translation import gettext_lazy as _

from digibank.apikit.routers import register_router
from digibank.plugins.navigation import register_nav

from .api import router


def register() -> None:
    register_nav(
        key="help",
        label=_("Register help"),
        url_name="digipunten:help",
        permission="helpcontact.register",
        order=30,
        views=("digipunten:help",),
    )
    register_nav(
        key="digipunten",
        label=_("Digipunten"),
        url_name="digipunten:list",
        permission="digipunt.view",
        order=40,
        sections=("digipunten",),
        not_views=("digipunten:help",),
    )
    register_router("/digipunten", router)
