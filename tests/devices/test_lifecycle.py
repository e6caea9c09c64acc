"""Status changes on the device page: only allowed moves are offered; refused ones change nothing."""

import re

import pytest
from django.urls import reverse

from digibank.devices import services
from digibank.devices.lifecycle import LENDING_ONLY, TRANSITIONS
from digibank.devices.lifecycle import DeviceStatus as S
from digibank.devices.models import Device, DeviceEvent

from .helpers import check, make_ready, move, register, wipe


def offered_statuses(response) -> set[str]:
    return set(re.findall(r'name="to_status" value="(\w+)"', response.content.decode()))


@pytest.mark.parametrize("status", [s for s in S if s not in LENDING_ONLY])
def test_the_form_offers_exactly_the_allowed_next_statuses(world, client_for, status):
    Device.objects.filter(pk=world.laptop.pk).update(status=status)
    response = client_for(world.desk).get(reverse("devices:detail", kwargs={"pk": world.laptop.pk}))
    assert offered_statuses(response) == {s.value for s in TRANSITIONS[status] - LENDING_ONLY}


@pytest.mark.parametrize("status", sorted(LENDING_ONLY))
def test_reserved_and_lent_devices_change_status_from_lending_only(world, client_for, status):
    Device.objects.filter(pk=world.laptop.pk).update(status=status)
    response = client_for(world.desk).get(reverse("devices:detail", kwargs={"pk": world.laptop.pk}))
    assert offered_statuses(response) == set()
    with pytest.raises(services.TransitionError):
        services.device_change_status(device=world.laptop, to_status=S.RETURNED, actor=world.desk)


def test_a_move_records_who_when_and_why(world, client_for):
    response = client_for(world.desk).post(
        reverse("devices:status", kwargs={"pk": world.laptop.pk}),
        {"to_status": "wiping", "reason": "nwipe station 2"},
    )
    assert response.status_code == 302
    world.laptop.refresh_from_db()
    event = DeviceEvent.objects.filter(device=world.laptop).last()
    assert world.laptop.status == S.WIPING
    assert (event.from_status, event.to_status, event.actor, event.reason) == (
        S.RECEIVED,
        S.WIPING,
        world.desk,
        "nwipe station 2",
    )


def test_a_forbidden_move_shows_a_clear_error_and_changes_nothing(world, client_for):
    events = DeviceEvent.objects.filter(device=world.laptop).count()
    response = client_for(world.desk).post(
        reverse("devices:status", kwargs={"pk": world.laptop.pk}), {"to_status": "ready", "reason": "hurry"}
    )
    assert response.status_code == 200
    assert "A device that is “Received” cannot become “Ready”." in response.content.decode()
    world.laptop.refresh_from_db()
    assert world.laptop.status == S.RECEIVED
    assert DeviceEvent.objects.filter(device=world.laptop).count() == events


def test_lending_statuses_cannot_be_set_from_the_device_page(world, client_for):
    make_ready(world.laptop, world.desk)
    response = client_for(world.desk).post(
        reverse("devices:status", kwargs={"pk": world.laptop.pk}), {"to_status": "on_loan"}
    )
    assert "through the lending pages" in response.content.decode()
    world.laptop.refresh_from_db()
    assert world.laptop.status == S.READY


def test_an_unknown_status_is_refused(world, client_for):
    response = client_for(world.desk).post(
        reverse("devices:status", kwargs={"pk": world.laptop.pk}), {"to_status": "teleported"}
    )
    assert response.status_code == 200
    world.laptop.refresh_from_db()
    assert world.laptop.status == S.RECEIVED


def test_ready_needs_a_successful_wipe_and_a_passed_check_after_it(world, client_for):
    device = world.laptop
    move(device, world.desk, S.WIPING)
    wipe(device, world.desk, succeeded=False)
    move(device, world.desk, S.QUALITY_CHECK)
    check(device, world.desk)
    page = client_for(world.desk).get(reverse("devices:detail", kwargs={"pk": device.pk})).content.decode()
    assert "No successful data wipe is recorded since the device came in." in page
    with pytest.raises(services.TransitionError):
        move(device, world.desk, S.READY)
    wipe(device, world.desk)
    with pytest.raises(services.TransitionError, match="No passed quality check"):
        move(device, world.desk, S.READY)
    check(device, world.desk, passed=False)
    with pytest.raises(services.TransitionError):
        move(device, world.desk, S.READY)
    check(device, world.desk)  # the facts are complete: ready by itself
    device.refresh_from_db()
    assert device.status == S.READY


def test_a_returned_device_cannot_become_ready_before_a_new_successful_wipe(world):
    device = register(world)
    make_ready(device, world.desk)
    move(device, world.desk, S.ON_LOAN, S.RETURNED, S.WIPING, S.QUALITY_CHECK)
    check(device, world.desk)  # a passed check, but the only wipe dates from before the loan
    with pytest.raises(services.TransitionError, match="No successful data wipe"):
        move(device, world.desk, S.READY)
    wipe(device, world.desk)
    device.refresh_from_db()
    assert device.status == S.QUALITY_CHECK  # the check dates from before this wipe
    check(device, world.desk)
    device.refresh_from_db()
    assert device.status == S.READY


def test_recycling_needs_the_recycler_and_its_certificate(world, client_for):
    url = reverse("devices:status", kwargs={"pk": world.laptop.pk})
    client = client_for(world.desk)
    response = client.post(url, {"to_status": "recycled", "recycler": "Recupel"})
    assert response.status_code == 200
    assert "Enter the number of the recycler" in response.content.decode()
    world.laptop.refresh_from_db()
    assert world.laptop.status == S.RECEIVED

    client.post(url, {"to_status": "recycled", "recycler": "Recupel", "recycler_certificate": "RC-2026-0042"})
    world.laptop.refresh_from_db()
    assert (world.laptop.status, world.laptop.recycler, world.laptop.recycler_certificate) == (
        S.RECYCLED,
        "Recupel",
        "RC-2026-0042",
    )


def test_a_device_used_for_parts_needs_no_certificate(world, client_for):
    client_for(world.desk).post(
        reverse("devices:status", kwargs={"pk": world.laptop.pk}), {"to_status": "parts"}
    )
    world.laptop.refresh_from_db()
    assert world.laptop.status == S.PARTS


def test_the_device_page_shows_the_whole_history(world, client_for):
    make_ready(world.laptop, world.desk)
    body = (
        client_for(world.digipunt)
        .get(reverse("devices:detail", kwargs={"pk": world.laptop.pk}))
        .content.decode()
    )
    for text in [
        "Registered (Received)",
        "Received → Data wipe",
        "Automatic: a successful data wipe was recorded.",
        "Data wipe (NIST SP 800-88 Clear)",
        "Quality check",
        "Quality check → Ready",
        "Repair: Replace the keyboard",
    ]:
        assert text in body, text
    assert 'name="to_status"' not in body  # digipunt staff may look, not change


def test_the_device_page_runs_a_fixed_number_of_queries(world, client_for, django_assert_max_num_queries):
    client = client_for(world.desk)
    url = reverse("devices:detail", kwargs={"pk": world.laptop.pk})
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for _round in range(3):
        make_ready(world.laptop, world.desk)
        move(world.laptop, world.desk, S.IN_REPAIR)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_digipunt_staff_cannot_change_a_status(world, client_for):
    response = client_for(world.digipunt).post(
        reverse("devices:status", kwargs={"pk": world.laptop.pk}), {"to_status": "wiping"}
    )
    assert response.status_code == 403
    world.laptop.refresh_from_db()
    assert world.laptop.status == S.RECEIVED


def test_a_device_of_another_network_cannot_change_status(world, client_for):
    response = client_for(world.desk).post(
        reverse("devices:status", kwargs={"pk": world.other_device.pk}), {"to_status": "wiping"}
    )
    assert response.status_code == 404
    world.other_device.refresh_from_db()
    assert world.other_device.status == S.RECEIVED
