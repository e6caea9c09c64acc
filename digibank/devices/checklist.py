"""The quality checklist a device passes before it may be lent: which items apply to which kind.

A check passes when every item that applies to the device's kind is ticked (services.
quality_check_record). The keys are stored in QualityCheck.items; never rename one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import DeviceKind

K = DeviceKind
COMPUTERS = frozenset({K.LAPTOP, K.DESKTOP})
MOBILE = frozenset({K.LAPTOP, K.TABLET, K.SMARTPHONE})
WITH_OS = frozenset({K.LAPTOP, K.DESKTOP, K.TABLET, K.SMARTPHONE})
ALL = frozenset(K)


@dataclass(frozen=True)
class CheckItem:
    key: str
    label: str | Promise
    kinds: frozenset


CHECKLIST: tuple[CheckItem, ...] = (
    CheckItem("boots", _("Starts up and works"), ALL),
    CheckItem("screen", _("Screen: no dead pixels, even backlight"), MOBILE | {K.SCREEN}),
    CheckItem("keyboard", _("Keyboard: every key works"), COMPUTERS),
    CheckItem("pointing", _("Touchpad or mouse works"), COMPUTERS),
    CheckItem("battery", _("Battery holds a charge"), MOBILE),
    CheckItem("wifi", _("Wi-Fi connects"), MOBILE),
    CheckItem("webcam_mic", _("Webcam and microphone work"), MOBILE),
    CheckItem("charger", _("Charger or power cable included"), ALL - {K.ACCESSORY}),
    CheckItem("os_updated", _("Operating system installed and up to date"), WITH_OS),
    CheckItem("accounts_removed", _("Previous accounts and personal data removed"), WITH_OS),
)
LABELS = {item.key: item.label for item in CHECKLIST}


def items_for(kind: str) -> list[CheckItem]:
    return [item for item in CHECKLIST if kind in item.kinds]
