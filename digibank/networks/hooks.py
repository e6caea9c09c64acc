"""What the networks app adds to the shell, the API and other apps' pages (plugins registries).

Called once from NetworksConfig.ready().
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from digibank.plugins.navigation import register_nav
from digibank.privacy.retention import register_retention

from .models import MembershipInvitation


def register() -> None:
    register_nav(
        key="network",
        label=_("Network settings"),
        url_name="networks:settings",
        permission="network.manage",
        order=130,
        sections=("networks",),
    )
    # An invitation names a username and who invited whom: once answered or expired (after the
    # period) it serves nobody; the membership it made is the record.
    register_retention(
        name="membership_invitations",
        model="networks.MembershipInvitation",
        period_setting="RETENTION_INVITATIONS_DAYS",
        rows=lambda cutoff: MembershipInvitation.objects.filter(
            Q(expires_at__lt=cutoff) | Q(accepted_at__lt=cutoff) | Q(withdrawn_at__lt=cutoff)
        ),
    )
