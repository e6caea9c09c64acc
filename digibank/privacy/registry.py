"""The privacy registry: who Digibank holds data about, and what each capability holds of them.

A *subject* is a person, named by a kind and an id: a registered resident ("resident"), someone
who booked a help hour on the public site without being registered ("booker"), a volunteer
applicant ("applicant") … The app that owns the person's record registers the kind
(``register_subject_kind``): how to name the person on the audit pages, where their page is,
and which model is the person's record (tests/privacy/test_registry.py checks against it).

Every capability that stores something about a person registers a *provider*
(``register_provider``, from its hooks.py): the models it covers, ``export(subject)`` -> the
sections of the subject-access export and ``erase(subject)`` -> blank what it holds. The
resident page's export and erase flow walk every provider (``subject_export``,
``subject_erase``), so a new capability cannot be forgotten: it registers, or the registry test
fails.

Explicit registration, not signals: easy to find, and one place to read what is erased.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction

__all__ = [
    "ALL_KINDS",
    "APPLICANT",
    "BOOKER",
    "RESIDENT",
    "Provider",
    "Section",
    "Subject",
    "SubjectKind",
    "SubjectRef",
    "provider_for_model",
    "providers",
    "register_provider",
    "registered_provider",
    "register_subject_kind",
    "subject_describe",
    "subject_erase",
    "subject_export",
    "subject_kind",
    "subject_kinds",
]

# A provider that serves every kind of subject (the audit trail).
ALL_KINDS = "*"


@dataclass(frozen=True)
class Subject:
    """One person, within one network: ``Subject("resident", 12, network_id=1)``."""

    kind: str
    id: int
    network_id: int


@dataclass(frozen=True)
class SubjectRef:
    """How an audit page names a subject: a label and, when there is one, a page to open."""

    label: str
    url: str = ""


@dataclass(frozen=True)
class SubjectKind:
    kind: str
    # The kind as people read it ("resident", "booker").
    label: object
    # "app_label.ModelName" of the person's record, or "" when the kind has no table of its own.
    model: str
    # describe(membership, ids) -> {id: SubjectRef} for the ids this member may see (one query).
    describe: Callable[[object, list[int]], dict[int, SubjectRef]]


@dataclass
class Section:
    """One part of a subject-access export: a title for the PDF, rows for the JSON.

    ``columns`` are (key, label) pairs: what the PDF shows of each row, in that order.
    Values stay Python objects (dates, datetimes); the JSON encoder and the template format them.
    """

    key: str
    title: str
    rows: list[dict]
    columns: list[tuple[str, str]] = field(default_factory=list)
    provider: str = ""

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "title": str(self.title),
            "provider": self.provider,
            "columns": [{"key": key, "label": str(label)} for key, label in self.columns],
            "rows": self.rows,
        }


@dataclass(frozen=True)
class Provider:
    name: str
    # "app_label.ModelName" of every model whose rows it exports and erases.
    models: tuple[str, ...]
    # The subject kinds it serves (ALL_KINDS: every kind).
    kinds: tuple[str, ...]
    export: Callable[[Subject], list[Section]]
    erase: Callable[[Subject], None]

    def serves(self, kind: str) -> bool:
        return ALL_KINDS in self.kinds or kind in self.kinds


_kinds: dict[str, SubjectKind] = {}
_providers: dict[str, Provider] = {}


def register_subject_kind(
    *,
    kind: str,
    label,
    model: str,
    describe: Callable[[object, list[int]], dict[int, SubjectRef]],
) -> None:
    """Declare a kind of person. Idempotent per kind (ready() may run twice in tests)."""
    _kinds[kind] = SubjectKind(kind=kind, label=label, model=model, describe=describe)


def register_provider(
    *,
    name: str,
    models: Iterable[str],
    kinds: Iterable[str],
    export: Callable[[Subject], list[Section]],
    erase: Callable[[Subject], None],
) -> None:
    """Declare what an app holds about people. Idempotent per name; order of registration is
    the order of the export's sections and of the erasure's steps."""
    _providers[name] = Provider(
        name=name, models=tuple(models), kinds=tuple(kinds), export=export, erase=erase
    )


@contextmanager
def registered_provider(**kwargs):
    """A provider registered for the duration of a ``with`` block (tests, one-off scripts)."""
    name = kwargs["name"]
    previous = _providers.get(name)
    register_provider(**kwargs)
    try:
        yield _providers[name]
    finally:
        if previous is None:
            _providers.pop(name, None)
        else:
            _providers[name] = previous


def subject_kinds() -> list[SubjectKind]:
    return list(_kinds.values())


def subject_kind(kind: str) -> SubjectKind | None:
    return _kinds.get(kind)


def providers(kind: str | None = None) -> list[Provider]:
    """Every provider, or those that serve ``kind``, in order of registration."""
    return [p for p in _providers.values() if kind is None or p.serves(kind)]


def provider_for_model(label: str, registered: Iterable[Provider] | None = None) -> Provider | None:
    """The provider covering the model "app_label.ModelName" (case-insensitive), if any."""
    label = label.lower()
    for provider in providers() if registered is None else registered:
        if label in (m.lower() for m in provider.models):
            return provider
    return None


def subject_describe(membership, kind: str, ids: Iterable[int]) -> dict[int, SubjectRef]:
    """{id: SubjectRef} of the subjects of one kind this member may see; unknown kinds: {}."""
    registered = _kinds.get(kind)
    ids = sorted(set(ids))
    if registered is None or not ids:
        return {}
    return registered.describe(membership, ids)


def subject_export(subject: Subject) -> list[Section]:
    """Every section every provider holds about ``subject``, in order of registration."""
    sections = []
    for provider in providers(subject.kind):
        for section in provider.export(subject):
            section.provider = provider.name
            sections.append(section)
    return sections


def subject_erase(subject: Subject) -> list[str]:
    """Blank what every provider holds about ``subject``, all or nothing (one transaction).

    Returns the names of the providers that ran. Each provider's erase is idempotent.
    """
    ran = []
    with transaction.atomic():
        for provider in providers(subject.kind):
            provider.erase(subject)
            ran.append(provider.name)
    return ran


# The kinds registered today (by residents, digipunten and public). Constants, so the apps
# that write audit entries about them need not import the app that owns the record.
RESIDENT = "resident"
BOOKER = "booker"
APPLICANT = "applicant"
