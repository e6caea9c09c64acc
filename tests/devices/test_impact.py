"""The impact of reuse: kg of e-waste and CO2e avoided, per batch, per year and per network."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from digibank.devices import selectors
from digibank.devices.impact import CO2E_AVOIDED_KG, DEFAULT_WEIGHT_KG
from digibank.devices.lifecycle import DeviceStatus as S
from digibank.devices.models import Device, DeviceEvent

from .helpers import make_ready, move, register


def lend(world, device, *, year=None):
    make_ready(device, world.desk)
    move(device, world.desk, S.ON_LOAN)
    if year is not None:
        at = timezone.make_aware(datetime.datetime(year, 5, 1, 10, 0))
        DeviceEvent.objects.filter(device=device, to_status=S.ON_LOAN).update(at=at)


def test_only_devices_that_were_lent_or_given_count(world):
    baseline = selectors.impact_report(network=world.leuven).figures.total.devices
    laptop = register(world, weight_kg=Decimal("1.60"), batch=world.batch)
    tablet = register(world, kind="tablet")
    register(world, kind="desktop")  # never reused
    lend(world, laptop, year=2024)
    make_ready(tablet, world.desk)
    move(tablet, world.desk, S.GIVEN_AWAY)
    figures = selectors.impact_report(network=world.leuven).figures
    assert figures.total.devices == baseline + 2
    assert figures.by_year[2024].devices == 1
    assert figures.by_year[2024].kg_waste_avoided == Decimal("1.60")  # its own weight
    assert figures.by_batch[world.batch.pk].kg_co2e_avoided == CO2E_AVOIDED_KG["laptop"]
    assert figures.by_kind["tablet"].kg_waste_avoided == DEFAULT_WEIGHT_KG["tablet"]


def test_a_device_lent_twice_counts_once_in_the_year_of_its_first_loan(world):
    device = register(world, batch=world.batch)
    lend(world, device, year=2023)
    move(device, world.desk, S.RETURNED)
    lend(world, device)
    figures = selectors.impact_report(network=world.leuven).figures
    assert figures.by_batch[world.batch.pk].devices == 1
    assert figures.by_year[2023].devices == 1


def test_other_networks_devices_never_count(world):
    device = world.other_device
    Device.objects.filter(pk=device.pk).update(status=S.READY)
    DeviceEvent.objects.create(network=world.other, device=device, from_status=S.READY, to_status=S.ON_LOAN)
    leuven = selectors.impact_report(network=world.leuven).figures.total.devices
    other = selectors.impact_report(network=world.other).figures.total.devices
    assert other >= 1
    assert selectors.impact_report(network=world.leuven).figures.total.devices == leuven


def test_the_impact_page_shows_the_figures_and_the_method(world, client_for, django_assert_max_num_queries):
    device = register(world, batch=world.batch)
    lend(world, device, year=2025)
    client = client_for(world.steering)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("devices:impact")).content.decode()
    assert "CO2e avoided (estimate)" in page and "docs/impact.md" in page
    assert "D2026-0001 – Brouwerij Proefbier NV" in page and "2025" in page


def test_private_donors_are_not_named_on_the_impact_page(world, client_for):
    world.donor.kind, world.donor.vat_number, world.donor.contact_name, world.donor.address = (
        "person",
        "",
        "",
        "",
    )
    world.donor.save(update_fields=["kind", "vat_number", "contact_name", "address"])
    device = register(world, batch=world.batch)
    lend(world, device)
    page = client_for(world.steering).get(reverse("devices:impact")).content.decode()
    assert "Brouwerij Proefbier NV" not in page and "private donor" in page


def test_only_figure_viewers_see_the_impact(world, client_for):
    assert client_for(world.digipunt).get(reverse("devices:impact")).status_code == 403
    assert client_for(world.coordinator).get(reverse("devices:impact")).status_code == 200
