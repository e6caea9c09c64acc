"""Reads of the public site. Only public data of ONE network, chosen by the slug in the URL.

Visitors are anonymous: the digipunten selectors (which take a membership) get a
``PublicVisitor`` that stands for "anyone, in this network": it holds only the permission to
see the directory (digipunten, hours, help sessions, free places), so every other model stays
invisible to it through visible_to (deny by default).
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from digibank.catalogue.models import Service
from digibank.digipunten import selectors as digipunten
from digibank.digipunten.hours import local
from digibank.digipunten.models import HELP_LANGUAGES, Digipunt, HelpSession, HelpTheme, SessionMode
from digibank.networks.models import District, Network
from digibank.organisations.models import Organisation

from .models import (
    ApplicationStatus,
    DonationOffer,
    FormSubmission,
    OfferStatus,
    PublicText,
    TextKey,
    VolunteerApplication,
)

LANGUAGE_NAMES = dict(HELP_LANGUAGES)
UPCOMING_CLOSURE_DAYS = 60
FLYER_DIGIPUNTEN = 6


@dataclass(frozen=True)
class PublicVisitor:
    """Stands in for a membership when an anonymous visitor reads one network's public data."""

    network_id: int
    organisation_id: None = None
    role: str = ""
    is_active: bool = True
    pk: None = None
    user_id: None = None

    # What anybody may read of a network: its digipunten, their hours and help hours (and so
    # the free places to book). Everything else stays invisible through visible_to.
    PUBLIC_PERMISSIONS = frozenset({"digipunt.view"})

    def has(self, permission: str) -> bool:
        return permission in self.PUBLIC_PERMISSIONS


def visitor(network: Network) -> PublicVisitor:
    return PublicVisitor(network_id=network.pk)


# --- networks and texts ------------------------------------------------------------------------


def network_list() -> QuerySet[Network]:
    return Network.objects.order_by("name", "pk")


def network_for_slug(slug: str) -> Network:
    """The network of a public URL; 404 for an unknown slug."""
    network = Network.objects.filter(slug=slug).first()
    if network is None:
        raise Http404
    return network


# Built-in texts, shown until the coordinator writes the network's own (B1 English msgids).
DEFAULT_TEXTS = {
    TextKey.WELCOME: _(
        "We help you with computers, the internet and digital services. "
        "Our help is free. Come to a digipunt near you, or ask us for help."
    ),
    TextKey.CONTACT: _("Do you have a question? Call us or send an e-mail."),
    TextKey.PRIVACY: _(
        "We only ask what we need to help you. We do not sell or share your details for advertising. "
        "You can ask which details we keep about you, and ask us to remove them."
    ),
}


def public_texts(*, network: Network, language: str) -> dict[str, str]:
    """The network's texts in ``language``; else in the default language; else the built-in ones.
    One query."""
    wanted = {language, settings.LANGUAGE_CODE}
    rows = PublicText.objects.in_network(network).filter(language__in=wanted)
    found = {(row.key, row.language): row.text for row in rows}
    texts = {}
    for key in TextKey:
        texts[key.value] = (
            found.get((key.value, language))
            or found.get((key.value, settings.LANGUAGE_CODE))
            or str(DEFAULT_TEXTS[key])
        )
    return texts


def text_table(*, network) -> dict[tuple[str, str], PublicText]:
    """Every text the network wrote, by (key, language): the coordinator's overview."""
    return {(t.key, t.language): t for t in PublicText.objects.in_network(network)}


# --- finding a digipunt ------------------------------------------------------------------------


class Need:
    """What a visitor can look for at a digipunt (the "topic" filter), from what we know of it."""

    COMPUTER = "computer"
    PRINTER = "printer"
    SCANNER = "scanner"
    WIFI = "wifi"
    HELP = "help"
    APPOINTMENT = "appointment"

    CHOICES = [
        (COMPUTER, _("Use a computer")),
        (PRINTER, _("Print")),
        (SCANNER, _("Scan a document")),
        (WIFI, _("Free wifi")),
        (HELP, _("Help from a person (help hours)")),
        (APPOINTMENT, _("Make an appointment for help")),
    ]


@dataclass
class SiteRow:
    """A digipunt in the public list: open now or when it opens, its help hours and languages."""

    digipunt: Digipunt
    is_open: bool
    open_until: datetime.datetime | None
    next_open: datetime.datetime | None
    today: object
    sessions: list[HelpSession] = field(default_factory=list)

    @property
    def bookable(self) -> bool:
        return any(s.is_bookable for s in self.sessions)

    @property
    def language_codes(self) -> list[str]:
        codes = list(self.digipunt.language_list())
        for session in self.sessions:
            codes += [c.strip() for c in session.languages.split(",") if c.strip()]
        return list(dict.fromkeys(codes))

    @property
    def language_names(self) -> list[str]:
        return [str(LANGUAGE_NAMES.get(code, code)) for code in self.language_codes]

    def offers(self, need: str) -> bool:
        d = self.digipunt
        return {
            Need.COMPUTER: d.computers > 0,
            Need.PRINTER: d.has_printer,
            Need.SCANNER: d.has_scanner,
            Need.WIFI: d.has_wifi,
            Need.HELP: bool(self.sessions),
            Need.APPOINTMENT: self.bookable,
        }.get(need, True)


def current_sessions(*, network: Network, on: datetime.date | None = None) -> dict[int, list[HelpSession]]:
    """The help sessions still running on ``on`` (default today), by digipunt id. One query."""
    sessions: dict[int, list[HelpSession]] = {}
    for session in digipunten.session_list(membership=visitor(network), on=on):
        sessions.setdefault(session.digipunt_id, []).append(session)
    return sessions


def site_rows(
    *, network: Network, at: datetime.datetime | None = None, district: District | None = None
) -> list[SiteRow]:
    """Every active digipunt of the network with "open now" and its help hours: four queries."""
    at = at or timezone.now()
    rows = digipunten.directory(membership=visitor(network), at=at, district=district)
    sessions = current_sessions(network=network, on=local(at).date())
    return [
        SiteRow(
            digipunt=row.digipunt,
            is_open=row.is_open,
            open_until=row.open_until,
            next_open=row.next_open,
            today=row.today,
            sessions=sessions.get(row.digipunt.pk, []),
        )
        for row in rows
    ]


@dataclass
class Filters:
    district: District | None = None
    postcode: str = ""
    need: str = ""
    language: str = ""
    open_now: bool = False

    @property
    def active(self) -> bool:
        return bool(self.district or self.postcode or self.need or self.language or self.open_now)


def districts_of(network: Network) -> list[District]:
    return list(District.objects.in_network(network).order_by("name", "pk"))


def district_for_postcode(districts: list[District], postcode: str) -> District | None:
    """The one district covering ``postcode`` (from a list already loaded), else None."""
    matches = [d for d in districts if postcode in d.postcode_list()]
    return matches[0] if len(matches) == 1 else None


def find(*, rows: list[SiteRow], filters: Filters, districts: list[District]) -> list[SiteRow]:
    """The digipunten (``site_rows``) that match the visitor's filters, the open ones first.

    A postcode narrows to its district (or, when no district covers it, to that postcode).
    """
    if filters.district is not None:
        rows = [r for r in rows if r.digipunt.district_id == filters.district.pk]
    if filters.postcode:
        district = district_for_postcode(districts, filters.postcode)
        if district is not None:
            rows = [
                r
                for r in rows
                if r.digipunt.district_id == district.pk or r.digipunt.postcode == filters.postcode
            ]
        else:
            rows = [r for r in rows if r.digipunt.postcode == filters.postcode]
    if filters.need:
        rows = [r for r in rows if r.offers(filters.need)]
    if filters.language:
        rows = [r for r in rows if filters.language in r.language_codes]
    if filters.open_now:
        rows = [r for r in rows if r.is_open]
    return sorted(rows, key=lambda r: (not r.is_open, r.digipunt.name.casefold(), r.digipunt.pk))


def languages_on_offer(rows: list[SiteRow]) -> list[tuple[str, str]]:
    """(code, name) of every language spoken at the network's digipunten, for the filter."""
    codes = {code for row in rows for code in row.language_codes}
    return [(code, str(name)) for code, name in HELP_LANGUAGES if code in codes]


def digipunt_for_site(*, network: Network, pk: int) -> Digipunt:
    """An active digipunt of this network, else 404."""
    digipunt = (
        Digipunt.objects.in_network(network)
        .filter(pk=pk, is_active=True)
        .select_related("district", "organisation")
        .first()
    )
    if digipunt is None:
        raise Http404
    return digipunt


@dataclass
class DigipuntPage:
    digipunt: Digipunt
    is_open: bool
    open_until: datetime.datetime | None
    next_open: datetime.datetime | None
    regular: list
    closures: list
    sessions: list[HelpSession]

    @property
    def bookable(self) -> bool:
        return any(s.is_bookable for s in self.sessions)

    @property
    def help_hours(self) -> list[tuple[HelpSession, list[str]]]:
        """Each help session with the names of its languages."""
        return [(s, language_names(s.languages.split(","))) for s in self.sessions]

    @property
    def language_names(self) -> list[str]:
        return language_names(self.digipunt.language_list())


def language_names(codes) -> list[str]:
    codes = [c.strip() for c in codes if c.strip()]
    return [str(LANGUAGE_NAMES.get(code, code)) for code in codes]


def digipunt_page(digipunt: Digipunt, *, at: datetime.datetime | None = None) -> DigipuntPage:
    at = at or timezone.now()
    today = local(at).date()
    schedule = digipunten.schedule_for(digipunt, since=today - datetime.timedelta(days=1))
    until = schedule.open_until(at)
    closures = [
        c
        for c in digipunten.closures_for(digipunt, since=today)
        if c.starts_on <= today + datetime.timedelta(days=UPCOMING_CLOSURE_DAYS)
    ]
    return DigipuntPage(
        digipunt=digipunt,
        is_open=until is not None,
        open_until=until,
        next_open=None if until else schedule.next_open(at),
        regular=digipunten.regular_hours(digipunt, on=today),
        closures=closures,
        sessions=list(digipunten.sessions_of(digipunt, on=today)),
    )


def help_themes(network: Network) -> QuerySet[HelpTheme]:
    return digipunten.themes_active(network=network)


def bookable_rows(*, network: Network, at=None) -> list[SiteRow]:
    return [row for row in site_rows(network=network, at=at) if row.bookable]


def open_slots(*, network: Network, digipunt: Digipunt, now=None):
    """Free appointment slots of the digipunt in the coming weeks (digipunten.selectors.open_slots)."""
    return digipunten.open_slots(membership=visitor(network), digipunt=digipunt, now=now)


def session_for_booking(*, network: Network, digipunt: Digipunt, pk) -> HelpSession | None:
    return (
        HelpSession.objects.in_network(network)
        .filter(pk=pk, digipunt=digipunt)
        .exclude(mode=SessionMode.WALK_IN)
        .select_related("digipunt")
        .first()
    )


# --- flyers --------------------------------------------------------------------------------------


def _centre(digipunten_: list[Digipunt]) -> tuple[Decimal, Decimal] | None:
    points = [
        (d.latitude, d.longitude) for d in digipunten_ if d.latitude is not None and d.longitude is not None
    ]
    if not points:
        return None
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


def _distance(digipunt: Digipunt, centre) -> Decimal:
    if centre is None or digipunt.latitude is None or digipunt.longitude is None:
        return Decimal(10**6)
    return abs(digipunt.latitude - centre[0]) + abs(digipunt.longitude - centre[1])


def nearest_rows(
    *, rows: list[SiteRow], district: District | None, limit: int = FLYER_DIGIPUNTEN
) -> list[SiteRow]:
    """For a district flyer: its own digipunten first, then the closest others (by coordinates,
    measured from the middle of the district's digipunten), ``limit`` in all."""
    own = [r for r in rows if district is not None and r.digipunt.district_id == district.pk]
    own_ids = {r.digipunt.pk for r in own}
    others = [r for r in rows if r.digipunt.pk not in own_ids]
    centre = _centre([r.digipunt for r in own])
    own.sort(key=lambda r: (not r.sessions, r.digipunt.name.casefold()))
    others.sort(key=lambda r: (_distance(r.digipunt, centre), not r.sessions, r.digipunt.name.casefold()))
    return (own + others)[:limit]


# --- open data -----------------------------------------------------------------------------------


def public_services(network: Network) -> QuerySet[Service]:
    """The catalogue services the network publishes: public and on offer."""
    return (
        Service.objects.in_network(network)
        .filter(is_public=True, is_active=True, organisation__is_active=True)
        .select_related("organisation")
        .order_by("name", "pk")
    )


def public_organisations(network: Network) -> QuerySet[Organisation]:
    """Partners that provide a public service or manage an active digipunt."""
    services = public_services(network).values("organisation_id")
    places = Digipunt.objects.in_network(network).filter(is_active=True).values("organisation_id")
    return (
        Organisation.objects.in_network(network)
        .filter(is_active=True)
        .filter(Q(pk__in=services) | Q(pk__in=places))
        .order_by("name", "pk")
    )


def active_digipunten(network: Network) -> list[Digipunt]:
    return list(digipunten.digipunt_list(membership=visitor(network)))


def submission_for_token(*, network: Network, token) -> FormSubmission | None:
    """The stored submission of a form token, or None (also for anything that is not a UUID)."""
    try:
        token = uuid.UUID(str(token))
    except ValueError:
        return None
    return FormSubmission.objects.in_network(network).filter(token=token).exclude(reference="").first()


# --- the staff inbox -----------------------------------------------------------------------------


def application_list(*, membership, status: str = "") -> QuerySet[VolunteerApplication]:
    qs = VolunteerApplication.objects.visible_to(membership)
    if status in ApplicationStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-pk")


def offer_list(*, membership, status: str = "") -> QuerySet[DonationOffer]:
    qs = DonationOffer.objects.visible_to(membership)
    if status in OfferStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-pk")


def inbox_counts(*, membership) -> dict[str, int]:
    """How many new applications and offers wait (the inbox tabs)."""
    return {
        "volunteers": VolunteerApplication.objects.visible_to(membership)
        .filter(status=ApplicationStatus.NEW)
        .count(),
        "donations": DonationOffer.objects.visible_to(membership).filter(status=OfferStatus.NEW).count(),
    }


def districts_by_id(network_id: int) -> dict[int, District]:
    return {d.pk: d for d in District.objects.in_network(network_id)}
