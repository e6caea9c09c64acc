"""What the outbox adds to the shell (plugins registries). Called once from MessagingConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from digibank.plugins.home import register_widget
from digibank.plugins.navigation import register_nav
from digibank.privacy.registry import APPLICANT, BOOKER, RESIDENT, register_provider
from digibank.privacy.retention import register_retention

from . import privacy, selectors, services

PERMISSION = "network.manage"


def _failed_widget(request):
    count = selectors.failed_count(membership=request.membership)
    return {"count": count} if count else None


def register() -> None:
    register_retention(
        name="sent_message_texts",
        model="messaging.OutboundMessage",
        period_setting="RETENTION_SENT_MESSAGES_DAYS",
        rows=services.finished_messages_with_text,
        apply=services.messages_blank,
    )
    register_provider(
        name="messaging",
        models=privacy.MODELS,
        kinds=[RESIDENT, BOOKER, APPLICANT],
        export=privacy.messages_export,
        erase=privacy.messages_erase,
    )
    register_nav(
        key="outbox",
        label=_("Outbox"),
        url_name="messaging:outbox",
        permission=PERMISSION,
        order=145,
        sections=("messaging",),
    )
    register_widget(
        key="outbox_failed",
        template="messaging/_home_failed.html",
        permission=PERMISSION,
        context=_failed_widget,
        order=90,
    )
