"""Acceptance of issue 4: a partner refers a resident for a laptop, the desk triages and refers,
the receiving organisation moves the referral on, the referring partner follows it and is
notified, and a partner of another organisation sees none of it.

Elements are found by name/id, not by visible text: the interface is Dutch once translated.
"""

import re

import pytest
from django.core import mail
from django.utils import timezone

from digibank.lending.models import PriorityCategory
from digibank.referrals.models import Referral, Request
from digibank.residents.models import EligibilityProof

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct horse battery"


def log_in_as(page, username):
    """By field names, so it works whatever the language of the interface."""
    page.context.clear_cookies()
    page.goto(page.base_url + "/accounts/login/")
    page.locator('input[name="username"]').fill(username)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('main form button[type="submit"]').click()
    page.wait_for_url(page.base_url + "/")


def move_referral(page, referral, status, assert_accessible=None):
    page.goto(f"{page.base_url}/requests/referrals/{referral.pk}/")
    if assert_accessible:
        assert_accessible(page)
    page.locator(f'input[name="status-to_status"][value="{status}"]').check()
    page.locator("#status-submit").click()
    page.wait_for_load_state()
    assert page.locator("#referral-status").get_attribute("data-status") == status


def test_a_partner_referral_for_a_laptop_goes_round_the_closed_loop(page, world, assert_accessible):
    PriorityCategory.objects.get_or_create(network=world.leuven, name="General (test)", defaults={"rank": 50})
    EligibilityProof.objects.create(
        network=world.leuven,
        resident=world.resident_a,
        kind="increased_reimbursement",
        seen_on=timezone.localdate(),
        seen_by=world.desk,
    )
    mail.outbox.clear()

    # 1. Partner A refers Amira for a laptop.
    log_in_as(page, "partner_a")
    page.goto(page.base_url + "/requests/new/")
    assert_accessible(page)
    page.locator('main input[name="q"]').fill("Aerts")
    page.locator('main input[name="q"]').press("Enter")
    page.locator(f'a[href$="?resident={world.resident_a.pk}"]').click()
    page.wait_for_url(re.compile(r".*/requests/new/\?resident=\d+"))
    page.locator('input[name="needs"][value="device"]').check()
    page.locator('textarea[name="description"]').fill("Needs a laptop to apply for jobs")
    page.locator('input[name="consent_to_share"]').check()
    assert_accessible(page)
    page.locator("#submit-request").click()
    page.wait_for_url(re.compile(r".*/requests/\d+/$"))
    request = Request.objects.exclude(pk=world.request_a.pk).get(resident=world.resident_a)
    assert (request.referred_by, request.channel, request.status) == (world.org_a, "partner", "new")

    # 2. The service desk triages and refers to the laptop loan of organisation C.
    log_in_as(page, "desk")
    page.goto(page.base_url + "/requests/triage/")
    assert_accessible(page)
    page.locator(f'a[href="/requests/{request.pk}/"]').first.click()
    page.wait_for_url(re.compile(rf".*/requests/{request.pk}/$"))
    assert_accessible(page)
    page.locator(f"#refer-service-{world.service_laptop.pk}").check()
    page.locator("#refer-submit").click()
    page.wait_for_url(re.compile(rf".*/requests/{request.pk}/$"))
    referral = Referral.objects.get(request=request)
    assert (referral.service, referral.status) == (world.service_laptop, "sent")
    assert referral.delivery_handle  # the waiting-list entry the loan capability made

    # 3. Organisation C accepts and starts; partner A sees "in progress" in the outbox.
    log_in_as(page, "partner_c")
    page.goto(page.base_url + "/requests/inbox/")
    assert_accessible(page)
    move_referral(page, referral, "accepted", assert_accessible)
    move_referral(page, referral, "in_progress")
    log_in_as(page, "partner_a")
    page.goto(page.base_url + "/requests/outbox/")
    assert_accessible(page)
    badge = page.locator(f'#outbox a[href="/requests/referrals/{referral.pk}/"] ~ [data-referral-status]')
    assert badge.get_attribute("data-referral-status") == "in_progress"

    # 4. Organisation C marks it done; partner A sees "done" and was notified.
    log_in_as(page, "partner_c")
    move_referral(page, referral, "done")
    log_in_as(page, "partner_a")
    page.goto(page.base_url + "/requests/outbox/")
    assert badge.get_attribute("data-referral-status") == "done"
    page.goto(page.base_url + "/notifications/")
    assert_accessible(page)
    notifications = page.locator("#notifications li")
    assert notifications.filter(has_text=request.reference).count() >= 4  # sent, accepted, in progress, done
    assert any(world.partner_a.email in m.to and request.reference in m.subject for m in mail.outbox)
    page.goto(f"{page.base_url}/requests/referrals/{referral.pk}/")
    assert page.locator("#history li").count() == 4
    request.refresh_from_db()
    assert request.status == "closed"  # every referral done

    # 5. A partner worker of organisation B sees none of it.
    log_in_as(page, "partner_b")
    for path in [f"/requests/{request.pk}/", f"/requests/referrals/{referral.pk}/"]:
        response = page.goto(page.base_url + path)
        assert response.status == 404
    page.goto(page.base_url + "/requests/outbox/")
    assert "Amira" not in page.content()
