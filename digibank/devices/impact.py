"""The impact of reuse: e-waste and CO2e avoided. Method and sources: docs/impact.md.

A device counts once it has been reused — lent or given to a resident (it reached "on loan"
or "given away" at least once), in the year of its first loan or gift. These are estimates:
the factors are typical values per kind of device, not measurements of the devices themselves.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from digibank.figures import Figure, FiguresPolicy

from .models import DeviceKind

K = DeviceKind

# kg per device when its own weight was not recorded (docs/impact.md, "Weight").
DEFAULT_WEIGHT_KG: dict[str, Decimal] = {
    K.LAPTOP: Decimal("2.0"),  # 1.3–2.5 kg for the machine, plus its charger
    K.DESKTOP: Decimal("7.5"),  # a small-form-factor to mid tower, without screen
    K.TABLET: Decimal("0.6"),
    K.SMARTPHONE: Decimal("0.2"),
    K.SCREEN: Decimal("4.5"),  # 22–24 inch monitor with stand
    K.ACCESSORY: Decimal("0.3"),
}

# kg CO2e of making a new device of this kind, which reusing one avoids (docs/impact.md, "CO2e").
CO2E_AVOIDED_KG: dict[str, Decimal] = {
    K.LAPTOP: Decimal("200"),
    K.DESKTOP: Decimal("250"),
    K.TABLET: Decimal("90"),
    K.SMARTPHONE: Decimal("55"),
    K.SCREEN: Decimal("150"),
    K.ACCESSORY: Decimal("5"),
}


@dataclass
class Impact:
    devices: int = 0
    kg_waste_avoided: Decimal = Decimal("0")
    kg_co2e_avoided: Decimal = Decimal("0")
    weighed: int = 0  # devices whose own weight was used (the rest: default per kind)

    def add(self, *, kind: str, weight_kg: Decimal | None) -> None:
        self.devices += 1
        if weight_kg is not None:
            self.weighed += 1
        self.kg_waste_avoided += (
            weight_kg if weight_kg is not None else DEFAULT_WEIGHT_KG.get(kind, Decimal(0))
        )
        self.kg_co2e_avoided += CO2E_AVOIDED_KG.get(kind, Decimal(0))

    @property
    def tonnes_co2e_avoided(self) -> Decimal:
        return (self.kg_co2e_avoided / 1000).quantize(Decimal("0.1"))


@dataclass
class ImpactFigures:
    total: Impact = field(default_factory=Impact)
    by_year: dict[int, Impact] = field(default_factory=lambda: defaultdict(Impact))
    by_batch: dict[int | None, Impact] = field(default_factory=lambda: defaultdict(Impact))
    by_kind: dict[str, Impact] = field(default_factory=lambda: defaultdict(Impact))


def compute(rows) -> ImpactFigures:
    """``rows``: (kind, weight_kg, batch_id, year of first reuse) of every reused device."""
    figures = ImpactFigures()
    for kind, weight_kg, batch_id, year in rows:
        for bucket in (
            figures.total,
            figures.by_year[year],
            figures.by_batch[batch_id],
            figures.by_kind[kind],
        ):
            bucket.add(kind=kind, weight_kg=weight_kg)
    return figures


@dataclass(frozen=True)
class ShownImpact:
    """One row of an impact table as a viewer may see it (digibank.figures policy): the weight
    and CO2e of a hidden count are hidden too, since they are about that count times a factor."""

    devices: Figure
    kg_waste_avoided: Figure
    kg_co2e_avoided: Figure


def shown_table(rows: list[tuple[object, Impact]], policy: FiguresPolicy) -> list[tuple[object, ShownImpact]]:
    """(label, Impact) rows of one table (they add up to the total) under the figures policy."""
    counts = policy.counts([impact.devices for _label, impact in rows])
    return [
        (label, shown_impact(impact, policy, count=count))
        for (label, impact), count in zip(rows, counts, strict=True)
    ]


def shown_impact(impact: Impact, policy: FiguresPolicy, *, count: Figure | None = None) -> ShownImpact:
    count = count or policy.count(impact.devices)
    return ShownImpact(
        devices=count,
        kg_waste_avoided=policy.amount(round(impact.kg_waste_avoided, 1), resting_on=count),
        kg_co2e_avoided=policy.amount(round(impact.kg_co2e_avoided), resting_on=count),
    )
