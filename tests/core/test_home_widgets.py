"""The home page shows what waits for each person, from every capability (plugins.home)."""

from django.urls import reverse

from digibank.referrals.models import Request, RequestStatus
from digibank.referrals.services import request_create

HOME = reverse("core:home")


def test_a_volunteer_sees_the_repair_tasks_assigned_to_them(world, client_for):
    text = client_for(world.volunteer).get(HOME).text
    assert world.repair_task.title in text
    assert reverse("devices:task_detail", args=[world.repair_task.pk]) in text
    assert "You have no assignments yet" not in text


def test_a_volunteer_sees_their_next_shift(world, client_for):
    text = client_for(world.volunteer).get(HOME).text
    assert "Your next shifts" in text and world.dp.name in text


def test_a_volunteer_without_tasks_or_shifts_reads_that_nothing_waits(world, client_for):
    world.repair_task.delete()
    world.shift.delete()
    text = client_for(world.volunteer).get(HOME).text
    assert "You have no assignments yet" in text


def test_the_desk_sees_how_many_requests_wait_for_triage(world, client_for):
    request_create(
        network=world.leuven,
        resident=world.resident_desk,
        needs=["device"],
        description="",
        channel="phone",
        actor=world.desk,
    )
    new = Request.objects.in_network(world.leuven).filter(status=RequestStatus.NEW)
    text = client_for(world.desk).get(HOME).text
    assert reverse("referrals:triage") in text
    assert f"{new.count()} request" in text
    for item in new[:5]:
        assert item.reference in text


def test_a_partner_gets_no_triage_widget(world, client_for):
    assert reverse("referrals:triage") not in client_for(world.partner_a).get(HOME).text


def test_digipunt_staff_find_help_registration_first_on_their_home(world, client_for):
    text = client_for(world.digipunt).get(HOME).text
    help_url = reverse("digipunten:help")
    assert help_url in text
    assert text.index(help_url) < text.index(reverse("residents:list"), text.index("<main"))
