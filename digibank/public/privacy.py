"""What the public site holds about people who are not residents, for the privacy registry.

A volunteer applicant ("applicant") is a person with only their application: its id is
theirs. Erasure keeps the row (the reference, the status, the roles and the date, for the
figures) and blanks who they are and what they wrote.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from digibank.privacy.registry import Section, Subject, SubjectRef

from .models import VolunteerApplication

MODELS = ["public.VolunteerApplication"]
ERASED_NAME = "—"
# An application must keep a way to reach someone (volunteerapplication_contact): a placeholder.
ERASED_EMAIL = "erased@invalid"


def describe_applicants(membership, ids: list[int]) -> dict[int, SubjectRef]:
    return {
        application.pk: SubjectRef(
            label=application.name, url=reverse("public:application", kwargs={"pk": application.pk})
        )
        for application in VolunteerApplication.objects.visible_to(membership)
        .filter(pk__in=ids)
        .only("pk", "name")
    }


def _applications(subject: Subject):
    return VolunteerApplication.objects.in_network(subject.network_id).filter(pk=subject.id)


def applicant_export(subject: Subject) -> list[Section]:
    return [
        Section(
            key="volunteer_application",
            title=_("Volunteer application"),
            columns=[
                ("reference", _("Reference")),
                ("name", _("Name")),
                ("email", _("E-mail")),
                ("phone", _("Phone")),
                ("motivation", _("Motivation")),
                ("status_label", _("Status")),
                ("staff_notes", _("Notes of the team")),
            ],
            rows=[
                {
                    "reference": a.reference,
                    "name": a.name,
                    "email": a.email,
                    "phone": a.phone,
                    "languages": a.languages,
                    "availability": a.availability_labels(),
                    "roles": a.role_labels(),
                    "motivation": a.motivation,
                    "status": a.status,
                    "status_label": a.get_status_display(),
                    "staff_notes": a.staff_notes,
                    "created_at": a.created_at,
                }
                for a in _applications(subject)
            ],
        )
    ]


def applicant_erase(subject: Subject) -> None:
    _applications(subject).update(
        name=ERASED_NAME, email=ERASED_EMAIL, phone="", motivation="", staff_notes="", district_ids=[]
    )
