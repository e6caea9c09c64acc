"""Donations in the test world: a donor and a batch in leuven, and a "Zegers" copy in other."""

import datetime

from .factories import BatchFactory, DonorFactory, LocationFactory


def extend_world(w):
    w.collection_point = LocationFactory(network=w.leuven, name="Inzamelpunt Stadskantoor")
    w.donor = DonorFactory(
        network=w.leuven,
        name="Brouwerij Proefbier NV",
        vat_number="BE0403170701",
        contact_name="Inge Van Dijck",
    )
    w.batch = BatchFactory(
        donor=w.donor,
        reference="D2026-0001",
        received_on=datetime.date(2026, 1, 14),
        collection_point=w.collection_point,
        expected_count=12,
    )
    w.collection_point_other = LocationFactory(network=w.other, name="Zegers depot")
    w.donor_other = DonorFactory(network=w.other, name="Zegers NV")
    w.batch_other = BatchFactory(
        donor=w.donor_other,
        reference="D2026-0001",
        received_on=datetime.date(2026, 1, 20),
        collection_point=w.collection_point_other,
        notes="Zegers batch",
    )
