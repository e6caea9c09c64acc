"""Issue 3: a new service-desk worker registers a donation batch, wipes, repairs, checks and lends
one laptop to a resident from the waiting list, then takes it back.

Everything happens through the pages; the test only prepares what the desk cannot do itself
(an eligible resident). Inputs are selected by name, checks are on the database.
"""

import pytest
from django.urls import reverse

from digibank.devices.lifecycle import DeviceStatus
from digibank.devices.models import Device, DonationBatch, QualityCheck, RepairStatus, RepairTask, WipeRecord
from digibank.lending.models import Loan, LoanStatus, Offer, OfferStatus, WaitingListEntry, WaitingStatus
from digibank.lending.services import lending_settings_for

from .. import factories as f
from ..lending.helpers import make_eligible
from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

SERIAL = "JOURNEY-5CG1234XYZ"


def go(page, name, **kwargs):
    page.goto(page.base_url + reverse(name, kwargs=kwargs or None))


def submit(page, form="main form[method=post]"):
    page.locator(f"{form} button[type=submit]").first.click()


def change_status(page, device, to_status):
    """Tick the new status on the device page and submit; returns after the page has reloaded."""
    go(page, "devices:detail", pk=device.pk)
    page.check(f"input[name=to_status][value={to_status}]")
    with page.expect_navigation():
        submit(page, "form[action$='/status/']")
    device.refresh_from_db()


def switch_user(page, username):
    page.context.clear_cookies()
    login(page, username)
    page.wait_for_url(page.base_url + "/")


def test_a_donated_laptop_goes_from_batch_to_borrower_and_back(page, world, assert_accessible):
    settings = lending_settings_for(world.leuven)
    resident = f.ResidentFactory(network=world.leuven, first_name="Yasmina", last_name="Journeyman")
    proof = make_eligible(resident)
    assert proof.kind in settings.eligible_statuses

    login(page, "desk")
    page.wait_for_url(page.base_url + "/")

    # 1. A donation batch of an existing donor, and one laptop registered on its page.
    go(page, "donations:batch_create")
    page.select_option("select[name=donor]", str(world.donor.pk))
    page.select_option("select[name=collection_point]", str(world.collection_point.pk))
    page.fill("input[name=expected_count]", "1")
    submit(page)
    page.wait_for_url("**/donations/batches/*/")
    batch = DonationBatch.objects.exclude(pk=world.batch.pk).get(donor=world.donor)
    assert page.url.endswith(reverse("donations:batch_detail", kwargs={"pk": batch.pk}))

    page.select_option("select[name=kind]", "laptop")
    page.fill("input[name=brand]", "HP")
    page.fill("input[name=model]", "EliteBook 840 G5")
    page.fill("input[name=serial]", SERIAL)
    submit(page, "form[action$='/devices/add/']")
    page.locator("#batch-devices td", has_text=SERIAL).wait_for()
    device = Device.objects.get(network=world.leuven, serial=SERIAL)
    assert device.batch_id == batch.pk and device.status == DeviceStatus.RECEIVED
    assert_accessible(page)

    # 2. Wipe, repair, check, ready.
    page.locator(f"#batch-devices a[href='{reverse('devices:detail', kwargs={'pk': device.pk})}']").click()
    page.wait_for_url(f"**/devices/{device.pk}/")
    assert_accessible(page)

    go(page, "devices:wipe_add", pk=device.pk)
    page.check("input[name=method][value=purge]")
    page.fill("input[name=tool]", "nwipe 0.36")
    page.check("input[name=succeeded][value='1']")
    with page.expect_navigation():
        submit(page)
    assert page.url.endswith(f"/devices/{device.pk}/")
    assert WipeRecord.objects.get(device=device).succeeded

    change_status(page, device, DeviceStatus.IN_REPAIR)
    assert device.status == DeviceStatus.IN_REPAIR

    go(page, "devices:repair_add", pk=device.pk)
    page.fill("input[name=title]", "Replace the battery")
    page.select_option("select[name=assigned_to]", str(world.volunteer.pk))
    with page.expect_navigation():
        submit(page)
    task = RepairTask.objects.get(device=device)
    assert task.assigned_to == world.volunteer and task.status == RepairStatus.OPEN

    # The PC doctor does the work on their own account, then the desk carries on.
    switch_user(page, "volunteer")
    go(page, "devices:task_detail", pk=task.pk)
    page.fill("textarea[name=diagnosis]", "Battery swollen, replaced.")
    page.fill("input[name=parts_used]", "Battery HP HT03XL")
    page.fill("input[name=minutes_spent]", "40")
    with page.expect_navigation():
        page.locator("button[name=done]").click()
    task.refresh_from_db()
    assert task.status == RepairStatus.DONE and task.minutes_spent == 40
    switch_user(page, "desk")

    change_status(page, device, DeviceStatus.QUALITY_CHECK)
    assert device.status == DeviceStatus.QUALITY_CHECK

    go(page, "devices:check_add", pk=device.pk)
    boxes = page.locator("main form input[type=checkbox][name^=item_]")
    assert boxes.count() > 0
    for i in range(boxes.count()):
        boxes.nth(i).check()
    with page.expect_navigation():
        submit(page)
    assert QualityCheck.objects.get(device=device).passed

    # The passed check after the wipe made it ready by itself (lifecycle.AUTOMATIC).
    go(page, "devices:detail", pk=device.pk)
    device.refresh_from_db()
    assert device.status == DeviceStatus.READY, page.locator("main").inner_text()
    # The device page offers the moves a ready device may make, not lending-only ones.
    assert page.locator("input[name=to_status][value=in_repair]").count() == 1
    assert page.locator("input[name=to_status][value=on_loan]").count() == 0
    assert_accessible(page)

    # 3. The eligible resident on the waiting list, the laptop offered and handed over.
    go(page, "lending:waiting_add", pk=resident.pk)
    assert page.locator("input[name=override_reason]").count() == 0  # eligible: no exception needed
    page.select_option("select[name=category]", str(world.category.pk))
    page.select_option("select[name=device_kind]", "laptop")
    submit(page)
    page.wait_for_url("**" + reverse("lending:waiting"))
    entry = WaitingListEntry.objects.get(resident=resident)
    assert entry.status == WaitingStatus.WAITING
    assert page.locator(f"a[href='{reverse('lending:handover', kwargs={'pk': resident.pk})}']").count() == 1
    assert_accessible(page)

    go(page, "lending:offers")
    page.fill("input[name=asset_tag]", device.asset_tag.lower())
    with page.expect_navigation():
        submit(page, "form[action$='/offers/make/']")
    offer = Offer.objects.get(device=device)
    assert offer.entry == entry and offer.status == OfferStatus.OPEN
    device.refresh_from_db()
    assert device.status == DeviceStatus.RESERVED
    assert_accessible(page)

    page.locator(f"a[href='{reverse('lending:handover', kwargs={'pk': resident.pk})}']").click()
    page.wait_for_url(f"**/lending/residents/{resident.pk}/handover/")
    assert page.input_value("input[name=asset_tag]") == device.asset_tag  # the offered device
    submit(page)
    page.wait_for_url("**/lending/loans/*/")
    loan = Loan.objects.get(device=device)
    assert loan.resident == resident and loan.status == LoanStatus.ACTIVE
    device.refresh_from_db()
    assert device.status == DeviceStatus.ON_LOAN
    offer.refresh_from_db()
    entry.refresh_from_db()
    assert offer.status != OfferStatus.OPEN and entry.status != WaitingStatus.WAITING
    assert page.url.endswith(reverse("lending:loan", kwargs={"pk": loan.pk}))
    assert_accessible(page)

    # 4. The laptop comes back: returned, and it needs a new wipe before it can be ready again.
    page.locator(f"a[href='{reverse('lending:loan_return', kwargs={'pk': loan.pk})}']").click()
    page.wait_for_url(f"**/lending/loans/{loan.pk}/return/")
    assert_accessible(page)
    submit(page)
    page.wait_for_url(f"**/lending/loans/{loan.pk}/")
    loan.refresh_from_db()
    device.refresh_from_db()
    assert loan.status == LoanStatus.RETURNED and loan.returned_on is not None
    assert device.status == DeviceStatus.RETURNED
    assert_accessible(page)

    go(page, "devices:detail", pk=device.pk)
    allowed = set(page.locator("input[name=to_status]").evaluate_all("els => els.map(e => e.value)"))
    assert DeviceStatus.READY not in allowed and DeviceStatus.WIPING in allowed

    # Through the workshop again, but without a new wipe: "ready" is refused and nothing changes.
    change_status(page, device, DeviceStatus.WIPING)
    change_status(page, device, DeviceStatus.QUALITY_CHECK)
    assert device.status == DeviceStatus.QUALITY_CHECK
    change_status(page, device, DeviceStatus.READY)
    assert device.status == DeviceStatus.QUALITY_CHECK
    page.locator("#id_to_status_error").wait_for()
    assert page.locator("main [role=alert]").count() >= 1
    assert WipeRecord.objects.filter(device=device).count() == 1
    assert_accessible(page)
