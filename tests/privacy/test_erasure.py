"""Erasure and the subject-access export walk every capability (the privacy registry).

One resident with data everywhere -- the residents app, a loan, a waiting-list entry, a
reminder, an appointment and its message, a help contact, a request with a referral, its note
and status change, an internet-tariff application -- each holding the resident's name, phone
and e-mail. The export holds every record; the coordinator erases through the form; then no
text column of any table holds the name, the phone or the e-mail. Runs on SQLite and, with
DATABASE_URL, on PostgreSQL.
"""

import datetime
import json

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from digibank.audit.models import AuditEntry
from digibank.digipunten.models import Appointment, HelpContact, Slot
from digibank.lending.models import Loan, Reminder, WaitingListEntry
from digibank.messaging.services import message_queue
from digibank.privacy.registry import BOOKER, Subject, subject_erase, subject_export
from digibank.public.models import VolunteerApplication
from digibank.referrals.models import (
    InternetTariffApplication,
    Referral,
    ReferralEvent,
    ReferralNote,
    Request,
)
from digibank.residents.models import Resident
from tests.database_search import find_anywhere

from ..lending.helpers import ready_device
from ..residents.data import resident_data

FIRST, LAST = "Quirijntje", "Vanderzwalmenhoek"
PHONE = "0470 55 66 77"
EMAIL = "quirijntje.v@example.org"
NEEDLES = [FIRST, LAST, PHONE, EMAIL]
WHO = f"{FIRST} {LAST} ({PHONE}, {EMAIL})"


def say(what: str) -> str:
    """A free text as a colleague would type it: about the resident, with their contact data."""
    return f"{what}: {WHO}"[:300]


@pytest.fixture
def everywhere(world, client_for):
    """The resident, registered through the form, and a record in every capability."""
    client_for(world.desk).post(
        reverse("residents:create"),
        resident_data(
            first_name=FIRST,
            last_name=LAST,
            preferred_channel="email",
            email=EMAIL,
            phone=PHONE,
            notes=say("Notes"),
        ),
    )
    resident = Resident.objects.get(last_name=LAST)
    network = world.leuven
    today = timezone.localdate()
    # Lending: a loan with an exception and the device's condition, a reminder, a waiting-list entry.
    device = ready_device(network, tag="PRV-0001", serial="PRVSN1")
    loan = Loan.objects.create(
        network=network,
        number="L-PRIVACY-1",
        device=device,
        resident=resident,
        started_on=today,
        due_on=today + datetime.timedelta(days=90),
        condition_out=say("Condition out"),
        condition_in=say("Condition in"),
        eligibility_basis=say("Eligible"),
        override_reason=say("Override"),
    )
    # A reminder about the loan whose SMS failed (the error quotes the number) in the outbox.
    reminder_message = message_queue(
        network_id=network.pk,
        recipient_kind="resident",
        recipient_id=resident.pk,
        channel="sms",
        to=resident.phone,
        template_key="test",
        payload={"body": say("Bring it back")},
        status="failed",
        error=say("SMS failed"),
    )
    Reminder.objects.create(
        network=network, loan=loan, kind="overdue", due_date=today, message=reminder_message
    )
    WaitingListEntry.objects.create(
        network=network,
        resident=resident,
        category=world.category,
        device_kind="tablet",
        requested_at=timezone.now(),
        note=say("Waiting note"),
        override_reason=say("Waiting override"),
    )
    # Digipunten: an appointment with notes, its confirmation, a help contact.
    Appointment.objects.create(
        network=network,
        slot=world.appointment.slot,
        resident=resident,
        notes=say("Appointment notes"),
        cancel_reason=say("Cancelled"),
        channel="desk",
        booked_at=timezone.now(),
        status="cancelled",
    )
    # The outbox: a message to them, with their address and their name in the text.
    message_queue(
        network_id=network.pk,
        recipient_kind="resident",
        recipient_id=resident.pk,
        channel="email",
        to=resident.email,
        template_key="test",
        payload={"subject": say("Subject"), "body": say("Hello")},
    )
    HelpContact.objects.create(
        network=network,
        digipunt=world.dp,
        theme=world.theme,
        minutes=15,
        outcome=world.contact.outcome,
        occurred_at=timezone.now(),
        resident=resident,
    )
    # Referrals: a request, a referral with its note and status change, a tariff application.
    request = Request.objects.create(
        network=network,
        reference="R-PRIVACY-1",
        resident=resident,
        needs=["skills"],
        description=say("In their own words"),
        channel="desk",
        created_at=timezone.now(),
        closed_reason=say("Closed"),
    )
    referral = Referral.objects.create(
        network=network,
        request=request,
        service=world.service_course,
        to_organisation=world.org_c,
        created_at=timezone.now(),
        handover_contact=say("Handover"),
        outcome_reason=say("Outcome"),
    )
    ReferralEvent.objects.create(
        network=network, referral=referral, to_status="declined", reason=say("Event")
    )
    ReferralNote.objects.create(
        network=network, referral=referral, text=say("Referral note"), visibility="all"
    )
    InternetTariffApplication.objects.create(
        network=network,
        resident=resident,
        referral=referral,
        offer="Sociaal internetaanbod",
        eligibility_basis=say("Tariff eligible"),
        notes=say("Tariff notes"),
    )
    return resident


# Every record of the fixture, as the export names it: (section key, a text only that record holds).
EXPECTED_IN_EXPORT = [
    ("loans", "Condition out"),
    ("loans", "Override"),
    ("loan_reminders", "L-PRIVACY-1"),
    ("waiting_list", "Waiting note"),
    ("appointments", "Appointment notes"),
    ("messages", "Bring it back"),
    ("help_contacts", "minutes"),
    ("requests", "In their own words"),
    ("referrals", "Handover"),
    ("referral_events", "Event"),
    ("referral_notes", "Referral note"),
    ("tariff_applications", "Tariff notes"),
]


def test_the_export_holds_the_record_of_every_capability(world, client_for, everywhere):
    response = client_for(world.coordinator).get(
        reverse("residents:export_json", kwargs={"pk": everywhere.pk})
    )
    data = json.loads(response.content)
    assert data["subject"] == {"kind": "resident", "id": everywhere.pk}
    sections = {section["key"]: section for section in data["sections"]}
    for key, text in EXPECTED_IN_EXPORT:
        assert key in sections, f"no section {key}"
        assert sections[key]["title"], key
        assert text in json.dumps(sections[key]["rows"]), (key, text)
    notes = {row["field"]: row["value"] for row in data["resident"]}["notes"]
    assert LAST in notes
    assert "Zegers" not in response.content.decode(), "nothing of another network"


def test_the_pdf_export_shows_every_capability(world, client_for, everywhere):
    from digibank.residents import selectors  # noqa: PLC0415 -- only here

    data = selectors.resident_subject_access_data(everywhere)
    from django.template.loader import render_to_string  # noqa: PLC0415 -- only here

    html = render_to_string(
        "residents/export.html", {"data": data, "tables": selectors.export_tables(data["sections"])}
    )
    for title in ["Devices lent or given", "Appointments in help hours", "Requests for help", "Waiting note"]:
        assert title in html


def test_the_erasure_through_the_form_leaves_the_person_nowhere_in_the_database(
    world, client_for, everywhere
):
    for needle in NEEDLES:
        assert find_anywhere(needle), f"the check must find {needle!r} before the erasure"
    response = client_for(world.coordinator).post(
        reverse("residents:erase", kwargs={"pk": everywhere.pk}), {"erase-confirm_word": "ERASE"}
    )
    assert response.status_code == 302
    for needle in NEEDLES:
        assert find_anywhere(needle) == [], needle
    # The rows stay, for the stock and the figures.
    assert Loan.objects.get(number="L-PRIVACY-1").resident_id == everywhere.pk
    assert Request.objects.get(reference="R-PRIVACY-1").status
    assert HelpContact.objects.filter(resident=everywhere).count() == 1


def test_a_web_booker_is_audited_exported_and_erased_as_a_booker(world):
    from digibank.digipunten import services  # noqa: PLC0415 -- only here

    slot = world.appointment.slot
    Slot.objects.filter(pk=slot.pk).update(capacity=F("capacity") + 1)  # room for one more
    appointment = services.appointment_book(
        session=slot.session,
        starts_at=slot.starts_at,
        channel="web",
        name=f"{FIRST} {LAST}",
        phone=PHONE,
        email=EMAIL,
        notes=say("Web notes"),
        now=slot.starts_at - datetime.timedelta(days=1),
    )
    entry = AuditEntry.objects.get(subject_kind=BOOKER, subject_id=appointment.pk)
    assert entry.action == "create" and entry.source == "public" and entry.actor is None
    assert "phone" in entry.fields and LAST not in json.dumps(entry.fields)
    subject = Subject(BOOKER, appointment.pk, network_id=world.leuven.pk)
    exported = json.dumps([s.as_dict() for s in subject_export(subject)], default=str)
    assert LAST in exported and "Web notes" in exported
    assert "Amira" not in exported, "a booker's export holds only their own appointment"
    subject_erase(subject)
    appointment.refresh_from_db()
    assert (appointment.name, appointment.phone, appointment.email, appointment.notes) == ("—", "", "", "")
    assert find_anywhere(LAST) == [] and find_anywhere(PHONE) == []


def test_a_volunteer_applicant_is_erased_as_an_applicant(world):
    application = VolunteerApplication.objects.create(
        network=world.leuven,
        reference="V-PRIVACY-1",
        name=f"{FIRST} {LAST}",
        email=EMAIL,
        phone=PHONE,
        roles=["digihelper"],
        motivation=say("Motivation"),
    )
    subject_erase(Subject("applicant", application.pk, network_id=world.leuven.pk))
    for needle in NEEDLES:
        assert find_anywhere(needle) == [], needle
    assert VolunteerApplication.objects.get(pk=application.pk).reference == "V-PRIVACY-1"
