"""The closed loop: partners' inbox and outbox, notifications to staff and to residents, notes."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from digibank.lib.sms import LocmemSmsBackend
from digibank.messaging.models import OutboundMessage
from digibank.notifications.models import Notification
from digibank.referrals import services, texts
from digibank.referrals.models import ReferralNote
from tests import factories as f

from .helpers import make_request, move, refer


def test_each_status_change_notifies_both_partners_but_not_who_made_it(
    world, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    last = Notification.objects.latest("pk").pk
    with django_capture_on_commit_callbacks(execute=True):
        move(world.referral_a, "accepted", actor=world.partner_c)
    new = list(Notification.objects.filter(pk__gt=last))
    users = {n.user for n in new}
    assert world.partner_a in users and world.partner_c not in users
    assert any("Accepted" in n.text and world.request_a.reference in n.text for n in new)
    assert [m.to for m in mail.outbox] == [[world.partner_a.email]]
    assert "Amira" not in mail.outbox[0].body  # no resident names in e-mail


def test_e_mails_to_staff_leave_only_when_the_transaction_commits(world, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        move(world.referral_a, "accepted", actor=world.desk)
    assert callbacks and mail.outbox == []


def test_the_assigned_desk_colleague_follows_the_referrals_too(world):
    services.request_assign(request=world.request_a, assignee=world.desk, actor=world.coordinator)
    move(world.referral_a, "accepted", actor=world.partner_c)
    assert Notification.objects.filter(user=world.desk, text__contains="Accepted").exists()


# --- residents ----------------------------------------------------------------------------


def resident(world, **kwargs):
    defaults = {"network": world.leuven, "organisation": world.org_a, "languages": "fr, nl"}
    return f.ResidentFactory(**{**defaults, **kwargs})


def test_a_resident_who_prefers_e_mail_gets_one_in_their_language_on_sent_accepted_and_done(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    person = resident(world, preferred_channel="email", email="fatima@example.net")
    languages = []
    original = texts.for_resident

    def spy(referral):
        languages.append(translation.get_language())
        return original(referral)

    monkeypatch.setattr(texts, "for_resident", spy)
    request = make_request(world, resident=person)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        [referral] = refer(world, request)
        move(referral, "accepted", "in_progress", "done", actor=world.partner_c)
    to_resident = [m for m in mail.outbox if m.to == ["fatima@example.net"]]
    assert len(to_resident) == 3  # sent, accepted, done (not "in progress")
    assert languages == ["fr", "fr", "fr"]
    assert all(request.reference in m.subject for m in to_resident)


def test_a_resident_who_prefers_sms_gets_an_sms(world, django_capture_on_commit_callbacks):
    person = resident(world, preferred_channel="sms", phone="0470 11 22 33", languages="ar")
    with django_capture_on_commit_callbacks(execute=True):
        refer(world, make_request(world, resident=person))
    assert [m["to"] for m in LocmemSmsBackend.outbox] == ["0470 11 22 33"]


@pytest.mark.parametrize("channel", ["phone", "letter"])
def test_phone_and_letter_are_for_a_colleague_so_the_desk_gets_a_line(world, channel):
    person = resident(
        world, preferred_channel=channel, phone="0470 11 22 33", street="Straat 1", city="Leuven"
    )
    [referral] = refer(world, make_request(world, resident=person))
    note = ReferralNote.objects.get(referral=referral, author=None)
    assert note.visibility == "desk" and "prefers" in note.text
    assert LocmemSmsBackend.outbox == []
    # The outbox holds the call to make or the letter to print, in the resident's language.
    message = OutboundMessage.objects.get(idempotency_key=f"referral:{referral.pk}:sent")
    assert (message.channel, message.language) == (channel, "fr")
    if channel == "letter":
        assert message.status == "queued" and "Straat 1" in message.payload["html"]
    else:
        assert message.status == "to_call" and message.to == "0470 11 22 33"


def test_a_status_told_once_is_not_queued_again(world):
    person = resident(world, preferred_channel="email", email="once@example.net")
    [referral] = refer(world, make_request(world, resident=person))
    services._after_change(referral=referral, actor=None)  # the same step reported twice
    assert OutboundMessage.objects.filter(recipient_id=person.pk, recipient_kind="resident").count() == 1


def test_a_resident_who_does_not_want_contact_gets_nothing(world, django_capture_on_commit_callbacks):
    person = resident(world, preferred_channel="email", email="quiet@example.net", do_not_contact=True)
    with django_capture_on_commit_callbacks(execute=True):
        [referral] = refer(world, make_request(world, resident=person))
        move(referral, "accepted", actor=world.partner_c)
    assert not [m for m in mail.outbox if "quiet@example.net" in m.to]
    assert not ReferralNote.objects.filter(referral=referral, author=None).exists()
    mine = OutboundMessage.objects.filter(recipient_kind="resident", recipient_id=person.pk)
    assert set(mine.values_list("status", flat=True)) == {"skipped"}


# --- inbox and outbox ---------------------------------------------------------------------


def test_the_inbox_lists_referrals_sent_to_my_organisation_only(world, client_for):
    response = client_for(world.partner_c).get(reverse("referrals:inbox"))
    assert [r.pk for r in response.context["referrals"]] == [world.referral_a.pk]
    assert client_for(world.partner_a).get(reverse("referrals:inbox")).context["referrals"] == []
    move(world.referral_a, "accepted", "in_progress", "done", actor=world.partner_c)
    assert client_for(world.partner_c).get(reverse("referrals:inbox")).context["referrals"] == []
    shown = client_for(world.partner_c).get(reverse("referrals:inbox"), {"show": "all"}).context["referrals"]
    assert [r.pk for r in shown] == [world.referral_a.pk]


def test_the_outbox_shows_the_status_of_each_referral_my_organisation_made(world, client_for):
    move(world.referral_a, "accepted", "in_progress", actor=world.partner_c)
    response = client_for(world.partner_a).get(reverse("referrals:outbox"))
    text = response.content.decode()
    assert world.request_a.reference in text and 'data-referral-status="in_progress"' in text
    assert client_for(world.partner_b).get(reverse("referrals:outbox")).context["requests"] == []
    assert "Amira" not in client_for(world.partner_b).get(reverse("referrals:outbox")).content.decode()


# --- notes --------------------------------------------------------------------------------


def add_note(world, author, visibility, text):
    from digibank.networks.models import Membership

    membership = Membership.objects.get(user=author, network=world.leuven)
    return services.referral_note_add(
        referral=world.referral_a, author=author, text=text, visibility=visibility, membership=membership
    )


def visible_notes(client, world):
    url = reverse("referrals:referral_detail", kwargs={"pk": world.referral_a.pk})
    return {note.text for note in client.get(url).context["notes"]}


def test_notes_are_visible_only_to_the_people_they_are_for(world, client_for):
    add_note(world, world.desk, "all", "for everyone")
    add_note(world, world.desk, "receiver", "for the receiver")
    add_note(world, world.desk, "desk", "desk only")
    assert visible_notes(client_for(world.desk), world) >= {"for everyone", "for the receiver", "desk only"}
    assert visible_notes(client_for(world.partner_c), world) == {"for everyone", "for the receiver"}
    assert visible_notes(client_for(world.partner_a), world) == {"for everyone"}


def test_a_partner_cannot_write_a_desk_only_note_and_an_empty_note_is_refused(world, client_for):
    url = reverse("referrals:referral_note", kwargs={"pk": world.referral_a.pk})
    response = client_for(world.partner_a).post(url, {"note-text": "secret", "note-visibility": "desk"})
    assert response.status_code == 200 and "visibility" in response.context["note_form"].errors
    response = client_for(world.partner_a).post(url, {"note-text": "", "note-visibility": "all"})
    assert response.status_code == 200
    assert not ReferralNote.objects.filter(referral=world.referral_a, author=world.partner_a).exists()
    client_for(world.partner_a).post(url, {"note-text": "Called her today", "note-visibility": "all"})
    assert "Called her today" in visible_notes(client_for(world.partner_c), world)


def test_the_receiver_plans_the_follow_up_but_the_referrer_cannot(world, client_for):
    url = reverse("referrals:referral_follow_up", kwargs={"pk": world.referral_a.pk})
    client_for(world.partner_a).post(url, {"followup-follow_up_on": "2099-05-01"})
    world.referral_a.refresh_from_db()
    assert str(world.referral_a.follow_up_on) != "2099-05-01"
    client_for(world.partner_c).post(url, {"followup-follow_up_on": "2099-05-01"})
    world.referral_a.refresh_from_db()
    assert str(world.referral_a.follow_up_on) == "2099-05-01"
