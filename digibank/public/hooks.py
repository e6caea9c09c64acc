"""What the public app adds to the shell, the API and other apps' pages (plugins registries).

Called once from PublicConfig.ready().
"""

from django.utils.translation import gettext_lazy as _

from digibank.plugins.navigation import register_nav
from digibank.privacy.registry import APPLICANT, register_provider, register_subject_kind
from digibank.privacy.retention import register_retention

from . import privacy


def _register_retention() -> None:
    register_retention(
        name="form_tokens",
        model="public.FormSubmission",
        period_setting="RETENTION_FORM_TOKENS_DAYS",
        rows=privacy.old_form_tokens,
    )
    register_retention(
        name="rate_counters",
        model="public.RateCounter",
        period_setting="RETENTION_RATE_COUNTERS_DAYS",
        rows=privacy.old_rate_counters,
    )
    register_retention(
        name="unanswered_volunteer_applications",
        model="public.VolunteerApplication",
        period_setting="RETENTION_UNANSWERED_APPLICATIONS_DAYS",
        rows=privacy.unanswered_applications,
        apply=privacy.applications_delete,
    )
    register_retention(
        name="unanswered_donation_offers",
        model="public.DonationOffer",
        period_setting="RETENTION_UNANSWERED_DONATION_OFFERS_DAYS",
        rows=privacy.unanswered_offers,
    )


def register() -> None:
    _register_retention()
    register_subject_kind(
        kind=APPLICANT,
        label=_("volunteer applicant"),
        model="public.VolunteerApplication",
        describe=privacy.describe_applicants,
    )
    register_provider(
        name="public",
        models=privacy.MODELS,
        kinds=[APPLICANT],
        export=privacy.applicant_export,
        erase=privacy.applicant_erase,
    )
    register_nav(
        key="public_inbox",
        label=_("Public site inbox"),
        url_name="public:inbox",
        permission="public.inbox",
        order=100,
        views=("public:inbox",),
    )
    register_nav(
        key="public_texts",
        label=_("Public site texts"),
        url_name="public:texts",
        permission="public.manage",
        order=110,
        views=("public:texts",),
    )
