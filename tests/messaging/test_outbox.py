"""The outbox: queueing on the resident's channel and language, sending once, retries, letters, the page."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from digibank.messaging import selectors, sending, services
from digibank.messaging.models import MessageStatus, OutboundMessage
from digibank.messaging.tasks import send_messages
from digibank.residents.services import resident_erase

from ..factories import ResidentFactory
from .conftest import pdf_pages

NOW = datetime.datetime(2026, 6, 1, 10, 0, tzinfo=datetime.UTC)
TEXT = {"subject": "Your device", "body": "Please bring it back."}


def resident(world, **extra):
    values = {
        "network": world.leuven,
        "first_name": "Jan",
        "last_name": "Peeters",
        "preferred_channel": "email",
        "languages": "nl",
        "email": "jan@example.org",
        "phone": "+32 470 12 34 56",
        "street": "Bondgenotenlaan 10",
        "postcode": "3000",
        "city": "Leuven",
    }
    values.update(extra)
    return ResidentFactory(**values)


def queue(person, **kwargs):
    kwargs.setdefault("payload", TEXT)
    return services.resident_message(resident=person, template_key="test/notice", **kwargs)


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Run the worker's loop like cron does: messages go out once their claims are committed."""

    def go(now=None):
        with django_capture_on_commit_callbacks(execute=True):
            return sending.messages_send_due(now=now)

    return go


# --- channel and language --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"preferred_channel": "sms"}, "sms"),
        ({"preferred_channel": "phone"}, "phone"),
        ({"preferred_channel": ""}, "email"),
        ({"preferred_channel": "", "email": ""}, "sms"),
        ({"preferred_channel": "", "email": "", "phone": ""}, "letter"),
        ({"preferred_channel": "", "email": "", "phone": "", "street": ""}, "letter"),
    ],
)
def test_the_channel_is_the_preferred_one_else_the_first_we_have_details_for(world, extra, expected):
    assert services.channel_for(resident(world, **extra)) == expected


def test_without_calls_phone_becomes_sms_and_with_fallback_a_channel_we_can_use(world):
    assert services.channel_for(resident(world, preferred_channel="phone"), calls=False) == "sms"
    no_address = resident(world, preferred_channel="letter", street="")
    assert services.channel_for(no_address) == "letter"  # fails visibly: the desk fixes the address
    assert services.channel_for(no_address, fallback=True) == "email"


@pytest.mark.parametrize(
    ("languages", "expected"), [("fr, nl", "fr"), ("en", "en"), ("ar, en", "nl"), ("", "nl")]
)
def test_the_language_is_the_residents_first_if_we_write_it_else_dutch(world, languages, expected):
    assert services.resident_language(resident(world, languages=languages)) == expected


def test_an_email_is_queued_with_the_address_and_sent_once_by_the_worker(world, send, mailoutbox):
    message = queue(resident(world))
    assert message.status == MessageStatus.QUEUED and message.to == "jan@example.org"
    assert send() == {"claimed": 1, "failed": 0}
    assert send() == {"claimed": 0, "failed": 0}
    assert [(m.to, m.subject, m.body) for m in mailoutbox] == [
        (["jan@example.org"], "Your device", "Please bring it back.")
    ]
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.sent_at and message.attempts == 1


def test_an_sms_goes_to_the_phone_number(world, send, sms_outbox):
    queue(resident(world, preferred_channel="sms"))
    send()
    assert sms_outbox == [{"to": "+32 470 12 34 56", "text": "Please bring it back."}]


def test_queueing_enqueues_the_send_task_after_commit(world, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = queue(resident(world))
        assert mailoutbox == []  # nothing goes out before the caller's transaction commits
    assert len(callbacks) == 2  # the enqueue, then (immediate backend) the send after its claim
    assert OutboundMessage.objects.get(pk=message.pk).status == MessageStatus.SENT
    assert len(mailoutbox) == 1


def test_a_message_is_rendered_from_its_templates_in_the_messages_language(world):
    person = resident(world, languages="fr", preferred_channel="email")
    message = services.resident_message(
        resident=person,
        template_key="messaging_test",
        context={"name": "Jan"},
    )
    assert message.language == "fr"
    assert message.payload == {"subject": "Sujet Jan", "body": "Bonjour Jan"}


def test_do_not_contact_and_erased_residents_get_nothing(world, send, mailoutbox):
    quiet = queue(resident(world, do_not_contact=True))
    erased = queue(resident(world, erased_at=timezone.now()))
    send()
    assert mailoutbox == []
    for message in (quiet, erased):
        message.refresh_from_db()
        assert message.status == MessageStatus.SKIPPED and message.to == "" and message.payload == {}


def test_a_message_without_the_details_for_the_channel_fails_visibly(world):
    message = queue(resident(world, preferred_channel="letter", street=""))
    assert message.status == MessageStatus.FAILED and "letter" in message.error.lower()


def test_the_idempotency_key_queues_a_message_once(world, send, mailoutbox):
    person = resident(world)
    first = queue(person, idempotency_key="test:1")
    second = queue(person, idempotency_key="test:1")
    assert first.pk == second.pk
    send()
    assert len(mailoutbox) == 1


def test_the_database_refuses_a_second_message_with_the_same_key(world):
    person = resident(world)
    queue(person, idempotency_key="test:1")
    with pytest.raises(IntegrityError):
        OutboundMessage.objects.create(
            network=world.leuven, recipient_kind="resident", channel="email", template_key="x", language="nl",
            idempotency_key="test:1",
        )  # fmt: skip


def test_the_same_key_in_another_network_is_another_message(world):
    mine = queue(resident(world), idempotency_key="test:1")
    theirs = queue(resident(world, network=world.other), idempotency_key="test:1")
    assert mine.pk != theirs.pk


def test_an_unknown_channel_is_refused(world):
    with pytest.raises(ValueError, match="channel"):
        services.message_queue(
            network_id=world.leuven.pk, recipient_kind="resident", recipient_id=1, channel="pigeon",
            template_key="x", payload=TEXT,
        )  # fmt: skip


def test_a_message_waits_until_its_send_after(world, send, mailoutbox):
    queue(resident(world), send_after=NOW + datetime.timedelta(hours=1))
    assert send(now=NOW)["claimed"] == 0
    assert send(now=NOW + datetime.timedelta(hours=2))["claimed"] == 1
    assert len(mailoutbox) == 1


def test_a_cancelled_message_is_not_sent(world, send, mailoutbox):
    queue(resident(world), idempotency_key="appointment:1:reminder")
    keys = ["appointment:1:reminder"]
    assert services.messages_cancel(network_id=world.leuven.pk, idempotency_keys=keys) == 1
    send()
    assert mailoutbox == []
    assert OutboundMessage.objects.get().status == MessageStatus.SKIPPED


# --- claims, crashes and retries -------------------------------------------------------------


def test_only_one_of_two_claims_wins(world):
    message = queue(resident(world))
    assert sending.message_claim(message.pk) == 1
    assert sending.message_claim(message.pk) is None


def test_a_message_a_crashed_worker_left_in_sending_is_retried_later(world, send, mailoutbox):
    message = queue(resident(world))
    assert sending.message_claim(message.pk, now=NOW) == 1  # the worker died right after its claim
    assert send(now=NOW + datetime.timedelta(minutes=5))["claimed"] == 0  # it may still be sending
    assert send(now=NOW + sending.STALE_AFTER + datetime.timedelta(minutes=1))["claimed"] == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 2
    assert len(mailoutbox) == 1


def test_a_late_finish_of_a_reclaimed_attempt_changes_nothing(world, send, mailoutbox):
    message = queue(resident(world))
    sending.message_claim(message.pk, now=NOW)
    send(now=NOW + sending.STALE_AFTER + datetime.timedelta(minutes=1))  # attempt 2 sent it
    assert not sending._finish(message.pk, 1, status=MessageStatus.FAILED, error="late")
    assert OutboundMessage.objects.get(pk=message.pk).status == MessageStatus.SENT


def test_an_error_is_retried_then_failed_after_the_last_attempt(world, send, settings, client_for):
    settings.SMS_BACKEND = "tests.messaging.test_outbox.BrokenSms"
    message = queue(resident(world, preferred_channel="sms"))
    now = NOW
    for attempt in range(1, sending.MAX_ATTEMPTS + 1):
        assert send(now=now)["claimed"] == 1
        message.refresh_from_db()
        assert message.attempts == attempt and "gateway down" in message.error
        assert send(now=now)["claimed"] == 0  # not before its retry time
        now += sending.RETRY_DELAY * attempt + datetime.timedelta(seconds=1)
    assert message.status == MessageStatus.FAILED
    assert send(now=now + datetime.timedelta(days=1))["claimed"] == 0
    assert selectors.failed_count(membership=world.coordinator.memberships.get()) == 1
    home = client_for(world.coordinator).get(reverse("core:home")).content.decode()
    assert "1 message could not be sent" in home


def test_a_message_stuck_in_sending_after_the_last_attempt_fails(world, send):
    message = queue(resident(world))
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, attempts=sending.MAX_ATTEMPTS, claimed_at=NOW
    )
    assert send(now=NOW + sending.STALE_AFTER + datetime.timedelta(minutes=1)) == {"claimed": 0, "failed": 1}
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and "attempts" in message.error


class BrokenSms:
    def send(self, to, text):
        raise RuntimeError("gateway down")


def test_the_command_and_the_task_run_the_loop(world, mailoutbox, django_capture_on_commit_callbacks):
    queue(resident(world))
    queue(resident(world))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_messages")
    assert len(mailoutbox) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert send_messages.enqueue().return_value == {"claimed": 0, "failed": 0}
    assert len(mailoutbox) == 2


# --- letters and calls -----------------------------------------------------------------------


def letter(world, **extra):
    street = extra.pop("street", "Bondgenotenlaan 10")
    html = f"<p>{street}</p><p>Beste {extra.get('last_name')}</p>"
    return queue(resident(world, preferred_channel="letter", **extra), payload={"html": html})


def test_letters_are_not_sent_but_printed_as_one_pdf_and_then_marked_sent(world, send, client_for):
    first = letter(world, last_name="Peeters", languages="nl")
    second = letter(world, last_name="Dubois", languages="fr")
    assert send()["claimed"] == 0
    assert "Peeters" in first.postal and "3000 Leuven" in first.postal
    client = client_for(world.coordinator)
    response = client.get(reverse("messaging:letters"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = pdf_pages(response.content)
    assert len(pages) == 2 and "Peeters" in pages[0] and "Dubois" in pages[1]
    client.post(reverse("messaging:letters_printed"), {"upto": second.pk})  # not confirmed
    assert OutboundMessage.objects.filter(status=MessageStatus.QUEUED).count() == 2
    later = letter(world, last_name="Later")  # queued after the PDF was made: stays
    client.post(reverse("messaging:letters_printed"), {"upto": second.pk, "confirm": "1"})
    assert set(OutboundMessage.objects.filter(status=MessageStatus.SENT).values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
    }
    assert OutboundMessage.objects.get(pk=later.pk).status == MessageStatus.QUEUED


def test_no_letters_says_so_instead_of_an_empty_pdf(world, client_for):
    response = client_for(world.coordinator).get(reverse("messaging:letters"), follow=True)
    assert "no letters to print" in response.content.decode()


def test_another_networks_letters_are_not_in_the_pdf_nor_marked(world, client_for):
    theirs = letter(world, network=world.other, last_name="Zegers")
    client = client_for(world.coordinator)
    assert "no letters" in client.get(reverse("messaging:letters"), follow=True).content.decode()
    client.post(reverse("messaging:letters_printed"), {"upto": theirs.pk, "confirm": "1"})
    assert OutboundMessage.objects.get(pk=theirs.pk).status == MessageStatus.QUEUED


def test_a_phone_message_waits_to_be_called(world, send):
    message = queue(resident(world, preferred_channel="phone"))
    assert message.status == MessageStatus.TO_CALL and message.to == "+32 470 12 34 56"
    assert send()["claimed"] == 0
    assert services.message_mark_called(message=message)
    assert not services.message_mark_called(message=message)
    assert OutboundMessage.objects.get(pk=message.pk).status == MessageStatus.SENT


# --- the Outbox page -------------------------------------------------------------------------


def test_the_outbox_lists_the_networks_messages_with_a_status_filter(world, client_for):
    sent = queue(resident(world, last_name="Sent"))
    OutboundMessage.objects.filter(pk=sent.pk).update(status=MessageStatus.SENT)
    failed = queue(resident(world, preferred_channel="letter", street=""))
    theirs = queue(resident(world, network=world.other))
    client = client_for(world.coordinator)
    page = client.get(reverse("messaging:outbox"))
    assert page.status_code == 200
    assert set(page.context["messages_page"]) == {sent, failed}
    filtered = client.get(reverse("messaging:outbox"), {"status": "failed"})
    assert list(filtered.context["messages_page"]) == [failed]
    nonsense = client.get(reverse("messaging:outbox"), {"status": "nonsense"})
    assert set(nonsense.context["messages_page"]) == {sent, failed}
    assert theirs not in nonsense.context["messages_page"]


def test_an_empty_outbox_says_so(world, client_for):
    page = client_for(world.coordinator).get(reverse("messaging:outbox"))
    assert "No messages yet." in page.content.decode()
    filtered = client_for(world.coordinator).get(reverse("messaging:outbox"), {"status": "failed"})
    assert "No messages with this status." in filtered.content.decode()


def test_the_outbox_is_in_the_coordinators_menu_only(world, client_for):
    def menu(user):
        return client_for(user).get(reverse("core:home")).content.decode()

    assert reverse("messaging:outbox") in menu(world.coordinator)
    assert reverse("messaging:outbox") not in menu(world.desk)


@pytest.mark.parametrize("actor", ["desk", "partner_a", "volunteer"])
def test_other_roles_may_not_see_the_outbox(world, client_for, actor):
    client = client_for(getattr(world, actor))
    assert client.get(reverse("messaging:outbox")).status_code == 403
    assert client.get(reverse("messaging:letters")).status_code == 403
    assert client.post(reverse("messaging:letters_printed"), {"confirm": "1", "upto": "1"}).status_code == 403


def test_a_coordinator_of_another_network_sees_none_of_ours(world, client_for):
    ours = queue(resident(world))
    page = client_for(world.outsider).get(reverse("messaging:outbox"))
    assert ours not in page.context["messages_page"]
    assert OutboundMessage.objects.visible_to(world.outsider.memberships.get()).count() == 0


def test_no_failed_messages_no_home_widget(world, client_for):
    assert "could not be sent" not in client_for(world.coordinator).get(reverse("core:home")).content.decode()


# --- privacy ---------------------------------------------------------------------------------


def test_a_persons_messages_are_in_their_export_and_blanked_by_erasure(world, send):
    person = resident(world)
    queue(person)
    other = queue(resident(world, email="other@example.org"))
    send()
    queue(person, idempotency_key="later")  # still queued when erased
    exported = selectors.messages_of("resident", person.pk, network_id=world.leuven.pk)
    assert [row["to"] for row in exported] == ["jan@example.org", "jan@example.org"]
    assert exported[0]["body"] == "Please bring it back." and exported[0]["status"] == "sent"
    resident_erase(resident=person, actor=world.coordinator, source="test")
    rows = OutboundMessage.objects.filter(recipient_id=person.pk).order_by("pk")
    assert [(m.to, m.payload, m.status) for m in rows] == [("", {}, "sent"), ("", {}, "skipped")]
    assert all(
        row["to"] == "" and row["body"] == ""
        for row in selectors.messages_of("resident", person.pk, network_id=world.leuven.pk)
    )
    other.refresh_from_db()
    assert other.to == "other@example.org"  # only this person's


def test_erasing_a_kind_and_id_touches_no_other_kind(world):
    message = services.message_queue(
        network_id=world.leuven.pk, recipient_kind="booker", recipient_id=5, channel="email",
        to="b@example.org", template_key="x", payload=TEXT,
    )  # fmt: skip
    services.messages_erase("resident", 5, network_id=world.leuven.pk)
    services.messages_erase("booker", 5, network_id=world.other.pk)  # another network's booker 5
    message.refresh_from_db()
    assert message.to == "b@example.org"
    services.messages_erase("booker", 5, network_id=world.leuven.pk)
    message.refresh_from_db()
    assert message.to == "" and message.payload == {}


@time_machine.travel(NOW, tick=False)
def test_the_outbox_shows_when_a_message_was_created(world, client_for):
    queue(resident(world))
    page = client_for(world.coordinator).get(reverse("messaging:outbox")).content.decode()
    assert "2026-06-01" in page


def test_the_outbox_costs_the_same_queries_for_one_or_many_messages(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.coordinator)
    queue(resident(world))
    letter(world, last_name="One")
    with django_assert_max_num_queries(30) as one:
        client.get(reverse("messaging:outbox"))
    for n in range(10):
        queue(resident(world, last_name=f"Many{n}"))
        letter(world, last_name=f"Letter{n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("messaging:outbox"))
