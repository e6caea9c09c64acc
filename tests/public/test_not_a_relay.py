"""Public forms are not a mail relay (issue 11 #8): a confirmation carries no text the visitor
typed, and an address typed on the public site gets at most a few messages a day."""

import datetime
import uuid

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from digibank.messaging.models import OutboundMessage

from .test_booking import book_url, booking_data, first_slot
from .test_forms import donation_data, help_data, url, volunteer_data

SPAM = "Win a prize at https://evil.example"
LIMIT = 3


@pytest.fixture(autouse=True)
def limit(settings):
    settings.VISITOR_MESSAGES_PER_ADDRESS_PER_DAY = LIMIT


def typed_everywhere(data: dict) -> dict:
    """Every free-text field of a form filled with the spammer's text."""
    for field in (
        "first_name",
        "last_name",
        "name",
        "description",
        "motivation",
        "organisation_name",
        "notes",
        "remarks",
        "devices_description",
    ):
        if field in data:
            data[field] = SPAM
    return data


@pytest.mark.parametrize(
    ("form", "data"),
    [("help", help_data), ("volunteer", volunteer_data), ("donate", donation_data)],
)
def test_a_confirmation_carries_nothing_the_visitor_typed(
    site, english, form, data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = english.post(url(form, site), typed_everywhere(data(email="victim@example.org")))
    assert response.status_code == 302
    [message] = [m for m in mail.outbox if m.to == ["victim@example.org"]]
    assert "evil" not in message.subject + message.body and "Win a prize" not in message.body


def test_a_web_booking_confirmation_carries_neither_the_name_nor_the_notes(
    site, english, django_capture_on_commit_callbacks
):
    data = booking_data(first_slot(site), name=SPAM, notes=SPAM, email="victim@example.org", phone="")
    with django_capture_on_commit_callbacks(execute=True):
        response = english.post(book_url(site, site.open_dp), data)
    assert response.status_code == 302, response.content.decode()[:500]
    [message] = mail.outbox
    assert message.to == ["victim@example.org"]
    assert "evil" not in message.subject + message.body and "Win a prize" not in message.body


def test_an_address_gets_at_most_a_few_confirmations_a_day(site, english, django_capture_on_commit_callbacks):
    now = timezone.now()
    with time_machine.travel(now, tick=False), django_capture_on_commit_callbacks(execute=True):
        for _ in range(LIMIT + 2):
            english.post(url("help", site), help_data(email="Victim@Example.org"))
        english.post(url("volunteer", site), volunteer_data(email="victim@example.org"))
        english.post(url("help", site), help_data(email="someone.else@example.org"))
    to_victim = OutboundMessage.objects.in_network(site.leuven).filter(to__iexact="victim@example.org")
    assert to_victim.count() == LIMIT + 3  # every submission is kept, with its message …
    assert to_victim.filter(status="sent").count() == LIMIT  # … but only the first few are sent
    skipped = to_victim.filter(status="skipped")
    assert skipped.count() == 3 and all("most messages a day" in m.error for m in skipped)
    assert [m.to for m in mail.outbox].count(["someone.else@example.org"]) == 1
    # A day later the address is reachable again.
    with (
        time_machine.travel(now + datetime.timedelta(days=1, minutes=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        english.post(url("help", site), help_data(email="victim@example.org", form_token=str(uuid.uuid4())))
    assert to_victim.filter(status="sent").count() == LIMIT + 1


def test_staff_messages_to_residents_are_not_limited(world, client_for, settings):
    """The limit is for addresses typed by visitors: the desk's own messages go as always."""
    from digibank.messaging.services import resident_message  # noqa: PLC0415

    settings.VISITOR_MESSAGES_PER_ADDRESS_PER_DAY = 1
    resident = world.resident_desk
    resident.email, resident.preferred_channel = "bart@example.org", "email"
    resident.save()
    for n in range(3):
        resident_message(resident=resident, template_key="test", payload={"subject": "s", "body": f"b{n}"})
    statuses = OutboundMessage.objects.filter(to="bart@example.org").values_list("status", flat=True)
    assert "skipped" not in statuses and len(statuses) == 3
