"""Open data: the network's directory as Open Referral HSDS 3.0 objects.

What we publish (public data only, one network at a time):

- **organization**: the network itself (the umbrella: "Iedereen Digitaal @ Leuven") and the
  partner organisations that provide a public service or manage a digipunt. Contact people
  are personal data and are never published.
- **service**: each public, active catalogue service (catalogue.Service, ``is_public``), and
  two services the network offers at its digipunten: *public computers* and *digital help
  hours*.
- **location**: each active digipunt (address, coordinates, languages, accessibility, phone,
  opening hours as ``schedule`` rows).
- **service_at_location**: public computers / help hours at a digipunt; help hours carry one
  ``schedule`` per weekly help session.

HSDS wants UUIDs for every ``id``. Ours are derived from the row (RFC 9562 version 8,
"custom" layout), so they are stable, unique across networks, and can be read back without a
look-up table: 16 bits kind | 32 bits network id | version 8 | 12 bits sub-index | variant |
62 bits primary key. They reveal no more than the public pages' own URLs do.

Exceptions (holidays, closures) have no field in HSDS 3.0; they are in the iCal feed each help
schedule links to (``schedule_link``). Times are wall-clock times in Belgium (Europe/Brussels);
HSDS's ``timezone`` is a fixed UTC offset, which Belgium does not have, so we leave it out and
say so in ``notes``.
"""

from __future__ import annotations

import datetime
import enum
import math
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from digibank.digipunten.models import MIDNIGHT, Digipunt, HelpSession, OpeningPeriod, Weekday

from . import selectors

HSDS_VERSION = "3.0"
PROFILE_URL = "https://docs.openreferral.org/en/3.0/"
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500
BYDAY = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


class Kind(enum.IntEnum):
    ORGANIZATION = 1  # organisations.Organisation
    NETWORK = 2  # the network as an organization
    SERVICE = 3  # catalogue.Service
    NETWORK_SERVICE = 4  # public computers / help hours of a network (sub = NetworkService)
    LOCATION = 5  # digipunten.Digipunt
    SERVICE_AT_LOCATION = 6  # pk = digipunt, sub = NetworkService
    OPENING_SCHEDULE = 7  # digipunten.OpeningPeriod
    SESSION_SCHEDULE = 8  # digipunten.HelpSession
    ADDRESS = 9  # pk = digipunt
    PHONE = 10  # sub = PhoneOf
    LANGUAGE = 11  # pk = digipunt or network, sub = position
    ACCESSIBILITY = 12  # pk = digipunt


class NetworkService(enum.IntEnum):
    COMPUTERS = 1
    HELP_HOURS = 2


class PhoneOf(enum.IntEnum):
    LOCATION = 1
    ORGANIZATION = 2
    NETWORK = 3


def make_id(kind: Kind, network_id: int, pk: int, sub: int = 0) -> str:
    """A UUID (version 8) that carries kind, network, sub-index and primary key."""
    if not (0 <= network_id < 2**32 and 0 <= pk < 2**62 and 0 <= sub < 2**12):
        raise ValueError("Out of range for an HSDS id")
    value = (int(kind) << 112) | (network_id << 80) | (8 << 76) | (sub << 64) | (0b10 << 62) | pk
    return str(uuid.UUID(int=value))


@dataclass(frozen=True)
class ParsedId:
    kind: int
    network_id: int
    sub: int
    pk: int


def organization_id(organisation) -> str:
    return make_id(Kind.ORGANIZATION, organisation.network_id, organisation.pk)


def service_id(service) -> str:
    return make_id(Kind.SERVICE, service.network_id, service.pk)


def location_id(digipunt) -> str:
    return make_id(Kind.LOCATION, digipunt.network_id, digipunt.pk)


def service_at_location_id(digipunt, service: NetworkService = NetworkService.HELP_HOURS) -> str:
    return make_id(Kind.SERVICE_AT_LOCATION, digipunt.network_id, digipunt.pk, int(service))


def parse_id(value: str) -> ParsedId | None:
    """The parts of one of our ids, or None for anything else."""
    try:
        parsed = uuid.UUID(str(value))
    except ValueError:
        return None
    if parsed.version != 8 or parsed.variant != uuid.RFC_4122:
        return None
    n = parsed.int
    return ParsedId(
        kind=n >> 112, network_id=(n >> 80) & (2**32 - 1), sub=(n >> 64) & (2**12 - 1), pk=n & (2**62 - 1)
    )


# --- small helpers ---------------------------------------------------------------------------


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _clean(data: dict) -> dict:
    """Leave out empty optional values: HSDS types are strict (a null is not a string)."""
    return {k: v for k, v in data.items() if v is not None and v != ""}


def _clock(value: datetime.time, *, closing: bool = False) -> str:
    if closing and value == MIDNIGHT:
        return "24:00"
    return f"{value:%H:%M}"


# Belgian postcodes by province (bpost ranges): HSDS wants a state_province on every address.
PROVINCES = [
    (1000, 1299, "Brussels"),
    (1300, 1499, "Brabant wallon"),
    (1500, 1999, "Vlaams-Brabant"),
    (2000, 2999, "Antwerpen"),
    (3000, 3499, "Vlaams-Brabant"),
    (3500, 3999, "Limburg"),
    (4000, 4999, "Liège"),
    (5000, 5999, "Namur"),
    (6000, 6599, "Hainaut"),
    (6600, 6999, "Luxembourg"),
    (7000, 7999, "Hainaut"),
    (8000, 8999, "West-Vlaanderen"),
    (9000, 9999, "Oost-Vlaanderen"),
]


def province_for(postcode: str) -> str:
    if postcode.isdigit():
        number = int(postcode)
        for first, last, name in PROVINCES:
            if first <= number <= last:
                return name
    return "-"


def _languages(
    codes: list[str], *, network_id: int, owner_pk: int, sub_offset: int, link: dict
) -> list[dict]:
    """HSDS language rows; ``sub_offset`` keeps the ids of a location's and a service's apart."""
    rows = []
    for position, code in enumerate(dict.fromkeys(codes)):
        name = selectors.LANGUAGE_NAMES.get(code)
        item = {"id": make_id(Kind.LANGUAGE, network_id, owner_pk, sub_offset + position), **link}
        item.update(_clean({"name": str(name) if name else "", "code": code if len(code) <= 3 else ""}))
        rows.append(item)
    return rows


def _phone(number: str, *, network_id: int, owner: PhoneOf, pk: int, link: dict) -> list[dict]:
    if not number:
        return []
    return [
        {"id": make_id(Kind.PHONE, network_id, pk, int(owner)), "number": number, "type": "voice", **link}
    ]


TIME_NOTE = "Europe/Brussels"


# --- the data of one network, loaded in a fixed number of queries ----------------------------


@dataclass
class Directory:
    """Everything the HSDS endpoints of one network need (a handful of queries, whatever its size)."""

    network: object
    language: str
    digipunten: list[Digipunt] = field(default_factory=list)
    periods: dict[int, list[OpeningPeriod]] = field(default_factory=dict)
    sessions: dict[int, list[HelpSession]] = field(default_factory=dict)
    organisations: list = field(default_factory=list)
    services: list = field(default_factory=list)
    welcome: str = ""

    @classmethod
    def load(cls, network, *, language: str, places: bool = True, catalogue: bool = True) -> Directory:
        directory = cls(network=network, language=language)
        if places:
            directory.digipunten = selectors.active_digipunten(network)
            ids = [d.pk for d in directory.digipunten]
            today = timezone.localdate()
            for period in (
                OpeningPeriod.objects.in_network(network)
                .filter(digipunt_id__in=ids)
                .order_by("weekday", "opens_at", "pk")
            ):
                if period.valid_to is None or period.valid_to >= today:
                    directory.periods.setdefault(period.digipunt_id, []).append(period)
            directory.sessions = selectors.current_sessions(network=network)
        if catalogue:
            directory.organisations = list(selectors.public_organisations(network))
            directory.services = list(selectors.public_services(network))
        directory.welcome = selectors.public_texts(network=network, language=language)["welcome"]
        return directory

    @property
    def network_id(self) -> int:
        return self.network.pk

    def published_org_ids(self) -> set[int]:
        return {o.pk for o in self.organisations}

    def places_of(self, key: NetworkService) -> list[Digipunt]:
        if key == NetworkService.COMPUTERS:
            return [d for d in self.digipunten if d.computers > 0]
        return [d for d in self.digipunten if self.sessions.get(d.pk)]


# --- organizations -------------------------------------------------------------------------------


def network_organization(d: Directory) -> dict:
    network = d.network
    return _clean(
        {
            "id": make_id(Kind.NETWORK, d.network_id, d.network_id),
            "name": network.name,
            "description": d.welcome or network.name,
            "email": network.contact_email,
            "website": absolute(reverse("public:home", kwargs={"network_slug": network.slug})),
        }
    )


def organization_flat(d: Directory, organisation) -> dict:
    item = {
        "id": make_id(Kind.ORGANIZATION, d.network_id, organisation.pk),
        "name": organisation.name,
        "description": organisation.description or "",
    }
    item.update(_clean({"email": organisation.email, "website": organisation.website}))
    return item


def organization_full(d: Directory, organisation) -> dict:
    if organisation is None:  # the network itself
        item = network_organization(d)
        org_id = item["id"]
        phones = _phone(
            d.network.contact_phone,
            network_id=d.network_id,
            owner=PhoneOf.NETWORK,
            pk=d.network_id,
            link={"organization_id": org_id},
        )
        services = [network_service_full(d, key, with_organization=False) for key in NetworkService]
        places = [p for p in d.digipunten if p.organisation_id not in d.published_org_ids()]
    else:
        item = organization_flat(d, organisation)
        org_id = item["id"]
        phones = _phone(
            organisation.phone,
            network_id=d.network_id,
            owner=PhoneOf.ORGANIZATION,
            pk=organisation.pk,
            link={"organization_id": org_id},
        )
        services = [
            service_full(d, s, with_organization=False)
            for s in d.services
            if s.organisation_id == organisation.pk
        ]
        places = [p for p in d.digipunten if p.organisation_id == organisation.pk]
    item.update(
        {
            "phones": phones,
            "contacts": [],
            "locations": [location_full(d, p) for p in places],
            "services": services,
        }
    )
    return item


def organizations(d: Directory) -> list[tuple[object, dict]]:
    """(organisation or None for the network, flat HSDS object), the network first."""
    return [(None, network_organization(d))] + [(o, organization_flat(d, o)) for o in d.organisations]


# --- locations ------------------------------------------------------------------------------------


def _organization_id_of(d: Directory, place: Digipunt) -> str:
    if place.organisation_id and place.organisation_id in d.published_org_ids():
        return make_id(Kind.ORGANIZATION, d.network_id, place.organisation_id)
    return make_id(Kind.NETWORK, d.network_id, d.network_id)


def location_flat(d: Directory, place: Digipunt) -> dict:
    item = {
        "id": make_id(Kind.LOCATION, d.network_id, place.pk),
        "location_type": "physical",
        "url": absolute(reverse("public:digipunt", kwargs={"network_slug": d.network.slug, "pk": place.pk})),
        "organization_id": _organization_id_of(d, place),
        "name": place.name,
    }
    item.update(_clean({"description": place.description}))
    if place.latitude is not None and place.longitude is not None:
        item["latitude"] = float(place.latitude)
        item["longitude"] = float(place.longitude)
    return item


def _opening_schedule(d: Directory, period: OpeningPeriod, location_id: str) -> dict:
    hours = f"{_clock(period.opens_at)}–{_clock(period.closes_at, closing=True)}"
    item = {
        "id": make_id(Kind.OPENING_SCHEDULE, d.network_id, period.pk),
        "location_id": location_id,
        "freq": "WEEKLY",
        "interval": 1,
        "wkst": "MO",
        "byday": BYDAY[period.weekday],
        "opens_at": _clock(period.opens_at),
        "closes_at": _clock(period.closes_at, closing=True),
        "description": f"{Weekday(period.weekday).label} {hours}",
        "notes": TIME_NOTE,
    }
    item.update(
        _clean(
            {
                "valid_from": period.valid_from.isoformat() if period.valid_from else None,
                "valid_to": period.valid_to.isoformat() if period.valid_to else None,
            }
        )
    )
    return item


def location_full(d: Directory, place: Digipunt) -> dict:
    item = location_flat(d, place)
    location_id = item["id"]
    accessibility = []
    features = ", ".join(place.accessibility())
    if features or place.accessibility_notes:
        accessibility.append(
            {
                "id": make_id(Kind.ACCESSIBILITY, d.network_id, place.pk),
                "location_id": location_id,
                **_clean({"description": features, "details": place.accessibility_notes}),
            }
        )
    item.update(
        {
            "languages": _languages(
                place.language_list(),
                network_id=d.network_id,
                owner_pk=place.pk,
                sub_offset=0,
                link={"location_id": location_id},
            ),
            "addresses": [
                {
                    "id": make_id(Kind.ADDRESS, d.network_id, place.pk),
                    "location_id": location_id,
                    "address_1": place.street,
                    "city": place.city,
                    "state_province": province_for(place.postcode),
                    "postal_code": place.postcode,
                    "country": "BE",
                    "address_type": "physical",
                }
            ],
            "contacts": [],
            "accessibility": accessibility,
            "phones": _phone(
                place.phone,
                network_id=d.network_id,
                owner=PhoneOf.LOCATION,
                pk=place.pk,
                link={"location_id": location_id},
            ),
            "schedules": [_opening_schedule(d, p, location_id) for p in d.periods.get(place.pk, [])],
        }
    )
    return item


# --- services -------------------------------------------------------------------------------------


def _network_service_texts(key: NetworkService) -> tuple[str, str]:
    if key == NetworkService.COMPUTERS:
        return _("Public computers"), _(
            "Use a computer with internet for free at a digipunt. "
            "Some places also have a printer or a scanner."
        )
    return _("Digital help hours"), _(
        "Ask your question about a computer, a smartphone or a digital service. "
        "Walk in, or make an appointment where that is possible."
    )


def network_service_flat(d: Directory, key: NetworkService, *, with_organization: bool = True) -> dict:
    name, description = _network_service_texts(key)
    item = {
        "id": make_id(Kind.NETWORK_SERVICE, d.network_id, d.network_id, int(key)),
        "organization_id": make_id(Kind.NETWORK, d.network_id, d.network_id),
        "name": name,
        "description": description,
        "url": absolute(reverse("public:find", kwargs={"network_slug": d.network.slug})),
        "status": "active" if d.places_of(key) else "inactive",
        "fees_description": _("Free"),
    }
    if key == NetworkService.HELP_HOURS:
        item["application_process"] = _(
            "Walk in during the help hours, or book an appointment on the website."
        )
    item.update(_clean({"email": d.network.contact_email}))
    if with_organization:
        item["organization"] = network_organization(d)
    return item


def service_flat(d: Directory, service, *, with_organization: bool = True) -> dict:
    eligibility = "; ".join(x for x in [service.criteria_text, *service.criteria_labels()] if x)
    item = {
        "id": make_id(Kind.SERVICE, d.network_id, service.pk),
        "organization_id": make_id(Kind.ORGANIZATION, d.network_id, service.organisation_id),
        "name": service.name,
        "status": "active",
    }
    item.update(
        _clean(
            {
                "description": service.description,
                "eligibility_description": eligibility,
                "wait_time": _("Works with a waiting list.") if service.has_waiting_list else "",
                "application_process": _("Ask for it through the service desk or a partner organisation."),
                "url": absolute(reverse("public:help", kwargs={"network_slug": d.network.slug})),
                "email": service.organisation.email,
            }
        )
    )
    if with_organization:
        item["organization"] = organization_flat(d, service.organisation)
    return item


def service_full(d: Directory, service, *, with_organization: bool = True) -> dict:
    item = service_flat(d, service, with_organization=with_organization)
    if with_organization:
        organisation = service.organisation
        item["organization"] = organization_flat(d, organisation)
    item.update(
        {
            "phones": _phone(
                service.organisation.phone,
                network_id=d.network_id,
                owner=PhoneOf.ORGANIZATION,
                pk=service.organisation_id,
                link={"service_id": item["id"]},
            ),
            "schedules": [],
            "service_at_locations": [],
            "languages": [],
            "contacts": [],
            "attributes": [],
        }
    )
    return item


def _session_schedule(d: Directory, session: HelpSession, sal_id: str, service_id: str) -> dict:
    first = session.valid_from + datetime.timedelta(days=(session.weekday - session.valid_from.weekday()) % 7)
    ical = absolute(
        reverse("open:ical_digipunt", kwargs={"network_slug": d.network.slug, "pk": session.digipunt_id})
    )
    item = {
        "id": make_id(Kind.SESSION_SCHEDULE, d.network_id, session.pk),
        "service_id": service_id,
        "service_at_location_id": sal_id,
        "valid_from": session.valid_from.isoformat(),
        "dtstart": first.isoformat(),
        "freq": "WEEKLY",
        "interval": 1,
        "wkst": "MO",
        "byday": BYDAY[session.weekday],
        "opens_at": _clock(session.starts_at),
        "closes_at": _clock(session.ends_at),
        "description": session.title or _("Help hour"),
        "attending_type": session.get_mode_display(),
        "schedule_link": ical,
        "notes": TIME_NOTE,
    }
    if session.valid_to:
        item["valid_to"] = session.valid_to.isoformat()
        item["until"] = session.valid_to.isoformat()
    return item


def sal_id(d: Directory, key: NetworkService, place: Digipunt) -> str:
    return make_id(Kind.SERVICE_AT_LOCATION, d.network_id, place.pk, int(key))


def sal_flat(d: Directory, key: NetworkService, place: Digipunt) -> dict:
    service_id = make_id(Kind.NETWORK_SERVICE, d.network_id, d.network_id, int(key))
    name, _description = _network_service_texts(key)
    return {
        "id": sal_id(d, key, place),
        "service_id": service_id,
        "location_id": make_id(Kind.LOCATION, d.network_id, place.pk),
        "description": f"{name}: {place.name}",
        "location": location_flat(d, place),
        "service": network_service_flat(d, key),
    }


def sal_full(d: Directory, key: NetworkService, place: Digipunt, *, with_service: bool = True) -> dict:
    item = sal_flat(d, key, place)
    if not with_service:
        del item["service"]
    schedules = []
    if key == NetworkService.HELP_HOURS:
        schedules = [
            _session_schedule(d, s, item["id"], item["service_id"]) for s in d.sessions.get(place.pk, [])
        ]
    item.update(
        {
            "schedules": schedules,
            "phones": [],
            "contacts": [],
            "location": location_full(d, place),
        }
    )
    return item


def sal_all(d: Directory) -> list[tuple[NetworkService, Digipunt]]:
    return [(key, place) for key in NetworkService for place in d.places_of(key)]


def network_service_full(d: Directory, key: NetworkService, *, with_organization: bool = True) -> dict:
    item = network_service_flat(d, key, with_organization=with_organization)
    codes = []
    if key == NetworkService.HELP_HOURS:
        for place in d.places_of(key):
            for session in d.sessions.get(place.pk, []):
                codes += [c.strip() for c in session.languages.split(",") if c.strip()]
    item.update(
        {
            "phones": _phone(
                d.network.contact_phone,
                network_id=d.network_id,
                owner=PhoneOf.NETWORK,
                pk=d.network_id,
                link={"service_id": item["id"]},
            ),
            "schedules": [],
            "service_at_locations": [sal_full(d, key, p, with_service=False) for p in d.places_of(key)],
            "languages": _languages(
                codes,
                network_id=d.network_id,
                owner_pk=d.network_id,
                sub_offset=2048 + 64 * int(key),
                link={"service_id": item["id"]},
            ),
            "contacts": [],
            "attributes": [],
        }
    )
    return item


def all_services(d: Directory) -> list[tuple[str, object]]:
    """("network", NetworkService) and ("catalogue", Service), in a stable order."""
    return [("network", key) for key in NetworkService] + [("catalogue", s) for s in d.services]


# --- pages -----------------------------------------------------------------------------------------


def page_params(query) -> tuple[int, int]:
    def number(name: str, default: int) -> int:
        try:
            return int(query.get(name, default))
        except (TypeError, ValueError):
            return default

    per_page = min(max(number("per_page", DEFAULT_PER_PAGE), 1), MAX_PER_PAGE)
    return max(number("page", 1), 1), per_page


def paginate(items: list, *, page: int, per_page: int) -> tuple[list, dict]:
    total = len(items)
    pages = max(math.ceil(total / per_page), 1)
    chunk = items[(page - 1) * per_page : page * per_page]
    meta = {
        "total_items": total,
        "total_pages": pages,
        "page_number": page,
        "size": len(chunk),
        "first_page": page == 1,
        "last_page": page >= pages,
        "empty": not chunk,
    }
    return chunk, meta


def root(network) -> dict:
    return {"version": HSDS_VERSION, "profile": PROFILE_URL, "openapi_url": OPENAPI_URL}
