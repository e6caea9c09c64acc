from django.conf import settings
from django.urls import reverse

from .helpers import PASSWORD, app_code, enable_two_factor

LOGIN = "/accounts/login/"


def test_it_logs_in_with_the_right_password(world, client):
    response = client.post(LOGIN, {"username": "desk", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_it_refuses_a_wrong_password_and_says_so(world, client):
    response = client.post(LOGIN, {"username": "desk", "password": "wrong password"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert 'role="alert"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_switches_to_the_users_preferred_language_on_log_in(world, client):
    world.desk.preferred_language = "fr"
    world.desk.save()
    response = client.post(LOGIN, {"username": "desk", "password": PASSWORD})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"


def test_the_login_page_links_to_password_reset(world, client):
    assert reverse("accounts:password_reset") in client.get(LOGIN).content.decode()


def test_log_out_ends_the_session(world, client_for):
    client = client_for(world.desk)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_a_user_with_two_factor_is_not_logged_in_by_the_password_alone(world, client):
    enable_two_factor(world.desk)
    response = client.post(LOGIN, {"username": "desk", "password": PASSWORD, "next": "/residents/"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    assert "next=%2Fresidents%2F" in response["Location"]
    assert "_auth_user_id" not in client.session
    # Every page still asks to log in.
    profile = client.get(reverse("accounts:profile"))
    assert profile.status_code == 302 and LOGIN in profile["Location"]


def test_the_code_from_the_app_completes_the_log_in(world, client):
    device, _codes = enable_two_factor(world.desk)
    client.post(LOGIN, {"username": "desk", "password": PASSWORD})
    verify = reverse("accounts:two_factor_verify") + "?next=/residents/"
    response = client.post(verify, {"code": app_code(device)})
    assert response.status_code == 302
    assert response["Location"] == "/residents/"
    assert client.session["_auth_user_id"] == str(world.desk.pk)
    assert client.get("/residents/").status_code == 200


def test_a_backup_code_completes_the_log_in_once(world, client):
    _device, codes = enable_two_factor(world.desk)
    client.post(LOGIN, {"username": "desk", "password": PASSWORD})
    response = client.post(reverse("accounts:two_factor_verify"), {"code": codes[0].upper()})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.desk.pk)

    other = type(client)()
    other.post(LOGIN, {"username": "desk", "password": PASSWORD})
    again = other.post(reverse("accounts:two_factor_verify"), {"code": codes[0]})
    assert again.status_code == 200
    assert again.context["form"].errors["code"]
    assert "_auth_user_id" not in other.session


def test_a_wrong_code_is_refused_and_too_many_send_back_to_the_password(world, client):
    enable_two_factor(world.desk)
    client.post(LOGIN, {"username": "desk", "password": PASSWORD})
    verify = reverse("accounts:two_factor_verify")
    for _ in range(4):
        response = client.post(verify, {"code": "000000"})
        assert response.status_code == 200
        assert response.context["form"].errors["code"]
    response = client.post(verify, {"code": "000000"})
    assert response.status_code == 302 and LOGIN in response["Location"]
    assert client.get(verify).status_code == 302  # the password step is forgotten
    assert "_auth_user_id" not in client.session


def test_the_verify_page_without_a_password_step_sends_to_log_in(world, client):
    response = client.get(reverse("accounts:two_factor_verify"))
    assert response.status_code == 302 and LOGIN in response["Location"]


def test_an_unsafe_next_address_is_ignored(world, client):
    device, _ = enable_two_factor(world.desk)
    client.post(LOGIN, {"username": "desk", "password": PASSWORD})
    response = client.post(
        reverse("accounts:two_factor_verify") + "?next=https://evil.example/", {"code": app_code(device)}
    )
    assert response["Location"] == reverse("core:home")
