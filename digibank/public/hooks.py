"""What the public app adds to the shell, the API and other apps' pages (plugins registries).

Called once from PublicConfig.ready().
"""

from django.utils.translation import gettext_lazy as _

from digibank.plugins.navigation import register_nav
from digibank.privacy.registry import APPLICANT, register_provider, register_subject_kind

from . import privacy


def register() -> None:
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
