"""Reminders before the due date and when overdue: schedule, channels, and never twice."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from digibank.lending import reminders, selectors, services
from digibank.lending.models import Reminder
from digibank.lending.tasks import send_due_reminders
from digibank.messaging import sending
from digibank.messaging.models import MessageStatus as ReminderStatus
from digibank.messaging.models import OutboundMessage

from ..factories import ResidentFactory
from .conftest import pdf_pages
from .helpers import make_eligible, ready_device

TODAY = datetime.date(2026, 6, 1)


def borrower(world, *, channel="email", languages="nl", **extra):
    values = {
        "network": world.leuven,
        "preferred_channel": channel,
        "languages": languages,
        "email": "reader@example.org",
        "phone": "+32 470 12 34 56",
        "street": "Bondgenotenlaan 10",
        "postcode": "3000",
        "city": "Leuven",
    }
    values.update(extra)
    resident = ResidentFactory(**values)
    make_eligible(resident)
    return resident


def lend(world, resident, *, due_on):
    return services.loan_create(
        resident=resident,
        device=ready_device(world.leuven),
        actor=world.desk,
        started_on=due_on - datetime.timedelta(days=180),
        due_on=due_on,
    )


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the daily job like the worker: messages go out once the claims are committed."""

    def go(today=TODAY, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return send_due_reminders.enqueue(today=today.isoformat(), **kwargs).return_value

    return go


def kinds(loan):
    return sorted((r.kind, r.number) for r in Reminder.objects.filter(loan=loan))


@pytest.mark.parametrize(
    ("days_until_due", "expected"),
    [
        (15, []),
        (14, [("before_due", 0)]),
        (0, [("before_due", 0)]),
        (-1, [("overdue", 0)]),
        (-7, [("overdue", 0)]),
        (-8, [("overdue", 1)]),
        (-15, [("overdue", 2)]),
    ],
)
def test_reminders_are_due_before_the_due_date_the_day_after_and_then_weekly(world, days_until_due, expected):
    loan = lend(world, borrower(world), due_on=TODAY + datetime.timedelta(days=days_until_due))
    reminders.reminders_create_due(today=TODAY)
    assert kinds(loan) == expected


def test_an_overdue_loan_collects_one_reminder_a_week(world):
    loan = lend(world, borrower(world), due_on=TODAY)
    for day in range(0, 16):
        reminders.reminders_create_due(today=TODAY + datetime.timedelta(days=day))
    assert kinds(loan) == [("before_due", 0), ("overdue", 0), ("overdue", 1), ("overdue", 2)]


def test_an_email_reminder_goes_out_once_in_the_residents_language(world, run, mailoutbox):
    resident = borrower(world, channel="email", languages="fr, nl")
    loan = lend(world, resident, due_on=TODAY + datetime.timedelta(days=3))
    assert run() == {"created": 1, "claimed": 1}
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["reader@example.org"]
    assert loan.number in message.subject
    assert loan.device.asset_tag in message.body
    assert "4 juin 2026" in message.body  # French dates: the agreement's language
    reminder = Reminder.objects.get(loan=loan)
    assert reminder.status == ReminderStatus.SENT and reminder.sent_at is not None


def test_running_the_job_twice_sends_each_reminder_once(world, run, mailoutbox, sms_outbox):
    lend(world, borrower(world, channel="email"), due_on=TODAY + datetime.timedelta(days=1))
    lend(world, borrower(world, channel="sms"), due_on=TODAY - datetime.timedelta(days=2))
    assert run() == {"created": 2, "claimed": 2}
    assert run() == {"created": 0, "claimed": 0}
    assert len(mailoutbox) == 1 and len(sms_outbox) == 1
    assert sms_outbox[0]["to"] == "+32 470 12 34 56"
    assert "moest terug zijn" in sms_outbox[0]["text"]  # the resident's language: Dutch


def test_two_workers_claiming_the_same_reminder_send_it_once(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    lend(world, borrower(world), due_on=TODAY + datetime.timedelta(days=2))
    # Both workers create the reminders (the second finds them) ...
    assert reminders.reminders_create_due(today=TODAY) == 1
    assert reminders.reminders_create_due(today=TODAY) == 0
    reminder = Reminder.objects.get()
    # ... and both try to send it: only the first claim succeeds.
    with django_capture_on_commit_callbacks(execute=True):
        first = sending.message_send(reminder.message_id)
        second = sending.message_send(reminder.message_id)
    assert (first, second) == (True, False)
    assert reminders.reminders_send_pending() == 0
    assert len(mailoutbox) == 1


def test_a_claimed_reminder_is_not_picked_up_by_the_next_run(world, run, mailoutbox):
    lend(world, borrower(world), due_on=TODAY + datetime.timedelta(days=2))
    reminders.reminders_create_due(today=TODAY)
    reminder = Reminder.objects.get()
    assert sending.message_claim(reminder.message_id)  # a worker crashed right after its claim
    run()
    assert len(mailoutbox) == 0
    assert Reminder.objects.get().status == ReminderStatus.SENDING


def test_do_not_contact_skips_the_reminder(world, run, mailoutbox):
    loan = lend(world, borrower(world, do_not_contact=True), due_on=TODAY)
    run()
    assert len(mailoutbox) == 0
    assert Reminder.objects.get(loan=loan).status == ReminderStatus.SKIPPED


def test_a_reminder_without_the_contact_details_fails_visibly(world, run, client_for):
    resident = borrower(world, channel="letter", street="", city="")
    loan = lend(world, resident, due_on=TODAY - datetime.timedelta(days=1))
    run()
    reminder = Reminder.objects.get(loan=loan)
    assert reminder.status == ReminderStatus.FAILED and "letter" in reminder.error
    assert reminder in selectors.reminders_failed(network=world.leuven)


def test_a_reminder_for_a_loan_extended_or_returned_meanwhile_is_skipped(world, run, mailoutbox):
    loan = lend(world, borrower(world), due_on=TODAY + datetime.timedelta(days=1))
    reminders.reminders_create_due(today=TODAY)
    services.loan_extend(loan=loan, actor=None)
    run()
    assert len(mailoutbox) == 0
    assert Reminder.objects.get(loan=loan, due_date=TODAY + datetime.timedelta(days=1)).status == "skipped"


def test_a_returned_loan_gets_no_more_reminders(world, run):
    loan = lend(world, borrower(world), due_on=TODAY - datetime.timedelta(days=1))
    services.loan_return(loan=loan, actor=None)
    run()
    assert not Reminder.objects.filter(loan=loan).exists()


def test_phone_reminders_land_on_the_call_list_until_someone_calls(world, run, client_for):
    resident = borrower(world, channel="phone", first_name="Omar", last_name="Ouali")
    loan = lend(world, resident, due_on=TODAY - datetime.timedelta(days=3))
    run()
    reminder = Reminder.objects.get(loan=loan)
    assert reminder.status == ReminderStatus.TO_CALL
    client = client_for(world.desk)
    page = client.get(reverse("lending:overdue"))
    assert "Omar Ouali" in page.content.decode() and list(page.context["calls"]) == [reminder]
    assert client.post(reverse("lending:call_done"), {}).status_code == 302  # empty: nothing happens
    assert Reminder.objects.get(pk=reminder.pk).called_at is None
    client.post(reverse("lending:call_done"), {"reminder": reminder.pk})
    reminder = Reminder.objects.get(pk=reminder.pk)
    assert reminder.called_at is not None and reminder.called_by == world.desk
    assert reminder.status == ReminderStatus.SENT
    assert list(client.get(reverse("lending:overdue")).context["calls"]) == []


def test_a_reminder_of_another_network_cannot_be_marked_called(world, client_for):
    other = ResidentFactory(network=world.other, preferred_channel="phone", phone="+32 470 00 00 00")
    make_eligible(other)
    loan = services.loan_create(resident=other, device=ready_device(world.other), actor=None)
    message = OutboundMessage.objects.create(
        network=world.other, recipient_kind="resident", recipient_id=other.pk, channel="phone",
        template_key="lending/reminder", language="nl", status="to_call",
    )  # fmt: skip
    reminder = Reminder.objects.create(
        network=world.other, loan=loan, kind="overdue", due_date=loan.due_on, message=message
    )
    client_for(world.desk).post(reverse("lending:call_done"), {"reminder": reminder.pk})
    assert Reminder.objects.get(pk=reminder.pk).called_at is None


def test_todays_letters_are_one_pdf_with_a_page_per_letter_in_each_residents_language(world, run, client_for):
    dutch = borrower(world, channel="letter", languages="nl", first_name="Jan", last_name="Peeters")
    french = borrower(world, channel="letter", languages="fr", first_name="Amélie", last_name="Dubois")
    english = borrower(world, channel="letter", languages="ar, en", first_name="Sami", last_name="Haddad")
    for resident in (dutch, french, english):
        lend(world, resident, due_on=TODAY + datetime.timedelta(days=5))
    run()
    response = client_for(world.desk).get(reverse("lending:letters"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = pdf_pages(response.content)
    assert len(pages) == 3
    by_name = {name: page for page in pages for name in ("Haddad", "Dubois", "Peeters") if name in page}
    assert "6 juni 2026" in by_name["Peeters"] and "Bondgenotenlaan 10" in by_name["Peeters"]
    assert "6 juin 2026" in by_name["Dubois"]
    assert "6 juni 2026" in by_name["Haddad"]  # Arabic first: letters fall back to Dutch


def test_no_letters_today_says_so_instead_of_an_empty_pdf(world, client_for):
    response = client_for(world.desk).get(reverse("lending:letters"), follow=True)
    assert "no letters for this day" in response.content.decode()


def test_the_daily_command_runs_both_jobs(world, mailoutbox, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    lend(world, borrower(world), due_on=timezone.localdate() + datetime.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("lending_daily")
    assert len(mailoutbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        call_command("lending_daily", "--now")
    assert len(mailoutbox) == 1
