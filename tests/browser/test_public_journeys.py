"""The public site in a real browser, in Dutch, French and English, with and without JavaScript:
find an open digipunt, book a help hour (and cancel it), send each form first with a mistake,
then correctly. axe-core finds no violation of any impact on any page visited.

Elements are found by name, id, role attributes and URLs, never by visible text, so the
journeys keep working once the lead translates the site.
"""

import re

import pytest

from digibank.digipunten.models import Appointment
from digibank.public.models import DonationOffer, VolunteerApplication
from digibank.referrals.models import Request
from tests.public.conftest import always_open, daily_sessions

pytestmark = pytest.mark.django_db(transaction=True)

ALL_IMPACTS = ("minor", "moderate", "serious", "critical")
LANGUAGES = ["nl", "fr", "en"]


@pytest.fixture
def site(world):
    from digibank.networks.models import District

    w = world
    w.kessel_lo = District.objects.create(network=w.leuven, name="Kessel-Lo", postcodes="3010")
    w.open_dp = always_open(w.leuven, name="Open Huis Kessel-Lo", district=w.kessel_lo, postcode="3010")
    daily_sessions(w.open_dp)
    w.leuven.contact_phone = "016 00 00 00"
    w.leuven.save(update_fields=["contact_phone"])
    return w


def new_page(browser, live_server, *, language: str, javascript: bool):
    context = browser.new_context(
        locale={"nl": "nl-BE", "fr": "fr-BE", "en": "en-GB"}[language],
        viewport={"width": 390, "height": 844},
        java_script_enabled=javascript,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    return page


@pytest.fixture
def visit(browser, live_server, assert_accessible):
    """``visit(language, javascript)`` -> (page, check): ``check()`` asserts the page is in that
    language and, with JavaScript, that axe finds no violation at all."""
    opened = []

    def make(language: str, javascript: bool):
        page = new_page(browser, live_server, language=language, javascript=javascript)
        opened.append(page)

        def check():
            page.wait_for_load_state()
            assert page.locator("html").get_attribute("lang") == language
            if javascript:  # axe-core is JavaScript: it runs in the journeys with JavaScript on
                assert_accessible(page, impacts=ALL_IMPACTS)

        return page, check

    yield make
    for page in opened:
        page.context.close()


def submit(page, form_selector="main form[method=post]"):
    page.locator(f"{form_selector} button[type=submit]").first.click()
    page.wait_for_load_state()


def journey(site, page, check, language):
    slug = site.leuven.slug
    base = f"{page.base_url}/site/{slug}"

    # The list of networks and the home page.
    page.goto(f"{page.base_url}/site/")
    check()
    page.locator(f'main a[href="/site/{slug}/"]').click()
    check()

    # Find an open digipunt: filter on "open now".
    page.locator(f'a[href="/site/{slug}/find/"]').first.click()
    check()
    page.check("#id_open_now")
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_url(re.compile(r"open_now=on"))
    check()
    page.locator(f'main a[href="/site/{slug}/digipunten/{site.open_dp.pk}/"]').click()
    check()
    assert page.locator("main .open").count() == 1

    # Book a help hour: first without choosing a time, then correctly; then cancel it.
    page.locator(f'main a[href="/site/{slug}/digipunten/{site.open_dp.pk}/book/"]').first.click()
    check()
    page.fill("#id_name", "Omar Benali")
    submit(page)
    assert page.locator("#id_slot_error").count() == 1 and page.locator("#id_phone_error").count() == 1
    check()
    page.locator("input[name=slot]").first.check()
    page.fill("#id_phone", "0470 99 88 77")
    submit(page)
    page.locator("#reference").wait_for()
    check()
    assert Appointment.objects.filter(channel="web", name="Omar Benali").count() == 1
    page.locator("#cancel-link").click()
    check()
    submit(page)
    check()
    assert Appointment.objects.get(channel="web", name="Omar Benali").status == "cancelled"

    # I need help: a wrong postcode first.
    page.goto(f"{base}/help/")
    check()
    page.check('input[name=needs][value="device"]')
    page.fill("#id_first_name", "Fatima")
    page.fill("#id_last_name", f"El Amrani {language}")
    page.fill("#id_birth_year", "1961")
    page.fill("#id_postcode", "30")
    page.fill("#id_phone", "0470 12 34 56")
    page.check("#id_consent")
    submit(page)
    assert page.locator("#id_postcode_error").count() == 1
    assert page.locator("#id_postcode").get_attribute("aria-invalid") == "true"
    check()
    page.fill("#id_postcode", "3010")
    submit(page)
    page.locator("#reference").wait_for()
    check()
    request = Request.objects.get(resident__last_name=f"El Amrani {language}")
    assert page.locator("#reference").inner_text().strip() == request.reference

    # I want to volunteer: no role first.
    page.goto(f"{base}/volunteer/")
    check()
    page.fill("#id_name", f"Pieter {language}")
    page.fill("#id_email", "pieter@example.org")
    page.check("#id_consent")
    submit(page)
    assert page.locator("#id_roles_error").count() == 1
    check()
    page.check('input[name=roles][value="digihelper"]')
    submit(page)
    page.locator("#reference").wait_for()
    check()
    assert VolunteerApplication.objects.filter(name=f"Pieter {language}").count() == 1

    # I want to donate devices: no number first.
    page.goto(f"{base}/donate/")
    check()
    page.check('input[name=donor_kind][value="person"]')
    page.fill("#id_name", f"Anna {language}")
    page.fill("#id_phone", "016 11 22 33")
    page.check('input[name=device_kinds][value="laptop"]')
    page.check('input[name=handover][value="drop_off"]')
    page.check("#id_consent")
    submit(page)
    assert page.locator("#id_device_count_error").count() == 1
    check()
    page.fill("#id_device_count", "2")
    submit(page)
    page.locator("#reference").wait_for()
    check()
    assert DonationOffer.objects.filter(name=f"Anna {language}").count() == 1

    # The other pages.
    for path in ["privacy/", "flyers/", "book/"]:
        page.goto(f"{base}/{path}")
        check()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_public_journeys_with_javascript(site, visit, language):
    page, check = visit(language, javascript=True)
    journey(site, page, check, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_same_journeys_without_javascript(site, visit, language):
    page, check = visit(language, javascript=False)
    journey(site, page, check, language)


def test_the_language_buttons_switch_the_site(site, visit):
    page, _check = visit("nl", javascript=False)
    page.goto(f"{page.base_url}/site/{site.leuven.slug}/find/")
    page.locator('form.langs button[name=language][value="fr"]').click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.url.endswith("/find/")
    assert page.locator('form.langs button[value="fr"]').get_attribute("aria-current") == "true"


def test_a_right_to_left_language_turns_the_layout_and_stays_accessible(
    site, browser, live_server, settings, assert_accessible
):
    settings.LANGUAGES = [*settings.LANGUAGES, ("ar", "العربية")]
    context = browser.new_context(locale="ar", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        for path in [
            "",
            "find/",
            f"digipunten/{site.open_dp.pk}/",
            "help/",
            f"digipunten/{site.open_dp.pk}/book/",
        ]:
            page.goto(f"{live_server.url}/site/{site.leuven.slug}/{path}")
            assert page.locator("html").get_attribute("dir") == "rtl"
            assert page.locator("html").get_attribute("lang") == "ar"
            assert_accessible(page, impacts=ALL_IMPACTS)
        # Logical properties: the brand sits on the right in right-to-left.
        box = page.locator(".brand").bounding_box()
        assert box["x"] + box["width"] > 390 / 2
    finally:
        context.close()


def test_a_double_click_on_send_stores_one_application(site, browser, live_server):
    page = new_page(browser, live_server, language="en", javascript=True)
    try:
        page.goto(f"{live_server.url}/site/{site.leuven.slug}/volunteer/")
        page.check('input[name=roles][value="digibuddy"]')
        page.fill("#id_name", "Dubbel Klik")
        page.fill("#id_email", "dubbel@example.org")
        page.check("#id_consent")
        page.locator("main form[method=post] button[type=submit]").dblclick()
        page.locator("#reference").wait_for()
        assert VolunteerApplication.objects.filter(name="Dubbel Klik").count() == 1
    finally:
        page.context.close()


def test_the_polite_refusal_page_is_accessible_too(site, visit):
    from unittest import mock

    from digibank.public import ratelimit

    page, check = visit("en", javascript=True)
    page.goto(f"{page.base_url}/site/{site.leuven.slug}/volunteer/")
    with mock.patch.object(ratelimit, "LIMIT_PER_MINUTE", 0):
        submit(page)
    assert page.locator("main h1").count() == 1
    check()
    assert VolunteerApplication.objects.filter(name="").count() == 0


def test_the_team_handles_the_inbox_and_the_texts(site, page, assert_accessible):
    from digibank.public.models import DonationOffer

    page.goto(page.base_url + "/accounts/login/")
    page.fill("input[name=username]", "coordinator")
    page.fill("input[name=password]", "correct horse battery")
    page.locator("form:has(input[name=username]) button[type=submit]").click()
    page.wait_for_url(page.base_url + "/")
    page.goto(page.base_url + "/site/inbox/")
    assert_accessible(page)
    page.locator(f'a[href="/site/inbox/volunteers/{site.volunteer_application.pk}/"]').click()
    assert_accessible(page)
    page.select_option("#id_status", "contacted")
    page.locator("main form[method=post] button[type=submit]").first.click()
    page.wait_for_load_state()
    assert VolunteerApplication.objects.get(pk=site.volunteer_application.pk).status == "contacted"
    page.goto(page.base_url + f"/site/inbox/donations/{site.donation_offer.pk}/")
    assert_accessible(page)
    page.locator("form[action$='/receive/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert DonationOffer.objects.get(pk=site.donation_offer.pk).status == "received"
    page.goto(page.base_url + "/site/manage/texts/")
    assert_accessible(page)
    page.locator('a[href*="key=welcome&language=fr"]').click()
    assert_accessible(page)
    page.fill("textarea[name=text]", "Bienvenue à Louvain.")
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_load_state()
    from digibank.public.models import PublicText

    assert (
        PublicText.objects.get(network=site.leuven, key="welcome", language="fr").text
        == "Bienvenue à Louvain."
    )
