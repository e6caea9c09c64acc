"""Demo data of the digipunten: the 20 Leuven demo digipunten with hours, holidays, help hours,
shifts, a year of help contacts, visitor tallies and appointments.

Names carry "(demo)"; addresses are FICTIONAL (invented streets in Leuven's five real
districts, rough coordinates). Deterministic with the given ``rng`` (relative to today, like
the other demo data) and idempotent: digipunten by name, holidays by date and reason; hours,
sessions, contacts, tallies and appointments only where none exist yet. Fast: bulk inserts.

Appointments are written directly (not through services.appointment_book) so loading the
demo never queues a confirmation SMS or e-mail to a fictional resident.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from digibank.networks.models import District, Membership
from digibank.networks.roles import Role
from digibank.organisations.models import Organisation
from digibank.residents.models import Resident

from . import hours
from .models import (
    Appointment,
    AppointmentStatus,
    BookingChannel,
    Closure,
    Digipunt,
    DigipuntKind,
    HelpContact,
    HelpSession,
    HelpTheme,
    OpeningPeriod,
    Outcome,
    SessionMode,
    Shift,
    Slot,
    VisitorTally,
)
from .selectors import schedules_for
from .services import public_holidays_add, themes_ensure

K = DigipuntKind
# Opening-hour patterns: weekday -> list of (opens, closes) as "HH:MM".
LIBRARY = {d: [("10:00", "18:00")] for d in (1, 2, 3, 4)} | {5: [("10:00", "13:00")]}
BRANCH_LIBRARY = {2: [("14:00", "18:00")], 3: [("16:00", "19:00")], 5: [("10:00", "12:30")]}
SERVICE_CENTRE = {d: [("09:00", "12:00"), ("13:00", "16:30")] for d in range(5)}
NEIGHBOURHOOD = {
    0: [("13:30", "17:00")],
    2: [("09:00", "12:00"), ("13:30", "17:00")],
    3: [("18:00", "21:00")],
}
CITY_OFFICE = {d: [("08:30", "12:30")] for d in range(5)} | {3: [("08:30", "12:30"), ("13:30", "19:00")]}

# (name, kind, district, street, postcode, (lat, lon), organisation name, hours, computers,
#  languages, sessions as (weekday, start, end, mode, helpers, capacity)).
DIGIPUNTEN = [
    (
        "Bibliotheek Tweebronnen (demo)",
        K.LIBRARY,
        "Leuven",
        "Leeswijzerstraat 5",
        "3000",
        (50.8763, 4.7075),
        "Bibliotheek Leuven",
        LIBRARY,
        24,
        "nl, fr, en",
        [(1, "14:00", "16:00", SessionMode.BOTH, 3, 2), (4, "10:00", "12:00", SessionMode.APPOINTMENT, 2, 1)],
    ),
    (
        "Stadskantoor digipunt (demo)",
        K.CITY_OFFICE,
        "Leuven",
        "Loketplein 1",
        "3000",
        (50.8795, 4.7101),
        "Stad Leuven",
        CITY_OFFICE,
        8,
        "nl, fr, en",
        [(3, "14:00", "17:00", SessionMode.BOTH, 2, 2)],
    ),
    (
        "Dienstencentrum Centrum (demo)",
        K.SERVICE_CENTRE,
        "Leuven",
        "Zorgzame Steeg 12",
        "3000",
        (50.8812, 4.6993),
        "OCMW Leuven",
        SERVICE_CENTRE,
        6,
        "nl, fr",
        [(0, "09:30", "11:30", SessionMode.WALK_IN, 1, 1)],
    ),
    (
        "Buurthuis Sint-Maartensdal (demo)",
        K.NEIGHBOURHOOD_CENTRE,
        "Leuven",
        "Torenhof 3",
        "3000",
        (50.8851, 4.6942),
        "Buurtwerk 't Lampeke",
        NEIGHBOURHOOD,
        4,
        "nl, ar, tr",
        [(2, "13:30", "15:30", SessionMode.WALK_IN, 2, 1)],
    ),
    (
        "Buurthuis Ridderbuurt (demo)",
        K.NEIGHBOURHOOD_CENTRE,
        "Leuven",
        "Schildknaapstraat 8",
        "3000",
        (50.8716, 4.6931),
        "Buurtwerk 't Lampeke",
        NEIGHBOURHOOD,
        3,
        "nl, ar",
        [],
    ),
    (
        "Huis van het Kind digipunt (demo)",
        K.OTHER,
        "Leuven",
        "Speelpleinstraat 2",
        "3000",
        (50.8779, 4.6962),
        "Huis van het Kind",
        SERVICE_CENTRE,
        2,
        "nl, fr, en",
        [(0, "13:30", "15:30", SessionMode.APPOINTMENT, 1, 1)],
    ),
    (
        "LDC Rozenberg (demo)",
        K.SERVICE_CENTRE,
        "Heverlee",
        "Rozenhaag 14",
        "3001",
        (50.8661, 4.6951),
        "LDC Rozenberg",
        SERVICE_CENTRE,
        5,
        "nl",
        [(1, "09:30", "11:30", SessionMode.BOTH, 2, 2)],
    ),
    (
        "Bibliotheek Heverlee (demo)",
        K.LIBRARY,
        "Heverlee",
        "Boekbinderslaan 21",
        "3001",
        (50.8610, 4.6986),
        "Bibliotheek Leuven",
        BRANCH_LIBRARY,
        6,
        "nl, en",
        [(2, "14:00", "16:00", SessionMode.WALK_IN, 1, 1)],
    ),
    (
        "Buurthuis Egenhoven (demo)",
        K.NEIGHBOURHOOD_CENTRE,
        "Heverlee",
        "Beukendreef 9",
        "3001",
        (50.8540, 4.7163),
        "Saamo",
        NEIGHBOURHOOD,
        2,
        "nl",
        [],
    ),
    (
        "Campus digipunt Arenberg (demo)",
        K.OTHER,
        "Heverlee",
        "Kasteelpark 30",
        "3001",
        (50.8631, 4.6780),
        "UCLL",
        LIBRARY,
        10,
        "nl, en",
        [(3, "18:00", "20:00", SessionMode.WALK_IN, 2, 1)],
    ),
    (
        "LDC Wijnveld (demo)",
        K.SERVICE_CENTRE,
        "Kessel-Lo",
        "Wijngaardstraat 6",
        "3010",
        (50.8888, 4.7279),
        "LDC Wijnveld",
        SERVICE_CENTRE,
        5,
        "nl, fr",
        [(2, "09:30", "11:30", SessionMode.BOTH, 2, 2)],
    ),
    (
        "Bibliotheek Kessel-Lo (demo)",
        K.LIBRARY,
        "Kessel-Lo",
        "Stationsweide 40",
        "3010",
        (50.8871, 4.7163),
        "Bibliotheek Leuven",
        BRANCH_LIBRARY,
        8,
        "nl, ar, en",
        [(5, "10:00", "12:00", SessionMode.BOTH, 2, 1)],
    ),
    (
        "Buurthuis De Ruimtevaart (demo)",
        K.NEIGHBOURHOOD_CENTRE,
        "Kessel-Lo",
        "Sterrenkijkerstraat 11",
        "3010",
        (50.8915, 4.7212),
        "De Ruimtevaart",
        NEIGHBOURHOOD,
        4,
        "nl, ar, uk",
        [(0, "14:00", "16:00", SessionMode.WALK_IN, 2, 1)],
    ),
    (
        "Dienstencentrum Kessel-Lo (demo)",
        K.SERVICE_CENTRE,
        "Kessel-Lo",
        "Ontmoetingsplein 7",
        "3010",
        (50.8842, 4.7361),
        "Zorg Leuven",
        SERVICE_CENTRE,
        4,
        "nl",
        [],
    ),
    (
        "Buurtpunt Linden (demo)",
        K.NEIGHBOURHOOD_CENTRE,
        "Kessel-Lo",
        "Lindehof 2",
        "3010",
        (50.8861, 4.7466),
        "Saamo",
        NEIGHBOURHOOD,
        2,
        "nl, tr",
        [],
    ),
    (
        "Bibliotheek Wilsele (demo)",
        K.LIBRARY,
        "Wilsele",
        "Vaartkanaalweg 15",
        "3012",
        (50.8993, 4.6965),
        "Bibliotheek Leuven",
        BRANCH_LIBRARY,
        4,
        "nl",
        [(3, "16:00", "18:00", SessionMode.WALK_IN, 1, 1)],
    ),
    (
        "Dienstencentrum Wilsele (demo)",
        K.SERVICE_CENTRE,
        "Wilsele",
        "Putkapelweg 19",
        "3012",
        (50.9031, 4.6890),
        "OCMW Leuven",
        SERVICE_CENTRE,
        3,
        "nl",
        [(1, "13:30", "15:30", SessionMode.APPOINTMENT, 1, 2)],
    ),
    (
        "Buurthuis Wilsele-Dorp (demo)",
        K.NEIGHBOURHOOD_CENTRE,
        "Wilsele",
        "Dorpsbron 4",
        "3012",
        (50.9079, 4.7002),
        "Seniorama",
        NEIGHBOURHOOD,
        2,
        "nl",
        [],
    ),
    (
        "Bibliotheek Wijgmaal (demo)",
        K.LIBRARY,
        "Wijgmaal",
        "Molenkaai 9",
        "3018",
        (50.9269, 4.6999),
        "Bibliotheek Leuven",
        BRANCH_LIBRARY,
        3,
        "nl",
        [(5, "10:00", "12:00", SessionMode.WALK_IN, 1, 1)],
    ),
    (
        "Ontmoetingscentrum Wijgmaal (demo)",
        K.NEIGHBOURHOOD_CENTRE,
        "Wijgmaal",
        "Brouwerijhof 1",
        "3018",
        (50.9247, 4.7048),
        "Stad Leuven",
        NEIGHBOURHOOD,
        2,
        "nl, fr",
        [],
    ),
]
# Closures of one digipunt: (index in DIGIPUNTEN, days from today, length in days, reason).
OWN_CLOSURES = [
    (0, -120, 5, "Inventaris"),
    (7, 20, 7, "Werken aan het gebouw"),
    (10, -40, 14, "Zomersluiting"),
    (12, 45, 3, "Buurtfeest: digipunt gesloten"),
]
# Weights of the help contacts.
THEME_WEIGHTS = {
    "tax": 14,
    "itsme": 16,
    "banking": 14,
    "health": 6,
    "school": 5,
    "jobs": 8,
    "forms": 12,
    "email": 9,
    "smartphone": 12,
    "other": 4,
}
LANGUAGE_WEIGHTS = {
    "nl": 58,
    "ar": 9,
    "fr": 7,
    "en": 6,
    "tr": 5,
    "uk": 5,
    "ru": 2,
    "pl": 2,
    "ro": 2,
    "ti": 2,
    "so": 1,
    "other": 1,
}
OUTCOME_WEIGHTS = {Outcome.SOLVED: 68, Outcome.FOLLOW_UP: 21, Outcome.REFERRED: 11}
MINUTE_WEIGHTS = {5: 12, 10: 30, 15: 22, 20: 14, 30: 13, 45: 6, 60: 3}
HELP_CONTACTS = 3200
PAST_DAYS = 365


def _t(value: str) -> datetime.time:
    return datetime.time.fromisoformat(value)


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _people(network) -> dict[str, list[Membership]]:
    by_role: dict[str, list[Membership]] = defaultdict(list)
    for m in Membership.objects.in_network(network).active().select_related("user").order_by("pk"):
        by_role[m.role].append(m)
    return by_role


@transaction.atomic
def demo_load(*, network, rng: random.Random, users: dict | None = None) -> None:
    """Create or complete the demo digipunten of ``network`` (a Leuven-like demo network)."""
    today = timezone.localdate()
    themes_ensure(network=network)
    specs = specs_for(network)
    digipunten = _digipunten(network, specs)
    _holidays(network, today)
    if specs is DIGIPUNTEN:
        _own_closures(network, digipunten, today)
    sessions = _sessions(network, digipunten, specs, today)
    people = _people(network)
    # One generator per part, drawn up front: a part skipped on a second run (idempotence)
    # does not shift the random numbers of the others.
    shifts_rng, contacts_rng, tallies_rng, appointments_rng = (
        random.Random(rng.getrandbits(64)) for _ in range(4)
    )
    _shifts(network, sessions, people, today, shifts_rng)
    _help_contacts(network, digipunten, people, today, contacts_rng)
    _tallies(network, digipunten, today, tallies_rng)
    _appointments(network, sessions, people, today, appointments_rng)


def specs_for(network) -> list[tuple]:
    """Leuven's twenty; another demo network (another city) gets two in its own districts."""
    if network.city == "Leuven":
        return DIGIPUNTEN
    districts = list(District.objects.in_network(network).order_by("name")[:2]) or [None]
    first, last = districts[0], districts[-1]

    def postcode(district) -> str:
        codes = district.postcode_list() if district else []
        return codes[0] if codes else "9999"

    city = network.city or network.name
    session = [(1, "14:00", "16:00", SessionMode.BOTH, 2, 2)]
    return [
        (
            f"Bibliotheek {city} (demo)",
            K.LIBRARY,
            first.name if first else "",
            "Leesplein 1",
            postcode(first),
            (None, None),
            "",
            LIBRARY,
            8,
            "nl, fr",
            session,
        ),
        (
            f"Buurthuis {last.name if last else city} (demo)",
            K.NEIGHBOURHOOD_CENTRE,
            last.name if last else "",
            "Pleintje 3",
            postcode(last),
            (None, None),
            "",
            NEIGHBOURHOOD,
            3,
            "nl",
            [],
        ),
    ]


def _digipunten(network, specs) -> list[Digipunt]:
    districts = {d.name: d for d in District.objects.in_network(network)}
    organisations = {o.name: o for o in Organisation.objects.in_network(network)}
    result = []
    for name, kind, district, street, postcode, (lat, lon), org, pattern, pcs, languages, _s in specs:
        digipunt, created = Digipunt.objects.get_or_create(
            network=network,
            name=name,
            defaults={
                "kind": kind,
                "organisation": organisations.get(org),
                "district": districts.get(district),
                "street": street,
                "postcode": postcode,
                "city": network.city or "Leuven",
                "latitude": lat,
                "longitude": lon,
                "languages": languages,
                "computers": pcs,
                "has_printer": pcs >= 4,
                "has_scanner": pcs >= 6,
                "has_wifi": True,
                "has_headsets": kind == K.LIBRARY,
                "step_free": kind != K.NEIGHBOURHOOD_CENTRE or pcs > 2,
                "accessible_toilet": kind in {K.LIBRARY, K.SERVICE_CENTRE, K.CITY_OFFICE},
                "hearing_loop": kind in {K.LIBRARY, K.CITY_OFFICE},
                "adjustable_desk": pcs >= 8,
                "description": "Fictief digipunt van het demonetwerk; adres verzonnen.",
                "is_demo": True,
            },
        )
        if created or not OpeningPeriod.objects.in_network(network).filter(digipunt=digipunt).exists():
            OpeningPeriod.objects.bulk_create(
                OpeningPeriod(
                    network=network, digipunt=digipunt, weekday=day, opens_at=_t(o), closes_at=_t(c)
                )
                for day, periods in pattern.items()
                for o, c in periods
            )
        result.append(digipunt)
    return result


def _holidays(network, today: datetime.date) -> None:
    for year in (today.year - 1, today.year, today.year + 1):
        public_holidays_add(network=network, year=year)


def _own_closures(network, digipunten, today: datetime.date) -> None:
    for index, offset, length, reason in OWN_CLOSURES:
        if Closure.objects.in_network(network).filter(digipunt=digipunten[index], reason=reason).exists():
            continue
        start = today + datetime.timedelta(days=offset)
        Closure.objects.create(
            network=network,
            digipunt=digipunten[index],
            starts_on=start,
            ends_on=start + datetime.timedelta(days=length - 1),
            reason=reason,
        )
    # A short day before Christmas at the main library: special hours, not closed.
    eve = datetime.date(today.year, 12, 24)
    Closure.objects.get_or_create(
        network=network,
        digipunt=digipunten[0],
        starts_on=eve,
        reason="Kerstavond: korter open",
        defaults={"ends_on": eve, "opens_at": datetime.time(10), "closes_at": datetime.time(14)},
    )


def _sessions(network, digipunten, specs, today: datetime.date) -> list[HelpSession]:
    sessions = []
    start = today - datetime.timedelta(days=PAST_DAYS + 7)
    for digipunt, spec in zip(digipunten, specs, strict=True):
        existing = list(HelpSession.objects.in_network(network).filter(digipunt=digipunt))
        if not existing:
            existing = [
                HelpSession.objects.create(
                    network=network,
                    digipunt=digipunt,
                    title="Digitaal spreekuur",
                    weekday=weekday,
                    starts_at=_t(begin),
                    ends_at=_t(end),
                    mode=mode,
                    slot_minutes=30,
                    capacity_per_slot=capacity,
                    helpers_needed=helpers,
                    languages=spec[9],
                    valid_from=start,
                )
                for weekday, begin, end, mode, helpers, capacity in spec[10]
            ]
        sessions.extend(existing)
    return sessions


def _schedules(network, digipunten, since: datetime.date):
    return schedules_for(digipunten, since=since)


def _shifts(network, sessions, people, today, rng: random.Random) -> None:
    helpers = people.get(Role.VOLUNTEER, []) + people.get(Role.DIGIPUNT_STAFF, [])
    if not helpers or not sessions or Shift.objects.in_network(network).filter(session__in=sessions).exists():
        return
    start = today - datetime.timedelta(weeks=6)
    schedules = _schedules(network, list({s.digipunt_id: s.digipunt for s in sessions}.values()), start)
    rows = []
    for occurrence in hours.occurrences(sessions, schedules, start, 10 * 7):
        # Not every date is staffed: the coordinators see the gaps.
        for helper in helpers:
            if rng.random() < 0.35:
                rows.append(
                    Shift(
                        network=network, session=occurrence.session, date=occurrence.date, membership=helper
                    )
                )
    Shift.objects.bulk_create(rows, ignore_conflicts=True)


def _help_contacts(network, digipunten, people, today, rng: random.Random) -> None:
    if HelpContact.objects.in_network(network).filter(digipunt__in=digipunten).exists():
        return
    registrars = [
        m.user
        for role in (Role.DIGIPUNT_STAFF, Role.VOLUNTEER, Role.SERVICE_DESK)
        for m in people.get(role, [])
    ] or [None]
    themes = {t.code: t for t in HelpTheme.objects.in_network(network)}
    theme_weights = {code: w for code, w in THEME_WEIGHTS.items() if code in themes}
    schedules = _schedules(network, digipunten, today - datetime.timedelta(days=PAST_DAYS + 1))
    # Bigger digipunten see more people.
    place_weights = [max(1, d.computers) + 2 for d in digipunten]
    residents = list(
        Resident.objects.in_network(network).not_erased().order_by("pk").values_list("pk", flat=True)[:400]
    )
    contacts = []
    attempts = 0
    while len(contacts) < HELP_CONTACTS and attempts < HELP_CONTACTS * 20:
        attempts += 1
        day = today - datetime.timedelta(days=rng.randint(1, PAST_DAYS))
        digipunt = rng.choices(digipunten, weights=place_weights)[0]
        periods = schedules[digipunt.pk].day(day).periods
        if not periods:
            continue
        period = rng.choice(periods)
        begin = datetime.datetime.combine(day, period.opens)
        end = datetime.datetime.combine(day, period.closes) if period.closes != datetime.time(0) else begin
        span = max(1, int((end - begin).total_seconds() // 60) - 5)
        wall = begin + datetime.timedelta(minutes=rng.randrange(span))
        outcome = _weighted(rng, OUTCOME_WEIGHTS)
        contacts.append(
            HelpContact(
                network=network,
                digipunt=digipunt,
                theme=themes[_weighted(rng, theme_weights)],
                minutes=_weighted(rng, MINUTE_WEIGHTS),
                language=_weighted(rng, LANGUAGE_WEIGHTS),
                outcome=outcome,
                occurred_at=hours.to_instant(day, wall.time()),
                resident_id=rng.choice(residents) if residents and rng.random() < 0.06 else None,
                registered_by=rng.choice(registrars),
            )
        )
    HelpContact.objects.bulk_create(contacts, batch_size=1000)


def _tallies(network, digipunten, today, rng: random.Random) -> None:
    if VisitorTally.objects.in_network(network).filter(digipunt__in=digipunten).exists():
        return
    schedules = _schedules(network, digipunten, today - datetime.timedelta(days=91))
    rows = []
    for digipunt in digipunten:
        for offset in range(1, 91):
            day = today - datetime.timedelta(days=offset)
            if schedules[digipunt.pk].day(day).periods and digipunt.computers:
                rows.append(
                    VisitorTally(
                        network=network,
                        digipunt=digipunt,
                        date=day,
                        count=rng.randint(0, 3 * digipunt.computers),
                    )
                )
    VisitorTally.objects.bulk_create(rows, ignore_conflicts=True)


def _appointments(network, sessions, people, today, rng: random.Random) -> None:
    bookable = [s for s in sessions if s.is_bookable]
    if not bookable or Appointment.objects.in_network(network).filter(slot__session__in=bookable).exists():
        return
    residents = list(
        Resident.objects.in_network(network)
        .not_erased()
        .select_related("registered_by_organisation")
        .order_by("pk")[:300]
    )
    if not residents:
        return
    desk = (people.get(Role.SERVICE_DESK) or people.get(Role.COORDINATOR) or [None])[0]
    digipunt_staff = (people.get(Role.DIGIPUNT_STAFF) or [desk])[0]
    partners = {m.organisation_id: m for m in people.get(Role.PARTNER_WORKER, [])}
    now = timezone.now()
    start = today - datetime.timedelta(weeks=8)
    schedules = _schedules(network, list({s.digipunt_id: s.digipunt for s in bookable}.values()), start)
    for occurrence in hours.occurrences(bookable, schedules, start, 11 * 7):
        session = occurrence.session
        for starts_at, ends_at in hours.slot_times(session, occurrence.date):
            wanted = rng.randint(0, session.capacity_per_slot)
            if not wanted:
                continue
            slot = Slot.objects.create(
                network=network,
                session=session,
                digipunt_id=session.digipunt_id,
                starts_at=starts_at,
                ends_at=ends_at,
                capacity=session.capacity_per_slot,
                booked=0,
            )
            taken = 0
            for resident in rng.sample(residents, wanted):
                past = starts_at < now
                roll = rng.random()
                if roll < 0.1:
                    status = AppointmentStatus.CANCELLED
                elif past:
                    status = AppointmentStatus.NO_SHOW if roll < 0.22 else AppointmentStatus.ATTENDED
                else:
                    status = AppointmentStatus.BOOKED
                partner = partners.get(resident.registered_by_organisation_id)
                booker, channel = (
                    (partner, BookingChannel.PARTNER)
                    if partner is not None
                    else rng.choice([(desk, BookingChannel.DESK), (digipunt_staff, BookingChannel.DIGIPUNT)])
                )
                Appointment.objects.create(
                    network=network,
                    slot=slot,
                    resident=resident,
                    language=(resident.language_list() or ["nl"])[0][:8],
                    status=status,
                    channel=channel,
                    booked_by=booker.user if booker else None,
                    booked_by_organisation_id=booker.organisation_id
                    if channel == BookingChannel.PARTNER
                    else None,
                    booked_at=starts_at - datetime.timedelta(days=rng.randint(1, 14)),
                    status_changed_at=starts_at if status != AppointmentStatus.BOOKED else None,
                    cancel_reason="Ziek" if status == AppointmentStatus.CANCELLED else "",
                )
                taken += status != AppointmentStatus.CANCELLED
            Slot.objects.filter(pk=slot.pk).update(booked=taken)
