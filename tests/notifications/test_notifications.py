"""The notifications page: your own notifications only, opening one marks it read."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from digibank.networks.models import Membership
from digibank.notifications import services
from digibank.notifications.models import Notification
from digibank.plugins.context_processors import shell

LIST = reverse("notifications:list")


@pytest.fixture(autouse=True)
def in_english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def open_url(notification):
    return reverse("notifications:open", kwargs={"pk": notification.pk})


def test_the_list_shows_only_my_notifications(world, client_for):
    Notification.objects.create(network=world.leuven, user=world.partner_a, text="For partner A only")
    text = client_for(world.desk).get(LIST).content.decode()
    assert "Welcome: this is your first notification" in text
    assert "For partner A only" not in text


def test_opening_a_notification_marks_it_read_and_follows_its_link(world, client_for):
    response = client_for(world.desk).get(open_url(world.notification_desk))
    assert response.status_code == 302 and response["Location"] == "/"
    world.notification_desk.refresh_from_db()
    assert world.notification_desk.read_at is not None


def test_someone_elses_notification_is_404(world, client_for):
    assert client_for(world.partner_a).get(open_url(world.notification_desk)).status_code == 404
    assert client_for(world.outsider).get(open_url(world.notification_desk)).status_code == 404
    world.notification_desk.refresh_from_db()
    assert world.notification_desk.read_at is None


def test_a_link_to_another_site_is_never_followed(world, client_for):
    evil = Notification.objects.create(network=world.leuven, user=world.desk, text="x", url="//evil.example/")
    response = client_for(world.desk).get(open_url(evil))
    assert response["Location"] == LIST


def test_mark_all_as_read_needs_its_field_so_an_empty_post_changes_nothing(world, client_for):
    client = client_for(world.desk)
    client.post(reverse("notifications:read_all"), {})
    assert Notification.objects.filter(user=world.desk, read_at__isnull=True).exists()
    client.post(reverse("notifications:read_all"), {"all": "1"})
    assert not Notification.objects.filter(user=world.desk, read_at__isnull=True).exists()


def test_the_navigation_counts_my_unread_notifications_lazily(world, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = world.desk
    request.membership = Membership.objects.get(user=world.desk, network=world.leuven)
    unread = Notification.objects.filter(user=world.desk, network=world.leuven, read_at__isnull=True).count()
    assert unread >= 1
    with django_assert_num_queries(0):
        context = shell(request)
    links = {link.url: link for link in context["nav_links"]}
    assert int(links[LIST].badge) == unread
    request.membership = None
    assert list(shell(request)["nav_links"]) == []


def test_notify_writes_in_each_users_language_and_mails_on_commit(world, django_capture_on_commit_callbacks):
    from django.core import mail

    world.partner_a.preferred_language = "fr"
    world.partner_a.save()
    seen = []
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            network_id=world.leuven.pk,
            users=[world.partner_a, world.desk],
            text=lambda: seen.append(translation.get_language()) or "Hello",
            url="/requests/",
        )
    assert sorted(seen) == ["en", "fr"]  # each user's preferred language (the world's staff read English)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.partner_a.email, world.desk.email])
    assert "http" in mail.outbox[0].body and "/requests/" in mail.outbox[0].body
