"""Demo intake rules: Leuven caps open requests per referring partner (with exceptions),
Demostad does not. Idempotent: the rules and exceptions are set by organisation name."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from digibank.organisations.models import Organisation

from ..models import IntakeSettings, OrganisationCap


@dataclass(frozen=True)
class IntakePlan:
    open_request_cap: int | None
    unreferred_alert_days: int
    # organisation name -> its own cap (None: exempt)
    exceptions: dict[str, int | None] = field(default_factory=dict)


PLANS = {
    # The OCMW refers the most residents by far: no cap; a small partner gets a lower one.
    "leuven-demo": IntakePlan(
        open_request_cap=15,
        unreferred_alert_days=5,
        exceptions={"OCMW Leuven": None, "Buurtwerk 't Lampeke": 25, "Link in de Kabel": 5},
    ),
    "demostad-demo": IntakePlan(open_request_cap=None, unreferred_alert_days=7),
}


@transaction.atomic
def demo_load(*, network) -> None:
    plan = PLANS.get(network.slug)
    if plan is None:
        return
    IntakeSettings.objects.update_or_create(
        network=network,
        defaults={
            "open_request_cap": plan.open_request_cap,
            "unreferred_alert_days": plan.unreferred_alert_days,
        },
    )
    organisations = {o.name: o for o in Organisation.objects.in_network(network)}
    for name, cap in plan.exceptions.items():
        if name in organisations:
            OrganisationCap.objects.update_or_create(
                network=network, organisation=organisations[name], defaults={"cap": cap}
            )
