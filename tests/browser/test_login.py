import pytest

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_login_page_is_dutch_and_accessible(page, assert_accessible):
    page.goto(page.base_url + "/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("h1").inner_text() == "Aanmelden bij Digibank"
    assert page.get_by_label("Gebruikersnaam").is_visible()
    assert_accessible(page)


def test_the_language_switch_turns_the_interface_french(page, world):
    page.goto(page.base_url + "/accounts/login/")
    page.select_option("#language-switch", "fr")
    page.locator("footer form[action='/i18n/setlang/'] button").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("main form button[type=submit]").inner_text() == "Se connecter"


def test_a_service_desk_worker_logs_in_and_sees_their_home(page, world, assert_accessible):
    login(page, "desk")
    page.wait_for_url(page.base_url + "/")
    assert page.get_by_role("heading", level=1).is_visible()
    assert_accessible(page)


def test_a_wrong_password_keeps_you_on_the_login_page(page, world):
    login(page, "desk", password="wrong")
    assert "/accounts/login/" in page.url
    assert page.locator(".form-errors").is_visible()
