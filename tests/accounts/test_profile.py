from django.conf import settings
from django.urls import reverse

from digibank.accounts.models import ApiToken, hash_token
from digibank.accounts.services import api_token_create

from .helpers import enable_two_factor

PROFILE = reverse("accounts:profile")


def test_the_profile_shows_networks_roles_and_two_factor_status(world, client_for):
    response = client_for(world.partner_a).get(PROFILE)
    html = response.content.decode()
    membership = world.partner_a.memberships.get()
    assert world.leuven.name in html
    assert str(membership.get_role_display()) in html and "Buurtwerk A" in html
    assert response.context["two_factor"] is False
    assert reverse("accounts:two_factor_setup") in html


def test_the_profile_says_when_two_factor_is_on(world, client_for):
    enable_two_factor(world.desk)
    response = client_for(world.desk).get(PROFILE)
    assert response.context["two_factor"] is True
    assert response.context["backup_codes_left"] == 10
    assert reverse("accounts:two_factor_disable") in response.content.decode()


def test_saving_the_language_stores_it_and_switches_to_it(world, client_for):
    client = client_for(world.desk)
    response = client.post(reverse("accounts:language"), {"preferred_language": "en"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    world.desk.refresh_from_db()
    assert world.desk.preferred_language == "en"
    assert '<html lang="en"' in client.get(PROFILE).content.decode()


def test_an_unknown_language_is_refused(world, client_for):
    response = client_for(world.desk).post(reverse("accounts:language"), {"preferred_language": "xx"})
    assert response.status_code == 200
    assert response.context["language_form"].errors
    world.desk.refresh_from_db()
    assert world.desk.preferred_language == "en"  # unchanged


def test_a_new_token_is_shown_once_and_stored_only_as_a_hash(world, client_for):
    client = client_for(world.desk)
    response = client.post(reverse("accounts:api_token_create"), {"name": "Booking import"})
    assert response.status_code == 200
    raw = response.context["new_token"]
    assert raw.startswith("dgb_") and raw in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=world.desk)
    assert token.network == world.leuven
    assert token.key_hash == hash_token(raw) and raw not in (token.prefix, token.name)
    again = client.get(PROFILE).content.decode()
    assert "Booking import" in again and raw not in again


def test_a_token_needs_a_name(world, client_for):
    response = client_for(world.desk).post(reverse("accounts:api_token_create"), {"name": "  "})
    assert response.status_code == 200
    assert response.context["token_form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_a_token_is_created_for_the_current_network(world, client_for):
    client_for(world.outsider).post(reverse("accounts:api_token_create"), {"name": "x"})
    assert ApiToken.objects.get(user=world.outsider).network == world.other


def test_a_token_can_be_revoked(world, client_for):
    token, _raw = api_token_create(user=world.desk, network=world.leuven, name="Old")
    response = client_for(world.desk).post(reverse("accounts:api_token_revoke"), {"token": token.pk})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "Old" not in client_for(world.desk).get(PROFILE).content.decode()


def test_nobody_revokes_someone_elses_token(world, client_for):
    token, _raw = api_token_create(user=world.coordinator, network=world.leuven, name="Theirs")
    for user in (world.desk, world.outsider):
        client_for(user).post(reverse("accounts:api_token_revoke"), {"token": token.pk})
    client_for(world.desk).post(reverse("accounts:api_token_revoke"), {"token": "junk"})
    token.refresh_from_db()
    assert token.revoked_at is None


def test_tokens_of_another_network_are_not_listed(world, client_for):
    api_token_create(user=world.outsider, network=world.leuven, name="Stray token")
    assert "Stray token" not in client_for(world.outsider).get(PROFILE).content.decode()
