"""What the public site holds about people who are not residents, for the privacy registry.

A volunteer applicant ("applicant") is a person with only their application: its id is
theirs. Erasure keeps the row (the reference, the status, the roles and the date, for the
figures) and blanks who they are and what they wrote.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from digibank.privacy.registry import APPLICANT, Section, Subject, SubjectRef, subject_erase

from .models import (
    ApplicationStatus,
    DonationOffer,
    FormSubmission,
    OfferStatus,
    RateCounter,
    VolunteerApplication,
)

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


# --- retention (registered in hooks.py; periods in settings.py, docs/privacy.md) -----------


def old_form_tokens(cutoff):
    # A token only guards against a second POST of the same form and shows its thank-you page.
    return FormSubmission.objects.filter(created_at__lt=cutoff)


def old_rate_counters(cutoff):
    # ratelimit.py clears a network's old minutes as new hits come in; this catches the rest.
    return RateCounter.objects.filter(minute__lt=cutoff)


def unanswered_applications(cutoff):
    return VolunteerApplication.objects.filter(status=ApplicationStatus.NEW, created_at__lt=cutoff)


def applications_delete(rows) -> int:
    """Erase each applicant through the privacy registry (their messages, audit sources …),
    then delete the applications."""
    pairs = list(rows.values_list("network_id", "pk"))
    for network_id, pk in pairs:
        subject_erase(Subject(APPLICANT, pk, network_id=network_id))
    _total, per_model = VolunteerApplication.objects.filter(pk__in=[pk for _, pk in pairs]).delete()
    return per_model.get(VolunteerApplication._meta.label, 0)


def unanswered_offers(cutoff):
    return DonationOffer.objects.filter(status=OfferStatus.NEW, created_at__lt=cutoff)
