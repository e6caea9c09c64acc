"""What the audit app adds to the shell, the API and other apps' pages (plugins registries).

Called once from AuditConfig.ready().
"""

from django.utils.translation import gettext_lazy as _

from digibank.plugins.navigation import register_nav
from digibank.privacy.registry import ALL_KINDS, Subject, register_provider
from digibank.privacy.retention import register_retention

from .models import AuditEntry
from .selectors import audit_export
from .services import audit_scrub_sources


def _erase(subject: Subject) -> None:
    # Who did what and when stays (accountability); only query strings in sources go.
    audit_scrub_sources(network_id=subject.network_id, subject_kind=subject.kind, subject_id=subject.id)


def register() -> None:
    register_nav(
        key="audit",
        label=_("Audit trail"),
        url_name="audit:list",
        permission="audit.view",
        order=120,
        sections=("audit",),
    )
    register_provider(
        name="audit",
        models=["audit.AuditEntry"],
        kinds=[ALL_KINDS],
        export=audit_export,
        erase=_erase,
    )
    register_retention(
        name="audit_entries",
        model="audit.AuditEntry",
        period_setting="RETENTION_AUDIT_DAYS",
        rows=lambda cutoff: AuditEntry.objects.filter(at__lt=cutoff),
    )
