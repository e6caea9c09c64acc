"""What the networks app adds to the shell, the API and other apps' pages (plugins registries).

Called once from NetworksConfig.ready().
"""

from django.utils.translation import gettext_lazy as _

from digibank.plugins.navigation import register_nav


def register() -> None:
    register_nav(
        key="network",
        label=_("Network settings"),
        url_name="networks:settings",
        permission="network.manage",
        order=130,
        sections=("networks",),
    )
