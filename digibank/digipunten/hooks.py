"""What the digipunten app adds to the shell, the API and other apps' pages (plugins registries).

Called once from DigipuntenConfig.ready().
"""

from django.utils.translation import gettext_lazy as _

from digibank.apikit.routers import register_router
from digibank.networks.roles import Role
from digibank.plugins.home import register_widget
from digibank.plugins.navigation import register_nav
from digibank.privacy.registry import BOOKER, RESIDENT, register_provider, register_subject_kind

from . import privacy, selectors
from .api import router


def register() -> None:
    register_subject_kind(
        kind=BOOKER, label=_("booker"), model="digipunten.Appointment", describe=privacy.describe_bookers
    )
    register_provider(
        name="digipunten",
        models=privacy.MODELS,
        kinds=[RESIDENT, BOOKER],
        export=privacy.digipunten_export,
        erase=privacy.digipunten_erase,
    )
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
    # Digipunt staff and helpers come to the home page to register a question: it comes first.
    register_widget(
        key="register_help",
        template="digipunten/_home_help.html",
        permission="helpcontact.register",
        context=lambda request: {},
        order=5,
        roles=(Role.DIGIPUNT_STAFF, Role.VOLUNTEER),
        action=True,
    )
    register_widget(
        key="my_shifts",
        template="digipunten/_home_shifts.html",
        permission="shift.signup",
        context=selectors.home_shifts,
        order=30,
    )
    register_router("/digipunten", router)
