"""Reads about residents. Every function starts from a scoped queryset (visible_to / in_network)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from digibank.networks.access import get_visible_or_404
from digibank.networks.models import District
from digibank.privacy.registry import RESIDENT, Section, Subject, subject_export

from .models import EligibilityProof, Resident, ResidentAccess, TimelineEntry

RESIDENTS_PER_PAGE = 25

# What the resident page shows, recorded as the "fields" of its audit entry.
DETAIL_FIELDS = [
    "first_name",
    "last_name",
    "birth_year",
    "district",
    "postcode",
    "languages",
    "preferred_channel",
    "phone",
    "email",
    "do_not_contact",
    "street",
    "city",
    "legal_basis",
    "consent_date",
    "notes",
    "eligibility",
    "timeline",
]


def resident_list(*, membership, query: str = "", district: District | None = None) -> QuerySet[Resident]:
    """Residents on the list page: visible, not erased, filtered by district and by name or postcode."""
    qs = (
        Resident.objects.visible_to(membership)
        .not_erased()
        .select_related("district", "registered_by_organisation")
    )
    if district is not None:
        qs = qs.filter(district=district)
    return qs.matching(query).order_by("last_name", "first_name", "pk")


def resident_get(*, membership, pk, include_erased: bool = False) -> Resident:
    """The resident if this membership may see them, else 404. Erased residents only on request."""
    lookup = {"pk": pk} if include_erased else {"pk": pk, "erased_at__isnull": True}
    return get_visible_or_404(Resident, membership, **lookup)


def districts_of(*, network_id: int) -> QuerySet[District]:
    return District.objects.in_network(network_id).order_by("name")


def district_for_postcode(*, network_id: int, postcode: str) -> District | None:
    """The one district of the network that covers ``postcode``; None when none or several do."""
    if not postcode:
        return None
    matches = [d for d in districts_of(network_id=network_id) if postcode in d.postcode_list()]
    return matches[0] if len(matches) == 1 else None


def normalise_name(name: str) -> str:
    return " ".join(name.split()).casefold()


@dataclass
class DuplicateCheck:
    """Likely duplicates of a new registration.

    ``visible``: the ones this user may open. ``hidden``: True when at least one exists that
    the user may not see — the page then says only that one exists, never who.
    """

    visible: list[Resident] = field(default_factory=list)
    hidden: bool = False

    def __bool__(self) -> bool:
        return bool(self.visible) or self.hidden


def resident_likely_duplicates(
    *,
    membership,
    first_name: str,
    last_name: str,
    birth_year: int | None,
    postcode: str,
    exclude_pk: int | None = None,
) -> DuplicateCheck:
    """Residents of the whole network with the same name, year of birth and postcode (not erased).

    The database narrows by year and postcode (indexed, a handful of rows); names are compared
    in Python because SQLite's LOWER() and LIKE only fold ASCII ("Zoë" vs "ZOË").
    """
    first, last = normalise_name(first_name or ""), normalise_name(last_name or "")
    if not (first and last and birth_year) or membership is None:
        return DuplicateCheck()
    candidates = (
        Resident.objects.in_network(membership.network_id)
        .not_erased()
        .filter(birth_year=birth_year, postcode=(postcode or "").strip())
        .select_related("district")
        .order_by("pk")
    )
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    same = [
        r for r in candidates if normalise_name(r.first_name) == first and normalise_name(r.last_name) == last
    ]
    if not same:
        return DuplicateCheck()
    visible_ids = set(
        Resident.objects.visible_to(membership)
        .filter(pk__in=[r.pk for r in same])
        .values_list("pk", flat=True)
    )
    return DuplicateCheck(
        visible=[r for r in same if r.pk in visible_ids],
        hidden=any(r.pk not in visible_ids for r in same),
    )


def resident_eligibility(*, resident: Resident) -> QuerySet[EligibilityProof]:
    return (
        EligibilityProof.objects.in_network(resident.network_id)
        .filter(resident=resident)
        .select_related("seen_by")
        .order_by("kind")
    )


def resident_timeline(*, resident: Resident) -> QuerySet[TimelineEntry]:
    """Newest first."""
    return (
        TimelineEntry.objects.in_network(resident.network_id)
        .filter(resident=resident)
        .select_related("actor")
        .order_by("-occurred_at", "-pk")
    )


def _person(user) -> str:
    return str(user) if user is not None else ""


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _readable(value):
    """Dates and times as people read them, in the current language and time zone."""
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    return value


# The sections the PDF lays out itself (templates/residents/export.html); every other provider's
# section is listed under "sections" and shown as a plain table.
OWN_SECTIONS = ("resident", "eligibility", "accesses", "timeline", "audit")


def resident_subject_access_data(resident: Resident) -> dict:
    """Everything Digibank holds about one resident, for the JSON and the PDF export alike.

    Walks every provider of the privacy registry (residents' own, the audit trail, loans,
    requests, appointments …). Values stay Python objects (dates, datetimes): the JSON encoder
    and the template each format them. Labels are in the current language.
    """
    subject = Subject(RESIDENT, resident.pk, network_id=resident.network_id)
    data = {
        "format": "digibank-subject-access/2",
        "exported_at": timezone.now(),
        "network": resident.network.name,
        "subject": {"kind": subject.kind, "id": subject.id},
    }
    sections = []
    for section in subject_export(subject):
        if section.key in OWN_SECTIONS:
            data[section.key] = section.rows
        else:
            sections.append(section.as_dict())
    data["sections"] = sections
    return data


def _cell(value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) or "–"
    return str(_readable(value))


def export_tables(sections: list[dict]) -> list[dict]:
    """The other providers' sections as the PDF shows them: a title, column labels, text cells."""
    return [
        {
            "title": section["title"],
            "labels": [column["label"] for column in section["columns"]],
            "rows": [
                [_cell(row.get(column["key"])) for column in section["columns"]] for row in section["rows"]
            ],
        }
        for section in sections
    ]


def resident_export_sections(subject: Subject) -> list[Section]:
    """The residents app's own sections of the export (privacy provider "residents")."""
    network_id = subject.network_id
    resident = (
        Resident.objects.in_network(network_id)
        .select_related(
            "network", "district", "registered_by_organisation", "consent_recorded_by", "created_by"
        )
        .get(pk=subject.id)
    )
    meta = Resident._meta

    def row(name: str, value, display=None) -> dict:
        if display is None:
            display = _readable(value)
        return {
            "field": name,
            "label": str(meta.get_field(name).verbose_name),
            "value": value,
            "display": display,
        }

    district = resident.district.name if resident.district else ""
    organisation = resident.registered_by_organisation.name if resident.registered_by_organisation else ""
    details = [
        {"field": "id", "label": _("number"), "value": resident.pk, "display": resident.pk},
        row("first_name", resident.first_name),
        row("last_name", resident.last_name),
        row("birth_year", resident.birth_year),
        row("district", district),
        row("postcode", resident.postcode),
        row("languages", resident.languages),
        row("preferred_channel", resident.preferred_channel, resident.get_preferred_channel_display()),
        row("phone", resident.phone),
        row("email", resident.email),
        row("do_not_contact", resident.do_not_contact, _yes_no(resident.do_not_contact)),
        row("street", resident.street),
        row("city", resident.city),
        row("legal_basis", resident.legal_basis, resident.get_legal_basis_display()),
        row("consent_date", resident.consent_date),
        row("consent_recorded_by", _person(resident.consent_recorded_by)),
        row("notes", resident.notes),
        row("registered_by_organisation", organisation),
        row("created_by", _person(resident.created_by)),
        row("created_at", resident.created_at),
        row("updated_at", resident.updated_at),
        row("erased_at", resident.erased_at),
    ]
    eligibility = [
        {
            "kind": proof.kind,
            "kind_label": proof.get_kind_display(),
            "detail": proof.detail,
            "seen_on": proof.seen_on,
            "valid_until": proof.valid_until,
            "seen_by": _person(proof.seen_by),
        }
        for proof in resident_eligibility(resident=resident)
    ]
    accesses = [
        {
            "organisation": access.organisation.name,
            "reason": access.reason,
            "reason_label": access.get_reason_display(),
            "since": access.created_at,
        }
        for access in ResidentAccess.objects.in_network(network_id)
        .filter(resident=resident)
        .select_related("organisation")
        .order_by("created_at", "pk")
    ]
    timeline = [
        {
            "occurred_at": entry.occurred_at,
            "kind": entry.kind,
            "summary": entry.summary,
            "by": _person(entry.actor),
        }
        for entry in resident_timeline(resident=resident)
    ]
    return [
        Section(key="resident", title=_("Personal data"), rows=details),
        Section(key="eligibility", title=_("Eligibility: proof seen"), rows=eligibility),
        Section(key="accesses", title=_("Partner organisations that may see this resident"), rows=accesses),
        Section(key="timeline", title=_("Timeline"), rows=timeline),
    ]
