"""The tariff applications' own scoping follows the resident's visibility, like every view does."""

from digibank.referrals.models import InternetTariffApplication


def test_tariff_applications_are_visible_only_with_their_resident(world):
    InternetTariffApplication.objects.create(
        network=world.leuven, resident=world.resident_a, offer="Test offer"
    )
    partner_a = world.partner_a.memberships.get()
    partner_b = world.partner_b.memberships.get()
    steering = world.steering.memberships.get()
    assert InternetTariffApplication.objects.visible_to(partner_a).filter(resident=world.resident_a).exists()
    assert (
        not InternetTariffApplication.objects.visible_to(partner_b).filter(resident=world.resident_a).exists()
    )
    assert not InternetTariffApplication.objects.visible_to(steering).exists()
