"""The devices app's tables: the inventory and lifecycle (inventory.py) and where devices come
from, donors and their batches (donations.py). One app, because it is one flow of PRODUCT.md:
a donation received → devices registered → wiped → repaired → checked → ready."""

from .donations import DonationBatch, Donor, DonorKind, ImportColumnMapping, ImportKind, ImportRun
from .inventory import (
    Condition,
    Device,
    DeviceEvent,
    DeviceKind,
    DeviceQuerySet,
    Location,
    QualityCheck,
    RepairStatus,
    RepairTask,
    RepairTaskQuerySet,
    StockTake,
    StockTakeScan,
    VerifyMode,
    WipeMethod,
    WipeRecord,
)

__all__ = [
    "Condition",
    "Device",
    "DeviceEvent",
    "DeviceKind",
    "DeviceQuerySet",
    "DonationBatch",
    "Donor",
    "DonorKind",
    "ImportColumnMapping",
    "ImportKind",
    "ImportRun",
    "Location",
    "QualityCheck",
    "RepairStatus",
    "RepairTask",
    "RepairTaskQuerySet",
    "StockTake",
    "StockTakeScan",
    "VerifyMode",
    "WipeMethod",
    "WipeRecord",
]
