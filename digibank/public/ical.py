"""iCal (RFC 5545) feeds of the help hours, per network and per digipunt.

One recurring event per weekly help session: DTSTART/DTEND in Europe/Brussels wall time
(TZID, with the VTIMEZONE included), ``RRULE:FREQ=WEEKLY;BYDAY=..`` (with UNTIL when the
session ends), and an EXDATE for every date on which a closure cancels it — the same rule as
the site (digipunten.hours.Schedule.session_happens), so the calendar and the pages agree.
"""

from __future__ import annotations

import datetime
import zoneinfo
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from digibank.digipunten import selectors as digipunten
from digibank.digipunten.hours import HORIZON_DAYS
from digibank.digipunten.models import Digipunt, HelpSession

from . import hsds, selectors

TZ = zoneinfo.ZoneInfo(settings.TIME_ZONE)
BYDAY = hsds.BYDAY


def _first_date(session: HelpSession) -> datetime.date:
    return session.valid_from + datetime.timedelta(days=(session.weekday - session.valid_from.weekday()) % 7)


def _wall(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, time, tzinfo=TZ)


def excluded_dates(session: HelpSession, schedule, *, until: datetime.date) -> list[datetime.date]:
    """The dates of the weekly pattern on which an exception cancels the session."""
    first = _first_date(session)
    found = set()
    for closure in schedule.closures:
        day = max(closure.starts_on, first)
        last = min(closure.ends_on, until)
        while day <= last:
            if (
                day.weekday() == session.weekday
                and session.recurs_on(day)
                and not schedule.session_happens(session, day)
            ):
                found.add(day)
            day += datetime.timedelta(days=1)
    return sorted(found)


def _event(network, session: HelpSession, schedule, *, today: datetime.date, host: str) -> icalendar.Event:
    place = session.digipunt
    first = _first_date(session)
    horizon = today + datetime.timedelta(days=HORIZON_DAYS)
    until = min(session.valid_to, horizon) if session.valid_to else horizon
    event = icalendar.Event()
    session_id = hsds.make_id(hsds.Kind.SESSION_SCHEDULE, network.pk, session.pk)
    event.add("uid", f"{session_id}@{host}")
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC).replace(microsecond=0))
    event.add("summary", f"{session.title or _('Digital help hour')} – {place.name}")
    event.add("dtstart", _wall(first, session.starts_at))
    event.add("dtend", _wall(first, session.ends_at))
    rule = {"freq": "weekly", "byday": BYDAY[session.weekday], "wkst": "MO"}
    if session.valid_to:
        last_start = _wall(session.valid_to, session.starts_at).astimezone(datetime.UTC)
        rule["until"] = last_start
    event.add("rrule", rule)
    exdates = [_wall(day, session.starts_at) for day in excluded_dates(session, schedule, until=until)]
    if exdates:
        event.add("exdate", exdates)
    event.add("location", f"{place.name}, {place.address}")
    page = hsds.absolute(reverse("public:digipunt", kwargs={"network_slug": network.slug, "pk": place.pk}))
    event.add("url", page)
    lines = [session.get_mode_display()]
    languages = [
        str(selectors.LANGUAGE_NAMES.get(c.strip(), c.strip()))
        for c in session.languages.split(",")
        if c.strip()
    ]
    if languages:
        lines.append(_("Languages: %(languages)s") % {"languages": ", ".join(languages)})
    if session.is_bookable:
        book = hsds.absolute(reverse("public:book", kwargs={"network_slug": network.slug, "pk": place.pk}))
        lines.append(_("Make an appointment: %(url)s") % {"url": book})
    event.add("description", "\n".join(lines))
    if place.latitude is not None and place.longitude is not None:
        event.add("geo", (float(place.latitude), float(place.longitude)))
    return event


def help_hours(*, network, digipunt: Digipunt | None = None) -> bytes:
    """The help hours of the network (or of one digipunt) as an iCal calendar."""
    today = timezone.localdate()
    if digipunt is not None:
        places = [digipunt]
        sessions = list(digipunten.sessions_of(digipunt, on=today))
        for session in sessions:
            session.digipunt = digipunt
    else:
        places = selectors.active_digipunten(network)
        by_place = selectors.current_sessions(network=network, on=today)
        sessions = [s for place in places for s in by_place.get(place.pk, [])]
    since = min((s.valid_from for s in sessions), default=today)
    schedules = digipunten.schedules_for(places, since=since)
    host = urlsplit(settings.SITE_URL).hostname or "digibank"
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Digibank//Public site//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = digipunt.name if digipunt is not None else network.name
    calendar.add("x-wr-calname", _("Help hours: %(name)s") % {"name": name})
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for session in sessions:
        calendar.add_component(
            _event(network, session, schedules[session.digipunt_id], today=today, host=host)
        )
    calendar.add_missing_timezones()
    return calendar.to_ical()
