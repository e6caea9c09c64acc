"""A service-desk worker registers a resident, gets one field wrong, fixes it and finds them again."""

import pytest

from digibank.residents.models import Resident

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_service_desk_registers_a_resident_fixes_an_error_and_finds_them(page, world, assert_accessible):
    login(page, "desk")
    page.wait_for_url(page.base_url + "/")
    assert_accessible(page)

    page.goto(page.base_url + "/residents/new/")
    assert_accessible(page)
    page.fill("input[name=first_name]", "Fatima")
    page.fill("input[name=last_name]", "Vandersteen")
    page.fill("input[name=birth_year]", "1850")  # wrong: not a plausible year of birth
    page.fill("input[name=postcode]", "3010")
    page.select_option("select[name=preferred_channel]", "phone")
    page.fill("input[name=phone]", "0470 12 34 56")
    page.select_option("select[name=legal_basis]", "public_task")
    page.locator("main form button[type=submit]").first.click()

    error = page.locator("#id_birth_year_error")
    error.wait_for()
    assert page.locator("input[name=birth_year]").get_attribute("aria-invalid") == "true"
    assert "id_birth_year_error" in (
        page.locator("input[name=birth_year]").get_attribute("aria-describedby") or ""
    )
    assert not Resident.objects.filter(last_name="Vandersteen").exists()
    assert_accessible(page)

    page.fill("input[name=birth_year]", "1958")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/residents/*/")
    resident = Resident.objects.get(last_name="Vandersteen")
    assert resident.birth_year == 1958 and resident.network == world.leuven
    assert_accessible(page)

    page.fill("#global-search", "vandersteen")
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_url("**/search/**")
    link = page.locator(f"a[href='/residents/{resident.pk}/']")
    assert link.count() == 1
    assert_accessible(page)
    link.click()
    page.wait_for_url(f"**/residents/{resident.pk}/")
    assert "Fatima Vandersteen" in page.locator("h1").inner_text()
