"""The lifecycle moves forward by itself when the facts are recorded, and the device page names
the one next step."""

import pytest
from django.urls import reverse
from django.utils import timezone

from digibank.devices import services
from digibank.devices.lifecycle import AUTOMATIC, TRANSITIONS, automatic_path
from digibank.devices.lifecycle import DeviceStatus as S
from digibank.devices.models import DeviceEvent, RepairStatus

from .helpers import check, move, register, wipe


def steps(device):
    return list(
        DeviceEvent.objects.filter(device=device, from_status__gt="")
        .order_by("at", "pk")
        .values_list("from_status", "to_status", "actor", "reason")
    )


def test_every_automatic_step_is_an_allowed_transition():
    for frm, (to, _facts) in AUTOMATIC.items():
        assert to in TRANSITIONS[frm]


@pytest.mark.parametrize(
    ("status", "facts", "path"),
    [
        (S.RECEIVED, set(), []),
        (S.RECEIVED, {"wiped"}, [S.WIPING, S.QUALITY_CHECK]),
        (S.RECEIVED, {"wiped", "checked"}, [S.WIPING, S.QUALITY_CHECK, S.READY]),
        (S.RETURNED, {"wiped"}, [S.WIPING, S.QUALITY_CHECK]),
        (S.QUALITY_CHECK, {"wiped"}, []),
        (S.IN_REPAIR, {"wiped", "checked"}, []),  # a repair task is still open
        (S.IN_REPAIR, {"wiped", "checked", "no_open_repair"}, [S.QUALITY_CHECK, S.READY]),
        (S.READY, {"wiped", "checked", "no_open_repair"}, []),
        (S.ON_LOAN, {"wiped", "checked", "no_open_repair"}, []),
    ],
)
def test_the_automatic_path_follows_the_facts(status, facts, path):
    assert automatic_path(status, facts) == path


def test_a_recorded_wipe_and_a_passed_check_make_a_device_ready_with_who_recorded_them(world, client_for):
    device = register(world, brand="HP", model="EliteBook 840 G5")
    client = client_for(world.desk)
    response = client.post(
        reverse("devices:wipe_add", kwargs={"pk": device.pk}),
        {
            "method": "clear",
            "tool": "nwipe 0.37",
            "performed_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M:%S"),
            "succeeded": "1",
            "verification": "",
            "disk_serial": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    device.refresh_from_db()
    assert device.status == S.QUALITY_CHECK
    wiped = "Automatic: a successful data wipe was recorded."
    assert steps(device) == [
        (S.RECEIVED, S.WIPING, world.desk.pk, wiped),
        (S.WIPING, S.QUALITY_CHECK, world.desk.pk, wiped),
    ]
    check(device, world.coordinator)
    device.refresh_from_db()
    assert device.status == S.READY
    assert steps(device)[-1] == (
        S.QUALITY_CHECK,
        S.READY,
        world.coordinator.pk,
        "Automatic: the quality check passed.",
    )


def test_a_failed_wipe_or_a_failed_check_moves_nothing(world):
    device = register(world)
    wipe(device, world.desk, succeeded=False)
    device.refresh_from_db()
    assert device.status == S.RECEIVED
    wipe(device, world.desk)
    check(device, world.desk, passed=False)
    device.refresh_from_db()
    assert device.status == S.QUALITY_CHECK
    assert services.readiness_problems(device) == [
        "No passed quality check is recorded after the last data wipe."
    ]


def test_a_device_in_repair_waits_for_its_open_task(world):
    device = world.laptop  # its keyboard repair task is open
    move(device, world.desk, S.IN_REPAIR)
    wipe(device, world.desk)
    check(device, world.desk)
    device.refresh_from_db()
    assert device.status == S.IN_REPAIR
    services.repair_task_work(
        task=world.repair_task,
        actor=world.volunteer,
        diagnosis="New keyboard",
        parts_used="",
        minutes_spent=20,
        done=True,
    )
    assert world.repair_task.status == RepairStatus.DONE
    check(device, world.desk)
    device.refresh_from_db()
    assert device.status == S.READY


def test_a_returned_device_moves_on_only_with_a_wipe_after_its_return(world):
    device = register(world)
    wipe(device, world.desk)
    check(device, world.desk)
    move(device, world.desk, S.ON_LOAN, S.RETURNED)
    check(device, world.desk)  # a check, but the wipe is from before the loan
    device.refresh_from_db()
    assert device.status == S.RETURNED
    wipe(device, world.desk)
    device.refresh_from_db()
    assert device.status == S.QUALITY_CHECK


def _page(client, device) -> str:
    return client.get(reverse("devices:detail", kwargs={"pk": device.pk})).content.decode()


def test_the_next_step_box_offers_the_one_action_for_the_devices_state(world, client_for):
    device = register(world)
    client = client_for(world.desk)
    page = _page(client, device)
    assert 'id="next-step"' in page
    assert reverse("devices:device_nwipe_import", kwargs={"pk": device.pk}) in page
    assert 'name="log_file"' in page

    wipe(device, world.desk)
    page = _page(client, device)
    assert "do the quality check" in page.lower()
    assert f'action="{reverse("devices:check_add", kwargs={"pk": device.pk})}"' in page
    assert 'name="log_file"' not in page

    check(device, world.desk)
    page = _page(client, device)
    assert "Ready to lend" in page
    assert f'action="{reverse("devices:check_add", kwargs={"pk": device.pk})}"' not in page


def test_those_who_may_only_look_see_the_next_step_but_no_form(world, client_for):
    device = register(world)
    page = _page(client_for(world.digipunt), device)
    assert 'id="next-step"' in page
    assert 'name="log_file"' not in page


def test_a_retired_device_has_no_next_step(world, client_for):
    device = register(world)
    move(device, world.desk, S.PARTS)
    assert 'id="next-step"' not in _page(client_for(world.desk), device)
