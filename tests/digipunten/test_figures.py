"""The figures of the digipunten on a fixed data set: every number checked by hand."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse

from digibank.digipunten.figures import help_figures
from digibank.digipunten.models import (
    Appointment,
    HelpContact,
    HelpTheme,
    Slot,
    VisitorTally,
)

from .world import make_digipunt

TZ = zoneinfo.ZoneInfo("Europe/Brussels")


def at(*args):
    return datetime.datetime(*args, tzinfo=TZ)


@pytest.fixture
def data(world):
    """Ten contacts in March 2026 in two digipunten (one on the DST Sunday), tallies and appointments."""
    HelpContact.objects.all().delete()
    second = make_digipunt(world.leuven, name="Buurthuis Oost (test)")
    themes = {t.code: t for t in HelpTheme.objects.in_network(world.leuven)}
    rows = [
        # (when, digipunt, theme, language, outcome, minutes)
        (at(2026, 3, 2, 10, 15), world.dp, "itsme", "nl", "solved", 10),  # Monday, ISO week 10
        (at(2026, 3, 2, 10, 45), world.dp, "itsme", "ar", "solved", 15),
        (at(2026, 3, 2, 14, 5), world.dp, "tax", "nl", "follow_up", 30),
        (at(2026, 3, 4, 10, 30), second, "itsme", "nl", "solved", 10),  # Wednesday
        (at(2026, 3, 9, 10, 0), world.dp, "banking", "fr", "referred", 20),  # Monday, ISO week 11
        (at(2026, 3, 9, 10, 59), second, "itsme", "nl", "solved", 5),
        (at(2026, 3, 10, 9, 0), world.dp, "email", "nl", "solved", 10),  # Tuesday
        (at(2026, 3, 10, 16, 30), world.dp, "tax", "ar", "follow_up", 45),
        (at(2026, 3, 29, 10, 30), second, "itsme", "uk", "solved", 10),  # the DST Sunday: 10:30 CEST
        (at(2026, 3, 31, 23, 59), second, "other", "nl", "solved", 5),  # last minute of the period
        (at(2026, 4, 1, 0, 0), second, "other", "nl", "solved", 5),  # outside the period
    ]
    for when, digipunt, theme, language, outcome, minutes in rows:
        HelpContact.objects.create(
            network=world.leuven,
            digipunt=digipunt,
            theme=themes[theme],
            language=language,
            outcome=outcome,
            minutes=minutes,
            occurred_at=when,
            registered_by=world.digipunt,
        )
    HelpContact.objects.create(  # another network's: never counted
        network=world.other,
        digipunt=world.dp_other,
        theme=world.theme_other,
        language="nl",
        outcome="solved",
        minutes=10,
        occurred_at=at(2026, 3, 3, 10),
    )
    VisitorTally.objects.create(
        network=world.leuven, digipunt=world.dp, date=datetime.date(2026, 3, 2), count=12
    )
    VisitorTally.objects.create(
        network=world.leuven, digipunt=second, date=datetime.date(2026, 3, 9), count=5
    )
    VisitorTally.objects.create(
        network=world.leuven, digipunt=second, date=datetime.date(2026, 4, 9), count=99
    )
    slot = Slot.objects.create(
        network=world.leuven,
        session=world.session,
        digipunt=world.dp,
        starts_at=at(2026, 3, 10, 14),
        ends_at=at(2026, 3, 10, 14, 30),
        capacity=5,
        booked=4,
    )
    for status in ["attended", "attended", "no_show", "cancelled", "booked"]:
        Appointment.objects.create(
            network=world.leuven,
            slot=slot,
            name="X",
            phone="1",
            status=status,
            channel="desk",
            booked_at=at(2026, 3, 1, 9),
        )
    return second


def figures(world):
    return help_figures(
        network_id=world.leuven.pk,
        start=datetime.date(2026, 3, 1),
        end=datetime.date(2026, 3, 31),
        now=at(2026, 6, 1, 12),
    )


def test_the_totals_and_the_share_solved_on_the_spot(world, data):
    result = figures(world)
    assert (result.total, result.solved, result.minutes) == (10, 7, 160)
    assert result.solved_share == pytest.approx(0.7)


def test_contacts_by_theme_digipunt_week_and_language(world, data):
    result = figures(world)
    assert [(r.label, r.count, r.solved) for r in result.by_theme] == [
        ("itsme", 5, 5),
        ("Tax-on-web / MyMinfin", 2, 0),
        ("Banking app", 1, 0),
        ("E-mail", 1, 1),
        ("Other", 1, 1),
    ]
    assert [(r.label, r.count) for r in result.by_digipunt] == [
        ("Bibliotheek Tweebronnen (test)", 6),
        ("Buurthuis Oost (test)", 4),
    ]
    assert [(r.label, r.count) for r in result.by_week] == [
        ("2026-W10", 4),
        ("2026-W11", 4),
        ("2026-W13", 1),
        ("2026-W14", 1),
    ]
    assert [(r.label, r.count) for r in result.by_language] == [
        ("Dutch", 6),
        ("Arabic", 2),
        ("French", 1),
        ("Ukrainian", 1),
    ]


def test_the_busiest_hours_are_counted_in_local_time(world, data):
    grid = dict(figures(world).grid.rows)
    hours = figures(world).grid.hours
    monday = dict(zip(hours, grid["Monday"], strict=True))
    assert monday[10] == 4 and monday[14] == 1
    assert dict(zip(hours, grid["Sunday"], strict=True))[10] == 1  # 10:30 CEST, not 08:30 UTC
    assert dict(zip(hours, grid["Tuesday"], strict=True))[23] == 1
    assert sum(sum(row) for row in grid.values()) == 10


def test_visitors_and_the_no_show_rate(world, data):
    result = figures(world)
    assert result.visitors == 17
    # Five appointments, one cancelled: four that should have taken place, one no-show.
    assert (result.appointments_due, result.no_shows) == (4, 1)
    assert result.no_show_rate == pytest.approx(0.25)


def test_the_page_shows_the_figures_as_accessible_tables(world, data, client_for):
    period = {"start": "2026-03-01", "end": "2026-03-31"}
    response = client_for(world.coordinator).get(reverse("digipunten:figures"), period)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<th scope="row">Monday</th>' in html and '<th scope="col">10h</th>' in html
    assert "70 %" in html and "25 %" in html
    # The steering group: the same page under the figures policy. One no-show of four
    # appointments is a small group, so no rate; no cell of 1 to 4 contacts either.
    html = client_for(world.steering).get(reverse("digipunten:figures"), period).content.decode()
    assert "Amira" not in html and "25 %" not in html and "&lt; 5" in html
    assert "Groups smaller than 5" in html


def test_figures_are_only_for_roles_with_figures_view(world, client_for):
    for actor in (world.volunteer, world.partner_a, world.digipunt):
        assert client_for(actor).get(reverse("digipunten:figures")).status_code == 403
