"""Repair tasks: the desk assigns them to volunteers, who see only their own, on a phone."""

from django.urls import reverse

from digibank.devices.models import Device, RepairStatus, RepairTask
from digibank.networks.models import Membership

from ..factories import MembershipFactory, UserFactory


def second_volunteer(world):
    user = UserFactory(username="pcdokter2", first_name="Pieter")
    MembershipFactory(network=world.leuven, user=user, role="volunteer")
    return user


def test_the_desk_creates_a_task_for_a_volunteer(world, client_for):
    response = client_for(world.desk).post(
        reverse("devices:repair_add", kwargs={"pk": world.laptop.pk}),
        {"title": "Replace the battery", "assigned_to": world.volunteer.pk},
    )
    assert response.status_code == 302
    task = RepairTask.objects.get(title="Replace the battery")
    assert (task.assigned_to, task.status, task.network) == (world.volunteer, RepairStatus.OPEN, world.leuven)


def test_only_volunteers_of_this_network_can_be_assigned(world, client_for):
    client = client_for(world.desk)
    url = reverse("devices:repair_add", kwargs={"pk": world.laptop.pk})
    page = client.get(url).content.decode()
    assert world.volunteer.first_name in page and "Outsider" not in page
    for user in (world.desk, world.outsider):
        response = client.post(url, {"title": "Clean the fan", "assigned_to": user.pk})
        assert response.status_code == 200
    Membership.objects.filter(user=world.volunteer).update(is_active=False)
    assert client.post(url, {"title": "Clean the fan", "assigned_to": world.volunteer.pk}).status_code == 200
    assert not RepairTask.objects.filter(title="Clean the fan").exists()


def test_a_volunteer_sees_only_their_own_tasks_and_those_devices(world, client_for):
    other_volunteer = second_volunteer(world)
    other_device = Device.objects.create(
        network=world.leuven, asset_tag="LEU-000090", kind="desktop", model="OptiPlex"
    )
    theirs = RepairTask.objects.create(
        network=world.leuven, device=other_device, title="Swap the PSU", assigned_to=other_volunteer
    )
    client = client_for(world.volunteer)
    page = client.get(reverse("devices:my_tasks")).content.decode()
    assert "Replace the keyboard" in page and "Swap the PSU" not in page
    assert client.get(reverse("devices:task_detail", kwargs={"pk": world.repair_task.pk})).status_code == 200
    assert client.get(reverse("devices:task_detail", kwargs={"pk": theirs.pk})).status_code == 404
    assert list(Device.objects.visible_to(world.volunteer.memberships.get())) == [world.laptop]
    # The full device pages and lists are for device staff.
    assert client.get(reverse("devices:detail", kwargs={"pk": world.laptop.pk})).status_code == 403
    assert client.get(reverse("devices:list")).status_code == 403


def test_the_volunteer_records_diagnosis_parts_minutes_and_marks_it_done(world, client_for):
    client = client_for(world.volunteer)
    url = reverse("devices:task_detail", kwargs={"pk": world.repair_task.pk})
    data = {"diagnosis": "Two keys dead (liquid)", "parts_used": "Keyboard 01YP520", "minutes_spent": "25"}
    assert client.post(url, data).status_code == 302
    world.repair_task.refresh_from_db()
    assert (world.repair_task.status, world.repair_task.minutes_spent) == (RepairStatus.IN_PROGRESS, 25)
    response = client.post(url, {**data, "minutes_spent": "40", "done": "1"})
    assert response["Location"] == reverse("devices:my_tasks")
    world.repair_task.refresh_from_db()
    assert world.repair_task.status == RepairStatus.DONE and world.repair_task.done_at is not None
    assert world.repair_task.diagnosis == "Two keys dead (liquid)"


def test_bad_minutes_are_refused_and_change_nothing(world, client_for):
    url = reverse("devices:task_detail", kwargs={"pk": world.repair_task.pk})
    response = client_for(world.volunteer).post(url, {"diagnosis": "x", "minutes_spent": "-5"})
    assert response.status_code == 200
    world.repair_task.refresh_from_db()
    assert (world.repair_task.diagnosis, world.repair_task.minutes_spent) == ("", 0)


def test_the_task_page_is_made_for_a_phone(world, client_for):
    page = client_for(world.volunteer).get(
        reverse("devices:task_detail", kwargs={"pk": world.repair_task.pk})
    )
    body = page.content.decode()
    assert 'name="viewport"' in body and "ThinkPad T480" in body
    assert "Cancel this task" not in body  # managing is for the desk


def test_the_desk_reassigns_and_cancels(world, client_for):
    other_volunteer = second_volunteer(world)
    client = client_for(world.desk)
    url = reverse("devices:task_manage", kwargs={"pk": world.repair_task.pk})
    client.post(
        url, {"action": "assign", "title": "Replace the keyboard (BE)", "assigned_to": other_volunteer.pk}
    )
    world.repair_task.refresh_from_db()
    assert (world.repair_task.title, world.repair_task.assigned_to) == (
        "Replace the keyboard (BE)",
        other_volunteer,
    )
    assert (
        client_for(world.volunteer).get(reverse("devices:my_tasks")).content.decode().count("LEU-000001") == 0
    )
    client.post(url, {"action": "cancel"})
    world.repair_task.refresh_from_db()
    assert world.repair_task.status == RepairStatus.CANCELLED


def test_volunteers_cannot_manage_tasks_and_an_empty_post_changes_nothing(world, client_for):
    url = reverse("devices:task_manage", kwargs={"pk": world.repair_task.pk})
    assert client_for(world.volunteer).post(url, {"action": "cancel"}).status_code == 403
    assert client_for(world.desk).post(url, {}).status_code == 200
    world.repair_task.refresh_from_db()
    assert (world.repair_task.status, world.repair_task.assigned_to) == (RepairStatus.OPEN, world.volunteer)


def test_tasks_of_another_network_are_not_found(world, client_for):
    for actor in (world.desk, world.coordinator):
        response = client_for(actor).get(reverse("devices:task_detail", kwargs={"pk": world.other_task.pk}))
        assert response.status_code == 404


def test_digipunt_staff_see_the_task_list_but_cannot_work_on_tasks(world, client_for):
    client = client_for(world.digipunt)
    assert "Replace the keyboard" in client.get(reverse("devices:repairs")).content.decode()
    assert client.get(reverse("devices:task_detail", kwargs={"pk": world.repair_task.pk})).status_code == 403
