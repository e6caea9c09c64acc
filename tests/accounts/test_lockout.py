"""Log-in throttling: too many wrong passwords lock the account (and the address) for a while;
the page says why and what to do; a coordinator can let the member in again."""

import pytest
from django.test import Client
from django.urls import reverse

from digibank.networks.models import Membership

LOGIN = "/accounts/login/"
PASSWORD = "correct horse battery"


@pytest.fixture
def desk_with_password(world):
    world.desk.set_password(PASSWORD)
    world.desk.save()
    return world.desk


def log_in(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_after_five_wrong_passwords_even_the_right_one_is_refused_and_the_page_says_why(
    world, desk_with_password
):
    client = Client()
    for _ in range(4):
        assert log_in(client, "desk", "wrong").status_code == 200  # the form again, with its error
    assert log_in(client, "desk", "wrong").status_code == 429  # the fifth locks
    response = log_in(client, "desk", PASSWORD)
    assert response.status_code == 429
    text = response.content.decode()
    assert "too often" in text and "30 minutes" in text
    assert "_auth_user_id" not in client.session


def test_other_addresses_are_locked_out_of_that_account_and_one_address_out_of_every_account(
    world, desk_with_password
):
    for _ in range(5):
        log_in(Client(REMOTE_ADDR="10.0.0.1"), "desk", "wrong")
    assert log_in(Client(REMOTE_ADDR="10.0.0.2"), "desk", PASSWORD).status_code == 429
    for name in ("a", "b", "c", "d", "e"):
        log_in(Client(REMOTE_ADDR="10.0.0.3"), name, "wrong")
    world.coordinator.set_password(PASSWORD)
    world.coordinator.save()
    assert log_in(Client(REMOTE_ADDR="10.0.0.3"), "coordinator", PASSWORD).status_code == 429


def test_a_coordinator_sees_the_lock_and_lets_the_member_in_again(world, desk_with_password, client_for):
    for _ in range(5):
        log_in(Client(), "desk", "wrong")
    membership = Membership.objects.get(user=world.desk, network=world.leuven)
    coordinator = client_for(world.coordinator)
    page = coordinator.get(reverse("networks:member_edit", kwargs={"pk": membership.pk})).content.decode()
    assert "cannot log in for now" in page
    response = coordinator.post(reverse("networks:member_unlock", kwargs={"pk": membership.pk}))
    assert response.status_code == 302
    assert log_in(Client(), "desk", PASSWORD).status_code == 302
    # Only who manages the network may unlock; another network's coordinator does not find the member.
    assert (
        client_for(world.desk)
        .post(reverse("networks:member_unlock", kwargs={"pk": membership.pk}))
        .status_code
        == 403
    )
    assert (
        client_for(world.outsider)
        .post(reverse("networks:member_unlock", kwargs={"pk": membership.pk}))
        .status_code
        == 404
    )


def test_a_right_password_resets_the_count(world, desk_with_password):
    for _ in range(4):
        log_in(Client(), "desk", "wrong")
    assert log_in(Client(), "desk", PASSWORD).status_code == 302
    for _ in range(4):
        log_in(Client(), "desk", "wrong")
    assert log_in(Client(), "desk", PASSWORD).status_code == 302
