"""The current network: resolved per request, switchable, and the scoping mechanism itself."""

from django.urls import reverse

from digibank.networks.middleware import SESSION_KEY
from digibank.organisations.models import Organisation
from digibank.residents.models import Resident

from . import factories as f


def test_a_member_of_two_networks_switches_between_them(world, client_for):
    f.MembershipFactory(network=world.other, user=world.coordinator, role="coordinator")
    client = client_for(world.coordinator)
    assert world.leuven.name in client.get(reverse("core:home")).text
    response = client.post(reverse("networks:switch"), {"network": world.other.pk, "next": "/"})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == world.other.pk
    home = client.get(reverse("core:home")).text
    assert world.other.name in home


def test_switching_to_a_network_you_are_not_in_changes_nothing(world, client_for):
    client = client_for(world.desk)
    client.post(reverse("networks:switch"), {"network": world.other.pk})
    assert client.session.get(SESSION_KEY) is None
    assert client.get(reverse("core:home")).context["current_network"] == world.leuven


def test_switching_with_junk_input_is_refused_politely(world, client_for):
    client = client_for(world.desk)
    response = client.post(reverse("networks:switch"), {"network": "'; drop table"}, follow=True)
    assert response.status_code == 200
    assert client.session.get(SESSION_KEY) is None


def test_the_switch_does_not_redirect_to_another_site(world, client_for):
    client = client_for(world.desk)
    response = client.post(
        reverse("networks:switch"), {"network": world.leuven.pk, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("core:home")


def test_a_deactivated_membership_gives_no_access(world, client_for):
    world.desk.memberships.update(is_active=False)
    response = client_for(world.desk).get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("networks:none")


def test_in_network_and_visible_to_never_cross_networks(world):
    membership = world.coordinator.memberships.get()
    assert set(Resident.objects.visible_to(membership)) == {world.resident_a, world.resident_desk}
    assert world.org_other not in Organisation.objects.visible_to(membership)
    assert list(Resident.objects.visible_to(None)) == []


def test_a_partner_worker_sees_only_residents_of_their_organisation(world):
    partner_a = world.partner_a.memberships.get()
    partner_b = world.partner_b.memberships.get()
    assert list(Resident.objects.visible_to(partner_a)) == [world.resident_a]
    assert list(Resident.objects.visible_to(partner_b)) == []


def test_roles_without_personal_data_access_see_no_residents(world):
    for actor in ("steering", "volunteer", "provider"):
        assert not Resident.objects.visible_to(getattr(world, actor).memberships.get()).exists()
