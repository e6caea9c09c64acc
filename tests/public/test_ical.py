"""iCal feeds of help hours: parsed with the icalendar library, expanded, and compared with the
help-hour dates the digipunten capability computes (closures and special hours included)."""

import datetime
import zoneinfo

import icalendar
from dateutil.rrule import rrulestr
from django.urls import reverse
from django.utils import timezone

from digibank.digipunten import selectors as digipunten_selectors
from digibank.digipunten.models import Closure
from digibank.public import hsds
from digibank.public.selectors import visitor

from .conftest import free_day

TZ = zoneinfo.ZoneInfo("Europe/Brussels")
WEEKS = 6


def feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def network_feed(client, world):
    return feed(client, reverse("open:ical", kwargs={"network_slug": world.leuven.slug}))


def expand(event, start: datetime.date, days: int) -> set[datetime.datetime]:
    """The start times of an event in [start, start + days), EXDATEs removed."""
    dtstart = event["DTSTART"].dt
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=dtstart)
    low = datetime.datetime.combine(start, datetime.time(0), tzinfo=TZ)
    high = low + datetime.timedelta(days=days)
    found = set(rule.between(low, high, inc=True))
    excluded = set()
    exdates = event.get("EXDATE")
    for group in exdates if isinstance(exdates, list) else [exdates] if exdates else []:
        excluded |= {d.dt for d in group.dts}
    return {d for d in found if d not in excluded}


def uid_of(world, session):
    return hsds.make_id(hsds.Kind.SESSION_SCHEDULE, world.leuven.pk, session.pk)


def test_the_network_feed_has_one_recurring_event_per_help_session(site, english):
    calendar = network_feed(english, site)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1 + 7  # the world's Tuesday session and the seven evening sessions
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Brussels"]
    tuesday = next(e for e in events if str(e["UID"]).startswith(uid_of(site, site.session)))
    assert tuesday["DTSTART"].params["TZID"] == "Europe/Brussels"
    assert tuesday["DTSTART"].dt.time() == datetime.time(14) and tuesday["DTEND"].dt.time() == datetime.time(
        16
    )
    assert tuesday["RRULE"]["FREQ"] == ["WEEKLY"] and tuesday["RRULE"]["BYDAY"] == ["TU"]
    assert "Bibliotheek Tweebronnen (test)" in str(tuesday["LOCATION"])
    assert "Zegers" not in calendar.to_ical().decode()


def test_the_expanded_calendar_matches_the_help_hour_dates_with_closures(site, english):
    today = timezone.localdate()
    # A closure of one digipunt, a network-wide holiday, special hours that cancel an evening
    # session and special hours that keep one, each on a day that had no closure yet.
    day = free_day(site.leuven, today + datetime.timedelta(days=9))
    Closure.objects.create(
        network=site.leuven, digipunt=site.open_dp, starts_on=day, ends_on=day, reason="Werken"
    )
    holiday = free_day(site.leuven, today + datetime.timedelta(days=15))
    Closure.objects.create(
        network=site.leuven,
        starts_on=holiday,
        ends_on=holiday + datetime.timedelta(days=1),
        reason="Feestdag",
    )
    short = free_day(site.leuven, today + datetime.timedelta(days=20))
    Closure.objects.create(
        network=site.leuven,
        digipunt=site.open_dp,
        starts_on=short,
        ends_on=short,
        reason="Kort",
        opens_at=datetime.time(9),
        closes_at=datetime.time(12),
    )
    long = free_day(site.leuven, today + datetime.timedelta(days=22))
    Closure.objects.create(
        network=site.leuven,
        digipunt=site.open_dp,
        starts_on=long,
        ends_on=long,
        reason="Lang",
        opens_at=datetime.time(17),
        closes_at=datetime.time(21),
    )
    events = {str(e["UID"]).split("@")[0]: e for e in network_feed(english, site).walk("VEVENT")}
    start = today
    from_ical = set()
    for session in [site.session, *site.open_sessions]:
        for moment in expand(events[uid_of(site, session)], start, WEEKS * 7):
            from_ical.add((session.pk, moment.date()))
    expected = {
        (o.session.pk, o.date)
        for o in digipunten_selectors.session_occurrences(
            membership=visitor(site.leuven), start=start, days=WEEKS * 7
        )
    }
    assert from_ical == expected
    dates = {d for _pk, d in expected}
    assert day not in {d for pk, d in expected if pk in {s.pk for s in site.open_sessions}}
    assert holiday not in dates and short not in dates and long in dates


def test_a_closure_shows_as_an_exdate_in_local_time(site, english):
    day = timezone.localdate() + datetime.timedelta(days=10)
    Closure.objects.create(
        network=site.leuven, digipunt=site.open_dp, starts_on=day, ends_on=day, reason="Dicht"
    )
    session = next(s for s in site.open_sessions if s.weekday == day.weekday())
    events = {str(e["UID"]).split("@")[0]: e for e in network_feed(english, site).walk("VEVENT")}
    event = events[uid_of(site, session)]
    exdates = event["EXDATE"]
    moments = [d.dt for group in (exdates if isinstance(exdates, list) else [exdates]) for d in group.dts]
    assert datetime.datetime.combine(day, datetime.time(18), tzinfo=TZ) in moments
    assert "EXDATE;TZID=Europe/Brussels:" in network_feed(english, site).to_ical().decode()


def test_a_session_that_ends_stops_with_until(site, english):
    session = site.open_sessions[2]
    session.valid_to = timezone.localdate() + datetime.timedelta(days=30)
    session.save()
    events = {str(e["UID"]).split("@")[0]: e for e in network_feed(english, site).walk("VEVENT")}
    until = events[uid_of(site, session)]["RRULE"]["UNTIL"][0]
    assert until.tzinfo is not None and until.utcoffset() == datetime.timedelta(0)
    assert until.astimezone(TZ).date() == session.valid_to


def test_the_digipunt_feed_holds_only_that_digipunt(site, english):
    url = reverse("open:ical_digipunt", kwargs={"network_slug": site.leuven.slug, "pk": site.dp.pk})
    events = list(feed(english, url).walk("VEVENT"))
    assert [str(e["UID"]).split("@")[0] for e in events] == [uid_of(site, site.session)]


def test_a_digipunt_of_another_network_has_no_feed_here(site, english):
    url = reverse("open:ical_digipunt", kwargs={"network_slug": site.leuven.slug, "pk": site.dp_other.pk})
    assert english.get(url).status_code == 404
    assert english.get(reverse("open:ical", kwargs={"network_slug": "x"})).status_code == 404
