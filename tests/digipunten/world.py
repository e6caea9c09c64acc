"""Digipunten in the test world: in each network a digipunt with hours, a holiday, a help
session that takes appointments, the standard themes, a help contact, a shift and an
appointment. The copy in ``other`` says "Zegers".

Leuven's appointment is booked by partner_a (org_a) for resident_a: partner_a may see it,
partner_b may not (404), which the authorization walk checks.
"""

import datetime

from django.utils import timezone

from digibank.digipunten import hours, services
from digibank.digipunten.models import Closure, Digipunt, HelpSession, OpeningPeriod, SessionMode
from digibank.networks.models import Membership


def next_weekday(weekday: int, *, after: datetime.date | None = None) -> datetime.date:
    """The first date strictly after ``after`` (default today) that falls on ``weekday``."""
    day = (after or timezone.localdate()) + datetime.timedelta(days=1)
    while day.weekday() != weekday:
        day += datetime.timedelta(days=1)
    return day


def make_digipunt(network, *, name: str, district=None, organisation=None, **extra) -> Digipunt:
    digipunt = Digipunt.objects.create(
        network=network,
        name=name,
        street="Rijschoolstraat 1",
        postcode="3000",
        city="Leuven",
        district=district,
        organisation=organisation,
        computers=6,
        has_printer=True,
        has_wifi=True,
        step_free=True,
        languages="nl, fr",
        **extra,
    )
    for weekday in range(5):
        OpeningPeriod.objects.create(
            network=network,
            digipunt=digipunt,
            weekday=weekday,
            opens_at=datetime.time(9),
            closes_at=datetime.time(17),
        )
    return digipunt


def make_session(digipunt, **extra) -> HelpSession:
    values = {
        "title": "Digitaal spreekuur",
        "weekday": 1,  # Tuesday
        "starts_at": datetime.time(14),
        "ends_at": datetime.time(16),
        "mode": SessionMode.BOTH,
        "slot_minutes": 30,
        "capacity_per_slot": 2,
        "helpers_needed": 2,
        "valid_from": timezone.localdate() - datetime.timedelta(days=60),
    }
    values.update(extra)
    return HelpSession.objects.create(network=digipunt.network, digipunt=digipunt, **values)


def _membership(user, network):
    return Membership.objects.get(user=user, network=network)


def _digipunten(network, *, name, session_title, booker, resident, helper, registrar, theme_name=None):
    digipunt = make_digipunt(network, name=name)
    Closure.objects.create(
        network=network,
        starts_on=datetime.date(2026, 12, 25),
        ends_on=datetime.date(2026, 12, 25),
        reason="Kerstmis",
    )
    session = make_session(digipunt, title=session_title)
    services.themes_ensure(network=network)
    theme = services.theme_save(network=network, data={"name": theme_name}) if theme_name else None
    theme = theme or digipunt_theme(network)
    contact = services.helpcontact_register(
        membership=_membership(registrar, network),
        actor=registrar,
        digipunt=digipunt,
        theme=theme,
        outcome="solved",
        minutes=10,
        language="nl",
    )
    # The real clock, not timezone.localdate(): some areas' tests pin "today" to a fixed date.
    today = hours.local(timezone.now()).date()
    tuesday = next_weekday(1, after=today + datetime.timedelta(days=1))
    booker_membership = _membership(booker, network)
    appointment = services.appointment_book(
        session=session,
        starts_at=hours.to_instant(tuesday, datetime.time(14)),
        channel="partner" if booker_membership.organisation_id else "desk",
        booked_by=booker,
        membership=booker_membership,
        resident=resident,
        notes=f"{session_title}: itsme",
    )
    shift = services.shift_signup(membership=_membership(helper, network), session=session, date=tuesday)
    return digipunt, session, theme, contact, appointment, shift


def digipunt_theme(network):
    from digibank.digipunten.models import HelpTheme

    return HelpTheme.objects.in_network(network).order_by("position").first()


def extend_world(w):
    (w.dp, w.session, w.theme, w.contact, w.appointment, w.shift) = _digipunten(
        w.leuven,
        name="Bibliotheek Tweebronnen (test)",
        session_title="Digitaal spreekuur",
        booker=w.partner_a,
        resident=w.resident_a,
        helper=w.volunteer,
        registrar=w.digipunt,
    )
    (w.dp_other, w.session_other, w.theme_other, w.contact_other, w.appointment_other, w.shift_other) = (
        _digipunten(
            w.other,
            name="Zegers digipunt",
            session_title="Zegers spreekuur",
            booker=w.outsider,
            resident=w.resident_other,
            helper=w.outsider,
            registrar=w.outsider,
            theme_name="Zegers thema",
        )
    )
