"""The catalogue's part of the test world.

leuven: a device-loan service of org_a (open to referrals and proof holders, waiting list)
and an internet-tariff service of org_b; an internet tariff application for resident_a.
other: a service (w.service_zegers) and an application whose texts contain "Zegers" (the walk
must never show them to anyone in leuven).
"""

from digibank.catalogue.models import Service, ServiceKind
from digibank.referrals.models import InternetTariffApplication, TariffOutcome


def extend_world(w):
    w.service_loan = Service.objects.create(
        network=w.leuven,
        name="Laptops lenen (test)",
        kind=ServiceKind.DEVICE_LOAN,
        organisation=w.org_a,
        criteria=["increased_reimbursement", "living_wage", "referral"],
        has_waiting_list=True,
    )
    w.service_internet = Service.objects.create(
        network=w.leuven,
        name="Hulp sociaal internettarief (test)",
        kind=ServiceKind.INTERNET_TARIFF,
        organisation=w.org_b,
    )
    w.service_zegers = Service.objects.create(
        network=w.other,
        name="Laptopdienst Zegers",
        kind=ServiceKind.DEVICE_LOAN,
        organisation=w.org_other,
    )
    w.tariff_a = InternetTariffApplication.objects.create(
        network=w.leuven,
        resident=w.resident_a,
        offer="Telenet Essential Internet",
        outcome=TariffOutcome.PREPARING,
        helped_by=w.desk,
    )
    w.tariff_other = InternetTariffApplication.objects.create(
        network=w.other,
        resident=w.resident_other,
        offer="Sociaal internetaanbod Zegers",
        outcome=TariffOutcome.PREPARING,
        helped_by=w.outsider,
    )
