"""Recording a data wipe by hand and the quality checklist."""

from django.urls import reverse
from django.utils import timezone

from digibank.devices.models import QualityCheck, WipeRecord


def test_the_desk_records_a_wipe_as_its_operator(world, client_for):
    response = client_for(world.desk).post(
        reverse("devices:wipe_add", kwargs={"pk": world.laptop.pk}),
        {
            "method": "purge",
            "tool": "Lenovo ThinkPad Drive Erase Utility",
            "performed_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "succeeded": "1",
            "verification": "read back: all zeros",
            "disk_serial": "S4ELNX0M998877",
        },
    )
    assert response.status_code == 302
    wipe = WipeRecord.objects.get(device=world.laptop)
    assert (wipe.method, wipe.succeeded, wipe.operator, wipe.source) == ("purge", True, world.desk, "manual")
    assert wipe.operator_name == world.desk.get_full_name() or wipe.operator_name == "desk"


def test_a_wipe_in_the_future_or_without_result_is_refused(world, client_for):
    url = reverse("devices:wipe_add", kwargs={"pk": world.laptop.pk})
    client = client_for(world.desk)
    future = (timezone.localtime() + timezone.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        url, {"method": "clear", "tool": "nwipe", "performed_at": future, "succeeded": "1"}
    )
    assert "in the future" in response.content.decode()
    response = client.post(url, {"method": "clear", "tool": "nwipe", "performed_at": future})
    assert response.status_code == 200
    assert not WipeRecord.objects.filter(device=world.laptop).exists()


def test_the_checklist_passes_only_when_every_item_for_the_kind_is_ticked(world, client_for):
    url = reverse("devices:check_add", kwargs={"pk": world.laptop.pk})
    client = client_for(world.desk)
    page = client.get(url).content.decode()
    assert "Battery holds a charge" in page and "Webcam and microphone work" in page
    items = [
        "boots",
        "screen",
        "keyboard",
        "pointing",
        "battery",
        "wifi",
        "webcam_mic",
        "charger",
        "os_updated",
    ]
    client.post(url, {f"item_{key}": "on" for key in items})
    failed = QualityCheck.objects.get(device=world.laptop)
    assert failed.passed is False and failed.items["accounts_removed"] is False
    client.post(url, {**{f"item_{key}": "on" for key in items}, "item_accounts_removed": "on"})
    assert QualityCheck.objects.filter(device=world.laptop, passed=True).count() == 1


def test_a_screen_is_not_asked_about_its_keyboard(world, client_for):
    world.laptop.kind = "screen"
    world.laptop.save(update_fields=["kind"])
    client = client_for(world.desk)
    page = client.get(reverse("devices:check_add", kwargs={"pk": world.laptop.pk})).content.decode()
    assert "Keyboard" not in page
    client.post(
        reverse("devices:check_add", kwargs={"pk": world.laptop.pk}),
        {"item_boots": "on", "item_screen": "on", "item_charger": "on"},
    )
    assert QualityCheck.objects.get(device=world.laptop).passed is True


def test_an_empty_checklist_records_a_failed_check(world, client_for):
    client_for(world.desk).post(reverse("devices:check_add", kwargs={"pk": world.laptop.pk}), {})
    assert QualityCheck.objects.get(device=world.laptop).passed is False


def test_digipunt_staff_cannot_record_wipes_or_checks(world, client_for):
    client = client_for(world.digipunt)
    assert client.post(reverse("devices:check_add", kwargs={"pk": world.laptop.pk}), {}).status_code == 403
    assert client.get(reverse("devices:wipe_add", kwargs={"pk": world.laptop.pk})).status_code == 403
