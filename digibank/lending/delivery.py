"""Lending delivers the "device loan" service: a referral to it puts the resident on the waiting
list (catalogue.ports; registered in hooks.py). The referral keeps the entry's id as its handle."""

from __future__ import annotations

import contextlib

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from digibank.catalogue.ports import DeliveryRefused, ReferralInfo
from digibank.devices.models import DeviceKind

from . import selectors
from .models import WaitingListEntry, WaitingStatus
from .services import LendingError, waiting_add, waiting_cancel


class LendingDelivery:
    label = gettext_lazy("The resident is on the device waiting list through this referral.")

    def form_fields(self, *, network_id: int) -> dict:
        return {
            "device_kind": forms.ChoiceField(
                label=gettext_lazy("Device wanted (device loan)"),
                required=False,
                choices=DeviceKind.choices,
                initial=DeviceKind.LAPTOP,
            ),
            "waiting_category": forms.ModelChoiceField(
                label=gettext_lazy("Waiting-list category (device loan)"),
                queryset=selectors.categories_of(network_id=network_id),
                required=False,
                empty_label=gettext_lazy("The general category"),
            ),
        }

    def start(self, *, referral: ReferralInfo, data: dict, actor) -> int:
        """The resident's open entry for that kind of device, or a new one (the rules apply)."""
        resident = referral.resident
        device_kind = data.get("device_kind") or DeviceKind.LAPTOP
        existing = selectors.open_entries_of(resident).filter(device_kind=device_kind).first()
        if existing is not None:
            return existing.pk
        category = data.get("waiting_category")
        if category is None:
            category = selectors.categories_of(network_id=referral.network_id).last()
        if category is None or category.network_id != referral.network_id:
            raise DeliveryRefused(
                _(
                    "The lending desk has no waiting-list category yet, so nobody can be put on the "
                    "waiting list. Ask the coordinator to add one in the lending settings."
                )
            )
        try:
            entry = waiting_add(
                resident=resident,
                category=category,
                device_kind=device_kind,
                actor=actor,
                note=_("Referral %(reference)s") % {"reference": referral.reference},
                requested_at=referral.referred_at,
            )
        except LendingError as exc:
            raise DeliveryRefused(
                _("The resident cannot be put on the device waiting list: %(reason)s")
                % {"reason": " ".join(exc.messages)}
            ) from exc
        return entry.pk

    def stop(self, *, network_id: int, handle: int, actor, reason: str) -> None:
        """Off the waiting list again (nothing to undo when they already are)."""
        entry = WaitingListEntry.objects.in_network(network_id).filter(pk=handle).first()
        if entry is None or entry.status not in (WaitingStatus.WAITING, WaitingStatus.OFFERED):
            return
        with contextlib.suppress(LendingError):
            waiting_cancel(entry=entry, actor=actor, reason=reason)
