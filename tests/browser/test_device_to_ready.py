"""Issue 10: a donated laptop from its batch page to "ready" without status bookkeeping.

The desk registers the laptop on the batch page, opens it, uploads the nwipe log of the wipe
done yesterday (before it was registered, after the batch came in: it counts) and ticks the
quality check in the device page's "next step" box. The lifecycle does the rest.

Interactions counted: clicks, form submits and file uploads; filling or ticking the fields of a
form is part of submitting it. The count is printed and the test fails above 6.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from digibank.devices.lifecycle import DeviceStatus
from digibank.devices.models import Device, DeviceEvent, DonationBatch, WipeRecord

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

MAX_INTERACTIONS = 6
SERIAL = "5CG0471QZT"
DISK = "S4EVNM0T301772K"


def nwipe_log(done: datetime.datetime) -> bytes:
    """What nwipe 0.37 wrote on the workshop's wipe station: one SSD, DoD Short, erased."""
    start = timezone.localtime(done - datetime.timedelta(minutes=24, seconds=13))
    end = timezone.localtime(done)

    def ts(moment):
        return moment.strftime("[%Y/%m/%d %H:%M:%S]")

    return f"""{ts(start)}  notice: Opened entropy source '/dev/urandom'.
{ts(start)}    info: system-manufacturer = HP
{ts(start)}    info: system-product-name = HP EliteBook 840 G7
{ts(start)}    info: system-serial-number = {SERIAL}
{ts(start)}  notice: nwipe 0.37
{ts(start)}  notice: Found /dev/nvme0n1, NVME-SSD, SAMSUNG MZVLB256HBHQ-000H1, 256 GB, S/N={DISK}
{ts(start)}  notice: Invoking method 'DoD Short' on /dev/nvme0n1
{ts(start)}  notice: Starting pass 1/3, round 1/1, on /dev/nvme0n1
{ts(end)}  notice: Blanked device /dev/nvme0n1
{ts(end)}  notice: Verified that /dev/nvme0n1 is empty.
{ts(end)}    info: Nwipe successfully completed. See summary table for details.

********************************* Drive Status *********************************
!   Device | Status | Thru-put | HH:MM:SS | Model/Serial Number
--------------------------------------------------------------------------------
   nvme0n1 | Erased |  541MB/s | 00:24:13 | SAMSUNG MZVLB256H/{DISK}
--------------------------------------------------------------------------------
{ts(end)} Total Throughput 541MB/s, DoD Short, 1R+B+VL
********************************************************************************
""".encode()


class Interactions:
    def __init__(self):
        self.count = 0
        self.steps: list[str] = []

    def did(self, what: str) -> None:
        self.count += 1
        self.steps.append(what)


def test_a_donated_laptop_gets_to_ready_in_at_most_six_interactions(page, world, assert_accessible, tmp_path):
    today = timezone.localdate()
    batch = DonationBatch.objects.create(
        network=world.leuven,
        reference="D-READY-1",
        donor=world.donor,
        received_on=today - datetime.timedelta(days=2),
        expected_count=1,
    )
    log_file = tmp_path / "nwipe.log"
    log_file.write_bytes(nwipe_log(timezone.now() - datetime.timedelta(days=1)))

    login(page, "desk")
    page.wait_for_url(page.base_url + "/")
    page.goto(page.base_url + reverse("donations:batch_detail", kwargs={"pk": batch.pk}))
    n = Interactions()

    # 1. Register the laptop on the batch page (the fields are part of the form).
    page.select_option("select[name=kind]", "laptop")
    page.fill("input[name=brand]", "HP")
    page.fill("input[name=model]", "EliteBook 840 G7")
    page.fill("input[name=serial]", SERIAL)
    page.locator("form[action$='/devices/add/'] button[type=submit]").click()
    n.did("register")
    page.locator("#batch-devices td", has_text=SERIAL).wait_for()
    device = Device.objects.get(network=world.leuven, serial=SERIAL)
    assert device.status == DeviceStatus.RECEIVED

    # 2. Open it.
    page.locator(f"#batch-devices a[href='{reverse('devices:detail', kwargs={'pk': device.pk})}']").click()
    n.did("open the device")
    page.wait_for_url(f"**/devices/{device.pk}/")
    box = page.locator("#next-step")
    assert box.locator("input[name=log_file]").count() == 1
    assert_accessible(page)

    # 3-4. The next step is the wipe: upload the log and import it.
    box.locator("input[name=log_file]").set_input_files(str(log_file))
    n.did("choose the nwipe log")
    with page.expect_navigation():
        box.locator("button[type=submit]").click()
    n.did("import it")
    assert page.url.endswith(f"/devices/{device.pk}/"), page.locator("main").inner_text()
    device.refresh_from_db()
    assert device.status == DeviceStatus.QUALITY_CHECK
    wipe = WipeRecord.objects.get(device=device)
    assert (wipe.disk_serial, wipe.passes, wipe.succeeded) == (DISK, 3, True)

    # 5. The next step is the quality check, right there: tick what works and record it.
    boxes = box.locator("input[type=checkbox][name^=item_]")
    assert boxes.count() > 0
    for i in range(boxes.count()):
        boxes.nth(i).check()
    with page.expect_navigation():
        box.locator("button[type=submit]").click()
    n.did("record the check")

    device.refresh_from_db()
    assert device.status == DeviceStatus.READY, page.locator("main").inner_text()
    automatic = DeviceEvent.objects.filter(device=device, from_status__gt="").values_list(
        "to_status", "actor"
    )
    assert list(automatic) == [
        (DeviceStatus.WIPING, world.desk.pk),
        (DeviceStatus.QUALITY_CHECK, world.desk.pk),
        (DeviceStatus.READY, world.desk.pk),
    ]
    assert page.locator("#next-step form").count() == 0  # ready: nothing left to record here
    assert_accessible(page)

    print(f"\ndonated laptop -> ready: {n.count} interactions ({', '.join(n.steps)})")
    assert n.count <= MAX_INTERACTIONS, n.steps
