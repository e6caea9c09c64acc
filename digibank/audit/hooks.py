"""What the audit app adds to the shell, the API and other apps' pages (plugins registries).

Called once from AuditConfig.ready().
"""

from django.utils.translation import gettext_lazy as _

from digibank.plugins.navigation import register_nav


def register() -> None:
    register_nav(
        key="audit",
        label=_("Audit trail"),
        url_name="audit:list",
        permission="audit.view",
        order=120,
        sections=("audit",),
    )
