"""Read a device's specs from the output of ``lshw -json`` taken on the machine itself.

What we read (everything else is ignored):

- the top node (class ``system``): ``vendor`` → brand, ``product`` → model, ``serial`` → serial,
  ``configuration.chassis`` → a suggested kind (notebook/laptop → laptop, desktop/tower → desktop ...);
- ``class: memory`` nodes described as "System Memory": their ``size`` (bytes), or the sum of
  their banks when the node itself has no size → memory in GB (binary, as sold);
- ``class: processor`` nodes: the first enabled one's ``product`` → processor;
- ``class: disk`` nodes with a ``size`` that are not below a USB bus and not removable (the USB
  stick the live system booted from is not part of the device): total size in GB (decimal, as
  sold), their serial numbers, and a storage type (NVMe, SSD, or HDD/SSD unknown → empty);
- ``class: power`` nodes (the battery): vendor, product and design capacity. lshw reads the
  battery's *design* values from the firmware, not its wear, so battery health is not filled in.

lshw prints one JSON object, or — in newer versions and with ``-class`` — a list of nodes;
some old versions print several objects separated by commas without brackets. All three work.
Values no real machine has (a disk of 10^30 bytes, negative or infinite memory, thousands
of processors) mean a damaged or hand-edited file: the whole file is refused with a message
naming the value, and nothing is changed. Placeholder strings that firmware vendors leave in
("To Be Filled By O.E.M.", "Default string", "System Serial Number" ...) are treated as empty.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024
# Sanity limits, far above any device a digibank receives (and within what the fields store).
MAX_DISK_BYTES = 10**15  # 1 PB per disk
MAX_MEMORY_BYTES = 16 * 1024**4  # 16 TiB
MAX_PROCESSORS = 1024  # processor nodes, and cores or threads of one processor

PLACEHOLDERS = {
    "",
    "to be filled by o.e.m.",
    "to be filled by oem",
    "default string",
    "system serial number",
    "system product name",
    "system manufacturer",
    "system version",
    "not specified",
    "not applicable",
    "none",
    "n/a",
    "na",
    "oem",
    "o.e.m.",
    "0",
    "0123456789",
    "123456789",
    "chassis serial number",
    "invalid",
}

CHASSIS_KINDS = {
    "notebook": "laptop",
    "laptop": "laptop",
    "portable": "laptop",
    "convertible": "laptop",
    "sub-notebook": "laptop",
    "detachable": "tablet",
    "tablet": "tablet",
    "handheld": "smartphone",
    "desktop": "desktop",
    "tower": "desktop",
    "mini-tower": "desktop",
    "low-profile": "desktop",
    "space-saving": "desktop",
    "all-in-one": "desktop",
    "mini": "desktop",
    "lunchbox": "desktop",
}


class LshwError(ValueError):
    """The upload is not lshw JSON we can read."""


@dataclass
class Disk:
    product: str = ""
    serial: str = ""
    size_bytes: int = 0
    kind: str = ""  # "NVMe", "SSD" or "" (unknown: lshw does not say whether a SATA disk spins)


@dataclass
class Specs:
    brand: str = ""
    model: str = ""
    serial: str = ""
    kind: str = ""
    cpu: str = ""
    ram_gb: Decimal | None = None
    storage_gb: int | None = None
    storage_type: str = ""
    disks: list[Disk] = field(default_factory=list)
    battery: str = ""

    @property
    def disk_serials(self) -> str:
        return ", ".join(d.serial for d in self.disks if d.serial)

    def device_values(self) -> dict:
        """The values for Device fields, leaving out what lshw did not tell us."""
        values = {
            "brand": self.brand,
            "model": self.model,
            "serial": self.serial,
            "cpu": self.cpu,
            "ram_gb": self.ram_gb,
            "storage_gb": self.storage_gb,
            "storage_type": self.storage_type,
            "disk_serials": self.disk_serials,
        }
        return {k: v for k, v in values.items() if v not in ("", None)}


def _clean(value) -> str:
    text = " ".join(str(value).split()) if value is not None else ""
    return "" if text.lower() in PLACEHOLDERS else text


def _load(raw: bytes | str):
    if isinstance(raw, bytes):
        if len(raw) > MAX_BYTES:
            raise LshwError(_("The file is larger than 5 MB; lshw output is much smaller."))
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise LshwError(_("The file is not text (UTF-8).")) from exc
    text = raw.strip()
    if not text:
        raise LshwError(_("The file is empty."))
    try:
        return json.loads(text)
    except json.JSONDecodeError as first_error:
        # Old lshw versions print "{...},{...}" without the surrounding brackets.
        try:
            return json.loads(f"[{text}]")
        except json.JSONDecodeError:
            raise LshwError(
                _("This is not valid JSON (line %(line)s, column %(column)s).")
                % {"line": first_error.lineno, "column": first_error.colno}
            ) from first_error


def _walk(node: dict, under_usb: bool = False):
    """Every node of the tree with whether it hangs below a USB bus."""
    here_usb = under_usb or _is_usb(node)
    yield node, here_usb
    for child in node.get("children") or []:
        if isinstance(child, dict):
            yield from _walk(child, here_usb)


def _is_usb(node: dict) -> bool:
    return str(node.get("id", "")).startswith("usb") or str(node.get("businfo", "")).startswith("usb@")


def _bytes(node: dict, *, limit: int, what: str) -> int:
    """The node's size in bytes (0: none given, or in other units). Absurd sizes raise LshwError."""
    size = node.get("size")
    units = str(node.get("units", "bytes")).lower()
    if not isinstance(size, (int, float)) or isinstance(size, bool) or units not in {"bytes", ""}:
        return 0
    if not math.isfinite(size) or size < 0 or size > limit:
        raise LshwError(
            _("The file gives %(what)s a size of %(size)s bytes, which no real device has.")
            % {"what": what, "size": size}
            + " "
            + _("Nothing was changed.")
        )
    return int(size)


def _check_processor(node: dict) -> None:
    configuration = node.get("configuration") or {}
    for key in ("cores", "enabledcores", "threads"):
        value = configuration.get(key)
        try:
            count = int(str(value))
        except ValueError:
            continue
        if count < 0 or count > MAX_PROCESSORS:
            raise LshwError(
                _("The file gives a processor %(count)s %(what)s, which no real device has.")
                % {"count": count, "what": key}
                + " "
                + _("Nothing was changed.")
            )


def _disk_kind(node: dict) -> str:
    text = " ".join(
        str(node.get(k, "")) for k in ("id", "description", "product", "logicalname", "businfo")
    ).lower()
    if "nvme" in text:
        return "NVMe"
    if "ssd" in text or "solid state" in text:
        return "SSD"
    return ""


def parse(raw: bytes | str) -> Specs:
    """Specs from lshw JSON. Raises LshwError with a message for the person who uploaded it."""
    data = _load(raw)
    if isinstance(data, dict):
        roots = [data]
    elif isinstance(data, list) and data and all(isinstance(n, dict) for n in data):
        roots = data
    else:
        raise LshwError(
            _("This JSON does not look like lshw output (expected an object or a list of objects).")
        )
    if not any("class" in n or "id" in n for n in roots):
        raise LshwError(_("This JSON does not look like lshw output (no hardware nodes)."))

    specs = Specs()
    system = next((n for n in roots if n.get("class") == "system"), roots[0])
    specs.brand = _clean(system.get("vendor"))[:80]
    specs.model = _clean(system.get("product"))[:120]
    specs.serial = _clean(system.get("serial"))[:100]
    chassis = str((system.get("configuration") or {}).get("chassis", "")).lower()
    specs.kind = CHASSIS_KINDS.get(chassis, "")

    memory_bytes = 0
    processors = 0
    for root in roots:
        for node, under_usb in _walk(root):
            cls = node.get("class")
            if cls == "memory" and "system memory" in str(node.get("description", "")).lower():
                memory = _("the memory")
                size = _bytes(node, limit=MAX_MEMORY_BYTES, what=memory) or sum(
                    _bytes(bank, limit=MAX_MEMORY_BYTES, what=memory)
                    for bank in node.get("children") or []
                    if isinstance(bank, dict)
                )
                memory_bytes += size
            elif cls == "processor":
                processors += 1
                _check_processor(node)
                if not specs.cpu and not node.get("disabled"):
                    specs.cpu = _clean(node.get("product"))[:120]
            elif cls == "disk" and not under_usb:
                capabilities = node.get("capabilities") or {}
                size = _bytes(node, limit=MAX_DISK_BYTES, what=_("a disk"))
                if size and "removable" not in capabilities:
                    specs.disks.append(
                        Disk(
                            product=_clean(node.get("product")),
                            serial=_clean(node.get("serial"))[:100],
                            size_bytes=size,
                            kind=_disk_kind(node),
                        )
                    )
            elif cls == "power" and not specs.battery:
                parts = [_clean(node.get("vendor")), _clean(node.get("product"))]
                capacity = node.get("capacity")
                if isinstance(capacity, (int, float)) and capacity > 0:
                    parts.append(f"{int(capacity)} {node.get('units', 'mWh')}")
                specs.battery = " ".join(p for p in parts if p)

    if processors > MAX_PROCESSORS:
        raise LshwError(
            _("The file lists %(count)s processors, which no real device has.") % {"count": processors}
            + " "
            + _("Nothing was changed.")
        )
    if memory_bytes > MAX_MEMORY_BYTES:
        memory_bytes = _bytes({"size": memory_bytes}, limit=MAX_MEMORY_BYTES, what=_("the memory"))
    if memory_bytes:
        specs.ram_gb = (Decimal(memory_bytes) / Decimal(1024**3)).quantize(Decimal("0.1"))
    if specs.disks:
        specs.storage_gb = round(sum(d.size_bytes for d in specs.disks) / 1000**3)
        kinds = {d.kind for d in specs.disks}
        specs.storage_type = kinds.pop() if len(kinds) == 1 else ""
    if not (specs.brand or specs.model or specs.serial or specs.cpu or memory_bytes or specs.disks):
        raise LshwError(_("No hardware details were found in this file. Upload the output of “lshw -json”."))
    return specs
