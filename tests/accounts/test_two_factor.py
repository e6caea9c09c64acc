import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from digibank.accounts import selectors

from .helpers import app_code, enable_two_factor

SETUP = reverse("accounts:two_factor_setup")
VERIFY = reverse("accounts:two_factor_verify")


def test_the_setup_page_shows_a_qr_code_inline_and_the_key_to_type(world, client_for):
    response = client_for(world.desk).get(SETUP)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "<title>" in html
    assert "<img" not in html and "http" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    device = TOTPDevice.objects.get(user=world.desk)
    assert not device.confirmed
    assert response.context["secret"].replace(" ", "") in html.replace(" ", "")
    assert response["Cache-Control"].startswith("max-age=0")
    # A reload shows the same key: the app the user already scanned keeps working.
    client_for(world.desk).get(SETUP)
    assert TOTPDevice.objects.filter(user=world.desk).count() == 1


def test_a_wrong_code_does_not_turn_two_factor_on(world, client_for):
    client = client_for(world.desk)
    client.get(SETUP)
    response = client.post(SETUP, {"code": "123 456"})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not selectors.has_two_factor(user=world.desk)


def test_the_right_code_turns_it_on_verifies_the_session_and_shows_ten_backup_codes(world, client_for):
    client = client_for(world.desk)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=world.desk)
    response = client.post(SETUP + "?next=/residents/", {"code": app_code(device)})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    for code in codes:
        assert code in response.content.decode()
    assert response.context["next_url"] == "/residents/"
    assert "no-store" in response["Cache-Control"]
    assert selectors.has_two_factor(user=world.desk)
    assert StaticToken.objects.filter(device__user=world.desk).count() == 10
    assert client.session.get("otp_device_id") == device.persistent_id


def test_setup_is_not_offered_twice(world, client_for):
    enable_two_factor(world.desk)
    response = client_for(world.desk).get(SETUP)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:profile")


@pytest.fixture
def strict_network(world):
    world.leuven.require_two_factor = True
    world.leuven.save()
    return world.leuven


def test_mandatory_two_factor_sends_a_member_without_a_device_to_set_up(world, strict_network, client_for):
    response = client_for(world.desk).get("/residents/")
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP) and "next=/residents/" in response["Location"]


def test_mandatory_two_factor_sends_an_unverified_session_to_the_code(world, strict_network, client_for):
    enable_two_factor(world.desk)
    response = client_for(world.desk).get("/residents/")
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)


def test_after_set_up_the_mandatory_network_opens(world, strict_network, client_for):
    client = client_for(world.desk)
    client.get(SETUP)
    client.post(SETUP, {"code": app_code(TOTPDevice.objects.get(user=world.desk))})
    assert client.get("/residents/").status_code == 200


def test_an_unverified_session_becomes_verified_with_a_code(world, strict_network, client_for):
    device, _ = enable_two_factor(world.desk)
    client = client_for(world.desk)
    response = client.post(VERIFY + "?next=/residents/", {"code": app_code(device)})
    assert response["Location"] == "/residents/"
    assert client.get("/residents/").status_code == 200


def test_other_networks_are_not_affected(world, strict_network, client_for):
    assert client_for(world.outsider).get("/residents/").status_code == 200


def test_two_factor_can_be_turned_off_with_a_current_code(world, client_for):
    device, _ = enable_two_factor(world.desk)
    client = client_for(world.desk)
    response = client.post(reverse("accounts:two_factor_disable"), {"code": app_code(device)})
    assert response.status_code == 302
    assert not selectors.has_two_factor(user=world.desk)
    assert not StaticToken.objects.filter(device__user=world.desk).exists()


def test_turning_off_needs_a_correct_code(world, client_for):
    enable_two_factor(world.desk)
    response = client_for(world.desk).post(reverse("accounts:two_factor_disable"), {"code": "000000"})
    assert response.status_code == 200
    assert response.context["disable_form"].errors["code"]
    assert selectors.has_two_factor(user=world.desk)


def test_turning_off_is_refused_when_the_network_makes_it_mandatory(world, strict_network, client_for):
    device, _ = enable_two_factor(world.desk)
    client = client_for(world.desk)
    response = client.post(reverse("accounts:two_factor_disable"), {"code": app_code(device)}, follow=True)
    assert selectors.has_two_factor(user=world.desk)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert world.leuven.name in response.content.decode()


def test_new_backup_codes_replace_the_old_ones(world, client_for):
    device, old_codes = enable_two_factor(world.desk)
    client = client_for(world.desk)
    response = client.post(reverse("accounts:two_factor_backup_codes"), {"codes-code": app_code(device)})
    assert response.status_code == 200
    new_codes = response.context["codes"]
    assert len(new_codes) == 10
    stored = set(StaticToken.objects.filter(device__user=world.desk).values_list("token", flat=True))
    assert stored == set(new_codes) and not stored & set(old_codes)


def test_new_backup_codes_need_a_correct_code(world, client_for):
    _, old_codes = enable_two_factor(world.desk)
    response = client_for(world.desk).post(reverse("accounts:two_factor_backup_codes"), {"codes-code": "1"})
    assert response.status_code == 200
    assert response.context["codes_form"].errors["code"]
    stored = set(StaticToken.objects.filter(device__user=world.desk).values_list("token", flat=True))
    assert stored == set(old_codes)
