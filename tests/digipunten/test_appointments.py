"""Appointments: slots from help sessions, booking, the last place, cancelling, no-shows,
partner scoping, confirmations and reminders (each sent once) and the letters to print."""

import datetime
import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from digibank.digipunten import hours, messages, selectors, services
from digibank.digipunten.models import (
    Appointment,
    AppointmentStatus,
    Closure,
    MessageKind,
    SessionMode,
    Slot,
)
from digibank.lib.sms import LocmemSmsBackend
from digibank.messaging import sending
from digibank.messaging.models import MessageStatus, OutboundMessage
from digibank.networks.models import Membership

from .. import factories as f
from ..factories import ResidentFactory
from .world import make_digipunt, make_session, next_weekday


def outbox_of(appointment, kind=None):
    """The appointment's messages in the outbox (its confirmation and reminder)."""
    kinds = [kind] if kind else MessageKind.values
    keys = [messages.message_key(appointment, k) for k in kinds]
    return OutboundMessage.objects.filter(idempotency_key__in=keys)


def membership(user, network=None):
    return Membership.objects.get(user=user, **({"network": network} if network else {}))


def tuesday_at(hour, minute=0, *, weeks=1):
    """A Tuesday at least ``weeks`` weeks ahead (the world's session: Tuesdays 14-16)."""
    day = next_weekday(1, after=timezone.localdate() + datetime.timedelta(days=7 * weeks))
    return hours.to_instant(day, datetime.time(hour, minute))


def book(world, *, user=None, resident=None, at=None, session=None, **extra):
    user = user or world.desk
    return services.appointment_book(
        session=session or world.session,
        starts_at=at or tuesday_at(14),
        channel="desk",
        booked_by=user,
        membership=membership(user, world.leuven),
        resident=resident,
        **extra,
    )


@pytest.fixture(autouse=True)
def clear_outbox():
    LocmemSmsBackend.outbox.clear()
    yield
    LocmemSmsBackend.outbox.clear()


# --- slots ---------------------------------------------------------------------------------------


def test_slots_are_cut_from_the_session_with_their_free_places(world):
    slots = selectors.open_slots(membership=membership(world.desk), weeks=2)
    tuesdays = {hours.local(s.starts_at).date() for s in slots}
    assert all(day.weekday() == 1 for day in tuesdays)
    first_day = [s for s in slots if hours.local(s.starts_at).date() == min(tuesdays)]
    assert [hours.local(s.starts_at).strftime("%H:%M") for s in first_day] == [
        "14:00",
        "14:30",
        "15:00",
        "15:30",
    ]
    taken = next(s for s in slots if s.starts_at == world.appointment.slot.starts_at)
    assert (taken.capacity, taken.booked, taken.free) == (2, 1, 1)


def test_walk_in_sessions_and_closed_days_have_no_slots(world):
    world.session.mode = SessionMode.WALK_IN
    world.session.save()
    assert selectors.open_slots(membership=membership(world.desk)) == []
    world.session.mode = SessionMode.BOTH
    world.session.save()
    day = hours.local(tuesday_at(14)).date()
    Closure.objects.create(
        network=world.leuven, digipunt=world.dp, starts_on=day, ends_on=day, reason="Werken"
    )
    slots = selectors.open_slots(membership=membership(world.desk), weeks=3)
    assert day not in {hours.local(s.starts_at).date() for s in slots}


def test_the_slot_list_costs_the_same_queries_for_one_or_many_sessions(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.desk)
    url = reverse("digipunten:slots")
    with django_assert_max_num_queries(20) as one:
        client.get(url)
    for weekday in range(5):
        make_session(world.dp, weekday=weekday, starts_at=datetime.time(9), ends_at=datetime.time(12))
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("place free") + response.content.decode().count("places free") > 40


# --- booking ---------------------------------------------------------------------------------------


def test_the_desk_books_a_place_and_the_confirmation_goes_out_once(world, django_capture_on_commit_callbacks):
    resident = ResidentFactory(network=world.leuven, preferred_channel="sms", phone="0470 00 00 01")
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(world, resident=resident)
    assert appointment.status == AppointmentStatus.BOOKED
    assert Slot.objects.get(pk=appointment.slot_id).booked == 1
    confirmation = outbox_of(appointment).get()
    assert messages.kind_of(confirmation) == "confirmation"
    assert (confirmation.channel, confirmation.status) == ("sms", "sent")
    assert [m["to"] for m in LocmemSmsBackend.outbox] == ["0470 00 00 01"]
    assert "Bibliotheek Tweebronnen (test)" in LocmemSmsBackend.outbox[0]["text"]
    assert not sending.message_send(confirmation.pk)  # already sent: nothing happens
    assert len(LocmemSmsBackend.outbox) == 1


def test_an_email_confirmation_goes_by_email(world, django_capture_on_commit_callbacks):
    resident = ResidentFactory(
        network=world.leuven, preferred_channel="email", email="amal@example.org", languages="en"
    )
    with django_capture_on_commit_callbacks(execute=True):
        book(world, resident=resident)
    assert [m.to for m in mail.outbox] == [["amal@example.org"]]
    assert "appointment" in mail.outbox[0].subject


def test_someone_not_registered_books_with_a_name_and_a_phone_number(world):
    appointment = book(world, name="Walter Wachter", phone="0470 12 34 56")
    assert appointment.resident is None and appointment.who == "Walter Wachter"
    with pytest.raises(ValidationError, match="phone number or e-mail"):
        book(world, name="Zonder Nummer")
    with pytest.raises(ValidationError, match="name"):
        book(world)


def test_the_last_place_of_a_slot_goes_once(world):
    at = tuesday_at(15, weeks=2)
    first, second, third = (ResidentFactory(network=world.leuven) for _ in range(3))
    book(world, resident=first, at=at)
    book(world, resident=second, at=at)
    with pytest.raises(ValidationError, match="fully booked"):
        book(world, resident=third, at=at)
    slot = Slot.objects.get(session=world.session, starts_at=at)
    assert slot.booked == 2 == Appointment.objects.filter(slot=slot).count()


def test_one_resident_books_a_slot_once(world):
    with pytest.raises(ValidationError, match="already has this appointment"):
        book(world, user=world.partner_a, resident=world.resident_a, at=world.appointment.slot.starts_at)


@pytest.mark.parametrize(
    ("at", "message"),
    [
        (lambda: tuesday_at(14, 10), "no appointment at that time"),
        (lambda: tuesday_at(16), "no appointment at that time"),
        (lambda: tuesday_at(14) + datetime.timedelta(days=1), "does not take place"),
        (lambda: timezone.now() - datetime.timedelta(days=7), "passed"),
    ],
)
def test_a_time_that_is_not_a_free_slot_is_refused(world, at, message):
    with pytest.raises(ValidationError, match=message):
        book(world, name="X", phone="0470 00 00 00", at=at())
    assert Slot.objects.in_network(world.leuven).exclude(pk=world.web_booking.slot_id).count() == 1


def test_a_walk_in_session_cannot_be_booked(world):
    session = make_session(world.dp, mode=SessionMode.WALK_IN)
    with pytest.raises(ValidationError, match="walk-in"):
        book(world, session=session, name="X", phone="0470 00 00 00")


def test_the_booking_page_books_for_a_resident_found_by_name(world, client_for):
    client = client_for(world.desk)
    slot = selectors.open_slots(membership=membership(world.desk))[0]
    url = reverse("digipunten:book")
    page = client.get(url, {"slot": slot.key, "q": "Bosmans"}).content.decode()
    assert "Bart Bosmans" in page
    response = client.post(url, {"slot": slot.key, "resident": world.resident_desk.pk, "notes": "itsme"})
    assert response.status_code == 302
    appointment = Appointment.objects.get(resident=world.resident_desk)
    assert (appointment.channel, appointment.notes, appointment.booked_by) == ("desk", "itsme", world.desk)


def test_the_booking_page_shows_an_error_and_books_nothing_on_bad_input(world, client_for):
    client = client_for(world.desk)
    slot = selectors.open_slots(membership=membership(world.desk))[0]
    response = client.post(
        reverse("digipunten:book"), {"slot": slot.key, "name": "Nog Niet", "email": "nope"}
    )
    assert response.status_code == 200
    assert "Enter a valid email address" in response.content.decode()
    response = client.post(reverse("digipunten:book"), {"slot": slot.key})
    assert "Choose a resident, or give a name" in response.content.decode()
    assert Appointment.objects.in_network(world.leuven).exclude(pk=world.web_booking.pk).count() == 1


def test_an_unknown_slot_sends_the_user_back_to_the_free_times(world, client_for):
    for key in ("", "x@y", f"{world.session_other.pk}@{tuesday_at(14).isoformat()}"):
        response = client_for(world.desk).get(reverse("digipunten:book"), {"slot": key})
        assert response["Location"] == reverse("digipunten:slots")


# --- partner scoping -------------------------------------------------------------------------------


def test_a_partner_sees_only_the_appointments_their_organisation_booked(world, client_for):
    other = book(
        world, user=world.partner_b, resident=ResidentFactory(network=world.leuven, organisation=world.org_b)
    )
    assert other.booked_by_organisation == world.org_b and other.channel == "desk"
    listed_a = client_for(world.partner_a).get(reverse("digipunten:appointments")).content.decode()
    assert "Amira Aerts" in listed_a and other.who not in listed_a
    url = reverse("digipunten:appointment", kwargs={"pk": world.appointment.pk})
    assert client_for(world.partner_b).get(url).status_code == 404
    assert client_for(world.partner_a).get(url).status_code == 200
    assert client_for(world.desk).get(url).status_code == 200


def test_a_partner_cannot_book_for_a_resident_they_cannot_see(world):
    with pytest.raises(ValidationError, match="resident you may see"):
        book(world, user=world.partner_b, resident=world.resident_a)


def test_other_networks_appointments_are_not_found(world, client_for):
    url = reverse("digipunten:appointment", kwargs={"pk": world.appointment_other.pk})
    assert client_for(world.coordinator).get(url).status_code == 404
    cancel = reverse("digipunten:appointment_cancel", kwargs={"pk": world.appointment_other.pk})
    assert client_for(world.coordinator).post(cancel, {"cancel-confirm": "True"}).status_code == 404
    world.appointment_other.refresh_from_db()
    assert world.appointment_other.status == AppointmentStatus.BOOKED


def test_roles_without_appointments_get_403(world, client_for):
    for actor in (world.volunteer, world.steering, world.provider):
        assert client_for(actor).get(reverse("digipunten:appointments")).status_code == 403


def test_the_list_costs_the_same_queries_for_one_or_many(world, client_for, django_assert_max_num_queries):
    client = client_for(world.desk)
    url = reverse("digipunten:appointments")
    with django_assert_max_num_queries(15) as one:
        before = client.get(url).context["page"].paginator.count
    for hour, minute in [(14, 30), (15, 0), (15, 30)]:
        for _ in range(2):
            book(world, resident=ResidentFactory(network=world.leuven), at=tuesday_at(hour, minute))
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert f"{before + 6} appointments" in response.content.decode()


# --- cancelling and no-shows -------------------------------------------------------------------------


def test_a_cancelled_appointment_frees_its_place(world, client_for):
    at = tuesday_at(15, weeks=2)
    first, second = (
        book(world, name="A", phone="0470 00 00 01", at=at),
        book(world, name="B", phone="0470 00 00 02", at=at),
    )
    with pytest.raises(ValidationError):
        book(world, name="C", phone="0470 00 00 03", at=at)
    url = reverse("digipunten:appointment_cancel", kwargs={"pk": first.pk})
    client_for(world.desk).post(url, {})  # an empty POST changes nothing
    assert Slot.objects.get(pk=first.slot_id).booked == 2
    client_for(world.desk).post(url, {"cancel-confirm": "True", "cancel-reason": "ziek"})
    first.refresh_from_db()
    assert (first.status, first.cancel_reason) == (AppointmentStatus.CANCELLED, "ziek")
    assert Slot.objects.get(pk=first.slot_id).booked == 1
    third = book(world, name="C", phone="0470 00 00 03", at=at)
    assert third.slot_id == second.slot_id
    with pytest.raises(ValidationError, match="Only a booked appointment"):
        services.appointment_cancel(appointment=first, actor=world.desk)
    assert Slot.objects.get(pk=first.slot_id).booked == 2


def test_cancelling_drops_messages_not_yet_sent(world):
    world.appointment.refresh_from_db()
    OutboundMessage.objects.create(
        network=world.leuven, recipient_kind="booker", recipient_id=world.appointment.pk, channel="letter",
        template_key=messages.TEMPLATE_KEY, language="nl", payload={"html": "<p>x</p>"},
        idempotency_key=messages.message_key(world.appointment, "reminder"),
    )  # fmt: skip
    services.appointment_cancel(appointment=world.appointment, actor=world.partner_a, reason="x")
    assert not outbox_of(world.appointment).filter(status=MessageStatus.QUEUED).exists()
    assert outbox_of(world.appointment, "reminder").get().status == MessageStatus.SKIPPED


def test_a_no_show_is_recorded_once_the_appointment_started(world, client_for):
    appointment = world.appointment
    url = reverse("digipunten:appointment_outcome", kwargs={"pk": appointment.pk})
    with pytest.raises(ValidationError, match="once the appointment has started"):
        services.appointment_set_status(appointment=appointment, actor=world.desk, status="no_show")
    Slot.objects.filter(pk=appointment.slot_id).update(
        starts_at=timezone.now() - datetime.timedelta(hours=1),
        ends_at=timezone.now() - datetime.timedelta(minutes=30),
    )
    client_for(world.partner_a).post(url, {"status": "no_show"})
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.NO_SHOW
    assert appointment.status_changed_by == world.partner_a
    client_for(world.desk).post(url, {"status": "attended"})  # put right
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.ATTENDED
    client_for(world.desk).post(url, {})
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.ATTENDED
    assert client_for(world.partner_b).post(url, {"status": "no_show"}).status_code == 404


def test_a_cancelled_appointment_cannot_become_a_no_show(world):
    services.appointment_cancel(appointment=world.appointment, actor=world.desk)
    Slot.objects.filter(pk=world.appointment.slot_id).update(
        starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    with pytest.raises(ValidationError, match="cannot become"):
        services.appointment_set_status(appointment=world.appointment, actor=world.desk, status="no_show")


# --- reminders ------------------------------------------------------------------------------------


def test_reminders_are_written_and_sent_exactly_once(world, django_capture_on_commit_callbacks):
    resident = ResidentFactory(
        network=world.leuven, preferred_channel="sms", phone="0470 99 99 99", languages="en"
    )
    appointment = book(world, resident=resident, at=tuesday_at(15))
    Appointment.objects.filter(pk=appointment.pk).update(
        booked_at=timezone.now() - datetime.timedelta(days=5)
    )
    outbox_of(appointment).update(status=MessageStatus.SENT)
    LocmemSmsBackend.outbox.clear()
    the_day_before = appointment.slot.starts_at - datetime.timedelta(hours=12)
    too_early = appointment.slot.starts_at - datetime.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert messages.send_due(now=too_early)["created"] == 0
        first = messages.send_due(now=the_day_before, network_id=world.leuven.pk)
        second = messages.send_due(now=the_day_before, network_id=world.leuven.pk)
    assert first["created"] == 1 and second == {"created": 0}
    reminder = outbox_of(appointment, MessageKind.REMINDER).get()
    assert reminder.status == MessageStatus.SENT
    assert [m["to"] for m in LocmemSmsBackend.outbox] == ["0470 99 99 99"]
    assert "reminder" in LocmemSmsBackend.outbox[0]["text"]


def test_two_workers_claiming_one_reminder_send_it_once(world):
    appointment = book(world, name="Walter", phone="0470 12 34 56")
    message = outbox_of(appointment).get()
    assert message.status == MessageStatus.QUEUED  # sent after commit
    assert sending.message_claim(message.pk) == 1
    assert sending.message_claim(message.pk) is None


def test_the_reminder_task_is_idempotent(world, django_capture_on_commit_callbacks):
    from digibank.digipunten.tasks import send_appointment_reminders

    resident = ResidentFactory(
        network=world.leuven, preferred_channel="sms", phone="0470 55 55 55", languages="en"
    )
    appointment = book(world, resident=resident, at=tuesday_at(15))
    Appointment.objects.filter(pk=appointment.pk).update(
        booked_at=timezone.now() - datetime.timedelta(days=5)
    )
    now = (appointment.slot.starts_at - datetime.timedelta(hours=2)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        send_appointment_reminders.call(network_id=world.leuven.pk, now=now)
        send_appointment_reminders.call(network_id=world.leuven.pk, now=now)
    texts = [m["text"] for m in LocmemSmsBackend.outbox if m["to"] == "0470 55 55 55"]
    assert len([t for t in texts if "reminder" in t]) == 1


def test_no_reminder_for_a_cancelled_appointment_or_one_booked_the_same_day(world):
    soon = tuesday_at(15)
    cancelled = book(world, name="Geannuleerd", phone="0470 00 00 11", at=soon)
    Appointment.objects.filter(pk=cancelled.pk).update(booked_at=timezone.now() - datetime.timedelta(days=5))
    services.appointment_cancel(appointment=cancelled, actor=world.desk)
    late = book(world, name="Laat geboekt", phone="0470 00 00 12", at=soon)
    Appointment.objects.filter(pk=late.pk).update(booked_at=soon - datetime.timedelta(hours=3))
    assert messages.reminders_create_due(now=soon - datetime.timedelta(hours=6)) == 0


def test_a_resident_who_asked_not_to_be_contacted_gets_no_message(world):
    resident = ResidentFactory(
        network=world.leuven, preferred_channel="sms", phone="0470 1", do_not_contact=True
    )
    appointment = book(world, resident=resident)
    message = outbox_of(appointment).get()
    assert message.status == MessageStatus.SKIPPED


def test_letters_wait_on_the_letters_list_until_printed(
    world, client_for, django_capture_on_commit_callbacks
):
    resident = ResidentFactory(
        network=world.leuven,
        preferred_channel="letter",
        street="Naamsestraat 1",
        city="Leuven",
        first_name="Lea",
        languages="en",
    )
    with django_capture_on_commit_callbacks(execute=True):
        book(world, resident=resident)
    client = client_for(world.desk)
    page = client.get(reverse("digipunten:letters")).content.decode()
    assert "Naamsestraat 1" in page and "Hello Lea" in page
    assert (
        "Naamsestraat 1"
        not in client_for(world.partner_a).get(reverse("digipunten:letters")).content.decode()
    )
    message = OutboundMessage.objects.get(recipient_kind="resident", recipient_id=resident.pk)
    client.post(reverse("digipunten:letters"), {"message": message.pk})  # no confirm: nothing
    assert OutboundMessage.objects.get(pk=message.pk).status == MessageStatus.QUEUED
    client.post(reverse("digipunten:letters"), {"message": message.pk, "confirm": "1"})
    assert OutboundMessage.objects.get(pk=message.pk).status == MessageStatus.SENT
    assert "Naamsestraat 1" not in client.get(reverse("digipunten:letters")).content.decode()


def test_a_smaller_capacity_applies_to_unbooked_slots_only(world):
    services.session_save(digipunt=world.dp, session=world.session, data={"capacity_per_slot": 1})
    slot = world.appointment.slot
    slot.refresh_from_db()
    assert (slot.capacity, slot.booked) == (1, 1)
    services.session_save(digipunt=world.dp, session=world.session, data={"capacity_per_slot": 3})
    slot.refresh_from_db()
    assert slot.capacity == 3


# --- concurrency ----------------------------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "slot_row_exists", [True, False], ids=["slot-row-exists", "first-booking-of-the-slot"]
)
def test_concurrent_bookings_of_the_last_place_let_exactly_one_through(slot_row_exists):
    # A world of its own (not the shared one): only what this test needs, committed for the threads.
    network = f.NetworkFactory(slug="concurrency")
    desk_user = f.UserFactory(username="concurrent-desk")
    desk = f.MembershipFactory(network=network, user=desk_user, role="service_desk")
    session = make_session(make_digipunt(network, name="Druk digipunt"), capacity_per_slot=1, weekday=3)
    day = next_weekday(3, after=timezone.localdate() + datetime.timedelta(days=7))
    at = hours.to_instant(day, datetime.time(14))
    residents = [ResidentFactory(network=network) for _ in range(8)]
    if slot_row_exists:
        # Then nothing else serialises the bookings: only the conditional UPDATE decides.
        services.slot_get_or_create(session=session, starts_at=at)
    barrier = threading.Barrier(len(residents))
    results = []

    def attempt(resident):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            services.appointment_book(
                session=session,
                starts_at=at,
                channel="desk",
                booked_by=desk_user,
                membership=desk,
                resident=resident,
            )
            results.append("booked")
        except ValidationError:
            results.append("full")
        except Exception as exc:  # noqa: BLE001 - reported in the assertion below
            results.append(repr(exc))
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=attempt, args=(r,)) for r in residents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["booked"] + ["full"] * (len(residents) - 1)
    slot = Slot.objects.get(session=session, starts_at=at)
    assert slot.booked == 1 == Appointment.objects.filter(slot=slot).count()


def test_on_sqlite_a_second_booking_of_the_last_place_is_refused(world):
    session = make_session(world.dp, capacity_per_slot=1, weekday=3)
    at = hours.to_instant(
        next_weekday(3, after=timezone.localdate() + datetime.timedelta(days=7)), datetime.time(14)
    )
    services.appointment_book(session=session, starts_at=at, channel="web", name="Eerste", phone="0470 1")
    with pytest.raises(ValidationError, match="fully booked"):
        services.appointment_book(session=session, starts_at=at, channel="web", name="Tweede", phone="0470 2")
    assert Slot.objects.get(session=session, starts_at=at).booked == 1
