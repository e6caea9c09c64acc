"""Factories for donations (and the few device objects their tests need)."""

import datetime

import factory
from django.utils import timezone

from digibank.devices.models import Device, DonationBatch, Donor, DonorKind, Location, WipeRecord
from tests.factories import NetworkFactory


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Opslag {n}")


class DonorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Donor

    network = factory.SubFactory(NetworkFactory)
    kind = DonorKind.ORGANISATION
    name = factory.Sequence(lambda n: f"Schenker {n} NV")


class BatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DonationBatch

    donor = factory.SubFactory(DonorFactory)
    network = factory.LazyAttribute(lambda b: b.donor.network)
    reference = factory.Sequence(lambda n: f"T{n:04d}")
    received_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    expected_count = 3


class DeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Device

    batch = factory.SubFactory(BatchFactory)
    network = factory.LazyAttribute(lambda d: d.batch.network if d.batch else NetworkFactory())
    asset_tag = factory.Sequence(lambda n: f"TST-{n:05d}")
    kind = "laptop"
    brand = "Dell"
    model = "Latitude 5490"
    serial = factory.Sequence(lambda n: f"SN{n:06d}")


class WipeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WipeRecord

    device = factory.SubFactory(DeviceFactory)
    network = factory.LazyAttribute(lambda w: w.device.network)
    method = "clear"
    tool = "nwipe 0.36 (DoD short)"
    operator_name = "Wout Wisser"
    performed_at = factory.LazyFunction(timezone.now)
    succeeded = True
    verification = "Verified: last pass read back"
