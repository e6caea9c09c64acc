"""The ten-second help registration on a phone: at most three taps after opening the page,
and a referral from the same screen. Inputs are found by name (the labels may be translated)."""

import pytest

from digibank.digipunten.models import HelpContact, Outcome
from digibank.referrals.models import Request

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, username, password="correct horse battery"):
    page.goto(page.base_url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("form:has(input[name=username]) button[type=submit]").click()
    page.wait_for_url(page.base_url + "/")


class Taps:
    """Counts what the helper's thumb does."""

    def __init__(self, page):
        self.page = page
        self.count = 0

    def tap(self, selector: str) -> None:
        self.page.locator(selector).click()
        self.count += 1


def new_contacts(world):
    return HelpContact.objects.in_network(world.leuven).exclude(pk=world.contact.pk)


def test_a_help_contact_takes_two_taps_after_opening_the_page(phone_page, world, assert_accessible):
    page = phone_page
    log_in(page, "digipunt")
    page.goto(page.base_url + "/digipunten/help/")
    assert_accessible(page)
    thumb = Taps(page)
    thumb.tap(f'button[name="theme"][value="{world.theme.pk}"]')
    solved = page.locator('button[name="outcome"][value="solved"]')
    solved.wait_for()
    assert solved.is_visible()
    assert_accessible(page)
    thumb.tap('button[name="outcome"][value="solved"]')
    page.wait_for_load_state()
    page.locator(".message-success").wait_for()
    assert thumb.count <= 3
    contact = new_contacts(world).get()
    assert (contact.theme_id, contact.outcome, contact.minutes, contact.resident_id) == (
        world.theme.pk,
        Outcome.SOLVED,
        10,
        None,
    )
    # Back at the theme buttons, ready for the next person.
    assert page.locator(f'button[name="theme"][value="{world.theme.pk}"]').is_visible()
    assert_accessible(page)


def test_a_referral_is_registered_from_the_same_screen(phone_page, world, assert_accessible):
    page = phone_page
    log_in(page, "digipunt")
    page.goto(page.base_url + "/digipunten/help/")
    page.locator(f'button[name="theme"][value="{world.theme.pk}"]').click()
    page.locator('button[name="outcome"][value="referred"]').click()
    page.locator('input[name="ref-needs"][value="device"]').wait_for()
    assert_accessible(page)
    page.check('input[name="ref-needs"][value="device"]')
    page.fill("#help-resident-q", "Bosmans")
    resident = page.locator(f'input[name="resident"][value="{world.resident_desk.pk}"]')
    resident.wait_for()
    resident.check()
    requests_before = Request.objects.count()
    page.locator('button[name="outcome"][value="referred"]').click()
    page.locator(".message-success").wait_for()
    contact = new_contacts(world).get()
    assert contact.outcome == Outcome.REFERRED and contact.resident_id == world.resident_desk.pk
    assert Request.objects.count() == requests_before + 1
    assert contact.request.resident_id == world.resident_desk.pk
    assert contact.request.reference in page.locator(".message-success").inner_text()
