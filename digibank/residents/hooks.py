"""What the residents app adds to the shell, the API and other apps' pages (plugins registries).

Called once from ResidentsConfig.ready().
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from digibank.apikit.routers import register_router
from digibank.plugins.navigation import register_nav
from digibank.privacy.registry import RESIDENT, SubjectRef, register_provider, register_subject_kind

from . import selectors, services
from .api import router
from .models import Resident


def _describe(membership, ids: list[int]) -> dict[int, SubjectRef]:
    return {
        resident.pk: SubjectRef(
            label=resident.full_name, url=reverse("residents:audit", kwargs={"pk": resident.pk})
        )
        for resident in Resident.objects.visible_to(membership)
        .filter(pk__in=ids)
        .only("pk", "first_name", "last_name")
    }


def register() -> None:
    register_nav(
        key="residents",
        label=_("Residents"),
        url_name="residents:list",
        permission="resident.view",
        order=10,
        sections=("residents",),
    )
    register_router("/residents", router)
    register_subject_kind(kind=RESIDENT, label=_("resident"), model="residents.Resident", describe=_describe)
    register_provider(
        name="residents",
        models=[
            "residents.Resident",
            "residents.EligibilityProof",
            "residents.ResidentAccess",
            "residents.TimelineEntry",
        ],
        kinds=[RESIDENT],
        export=selectors.resident_export_sections,
        erase=services.resident_blank,
    )
