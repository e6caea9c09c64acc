"""Reads about devices. Every function starts from a scoped queryset (``visible_to``/``in_network``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, IntegerField, Min, Q, QuerySet, Value, When
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from digibank.lib.serials import serial_display, serial_key
from digibank.networks.roles import Role

from . import impact
from .checklist import LABELS as CHECK_LABELS
from .history import HistoryItem, history_from_sources
from .lifecycle import IN_STOCK, DeviceStatus
from .models import (
    Device,
    DeviceEvent,
    DeviceKind,
    DonationBatch,
    DonorKind,
    Location,
    QualityCheck,
    RepairStatus,
    RepairTask,
    StockTake,
    StockTakeScan,
    WipeRecord,
)

DEVICES_PER_PAGE = 50
SEARCH_LIMIT = 20
S = DeviceStatus

# What waits for which kind of work (stock overview, and links to the filtered list).
WAITING_GROUPS: dict[str, tuple[DeviceStatus, ...]] = {
    "wipe": (S.RECEIVED, S.RETURNED, S.WIPING),
    "repair": (S.IN_REPAIR,),
    "check": (S.QUALITY_CHECK,),
}


# --- lists and look-ups --------------------------------------------------------------------


def device_list(
    *,
    membership,
    statuses: list[str] | tuple[str, ...] = (),
    kind: str = "",
    location_id: int | None = None,
    batch_id: int | None = None,
    query: str = "",
) -> QuerySet[Device]:
    """The devices this membership may see, filtered; two queries per page (count and rows)."""
    qs = Device.objects.visible_to(membership).select_related("location", "batch")
    valid = [s for s in statuses if s in S.values]
    if valid:
        qs = qs.filter(status__in=valid)
    if kind in DeviceKind.values:
        qs = qs.filter(kind=kind)
    if location_id:
        qs = qs.filter(location_id=location_id)
    if batch_id:
        qs = qs.filter(batch_id=batch_id)
    for word in query.split()[:5]:
        qs = qs.filter(
            Q(asset_tag__icontains=word)
            | Q(serial_key__contains=serial_key(word))
            | Q(brand__icontains=word)
            | Q(model__icontains=word)
        )
    return qs.order_by("asset_tag", "pk")


def device_search(*, membership, query: str) -> list[Device]:
    """For the global search: devices by asset tag or serial number (exact matches first)."""
    query = query.strip()
    if len(query) < 3:
        return []
    # Serials compare on their keys (lib.serials): the same on SQLite and PostgreSQL.
    key = serial_key(query)
    qs = Device.objects.visible_to(membership).filter(
        Q(asset_tag__icontains=query) | Q(serial_key__contains=key) | Q(disk_serial_keys__contains=key)
    )
    exact = Case(
        When(Q(asset_tag__iexact=query) | Q(serial_key=key), then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return list(
        qs.select_related("location").annotate(exact=exact).order_by("exact", "asset_tag")[:SEARCH_LIMIT]
    )


def device_by_tag(*, membership, tag: str) -> Device | None:
    tag = tag.strip()
    if not tag:
        return None
    return Device.objects.visible_to(membership).filter(asset_tag__iexact=tag).first()


def device_for_code(*, membership, code: str) -> Device | None:
    """The device a scanned or typed code means: its label URL, a ?tag= URL, an asset tag or a serial."""
    code = code.strip()
    if not code:
        return None
    visible = Device.objects.visible_to(membership)
    if "://" in code or code.startswith("/"):
        parts = urlsplit(code)
        if tags := parse_qs(parts.query).get("tag"):
            return device_by_tag(membership=membership, tag=tags[0])
        try:
            match = resolve(parts.path)
        except Resolver404:
            return None
        if match.view_name in {"devices:detail"} and "pk" in match.kwargs:
            return visible.filter(pk=match.kwargs["pk"]).first()
        return None
    return (
        visible.filter(asset_tag__iexact=code).first()
        or visible.filter(serial_key=serial_key(code)).first()
        # "LEU000123" or "leu 123": the tag typed without its dash or zeros
        or _loose_tag(visible, code)
    )


def _loose_tag(visible, code: str) -> Device | None:
    match = re.fullmatch(r"([A-Za-z]{1,3})[\s-]*0*(\d+)", code)
    if not match:
        return None
    prefix, number = match.group(1).upper(), int(match.group(2))
    return visible.filter(asset_tag__iexact=f"{prefix}-{number:06d}").first()


def locations(*, membership, include_inactive: bool = False) -> QuerySet[Location]:
    qs = Location.objects.visible_to(membership)
    return qs if include_inactive else qs.filter(is_active=True)


def location_list(*, membership) -> QuerySet[Location]:
    """Every location with the number of devices registered there that are in stock (one query)."""
    return (
        Location.objects.visible_to(membership)
        .annotate(in_stock=Count("devices", filter=Q(devices__status__in=list(IN_STOCK))))
        .order_by("-is_active", "name")
    )


def volunteers(*, network) -> QuerySet:
    """The users who work in this network as volunteers (the PC doctors repair tasks go to)."""
    return (
        get_user_model()
        .objects.filter(
            memberships__network=network,
            memberships__role=Role.VOLUNTEER,
            memberships__is_active=True,
            is_active=True,
        )
        .order_by("first_name", "last_name", "username")
        .distinct()
    )


# --- the device page -----------------------------------------------------------------------


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def device_history(*, device: Device, membership) -> list[HistoryItem]:
    """Everything that happened to the device, newest first; a fixed number of queries."""
    network_id = device.network_id
    items: list[HistoryItem] = []
    for event in DeviceEvent.objects.in_network(network_id).filter(device=device).select_related("actor"):
        if event.from_status:
            title = _("Status: %(from)s → %(to)s") % {
                "from": event.get_from_status_display(),
                "to": event.get_to_status_display(),
            }
        else:
            title = _("Registered (%(status)s)") % {"status": event.get_to_status_display()}
        items.append(HistoryItem(event.at, "status", title, event.reason, _name(event.actor)))
    for wipe in WipeRecord.objects.in_network(network_id).filter(device=device):
        title = _("Data wipe (%(method)s) with %(tool)s") % {
            "method": wipe.get_method_display(),
            "tool": wipe.tool,
        }
        facts = wipe.log_details or [wipe.verification]
        if wipe.disk_serial:
            facts.append(_("disk %s") % serial_display(wipe.disk_serial))
        detail = ", ".join(p for p in facts if p)
        items.append(
            HistoryItem(wipe.performed_at, "wipe", title, detail, wipe.operator_name, wipe.succeeded)
        )
    for check in (
        QualityCheck.objects.in_network(network_id).filter(device=device).select_related("checked_by")
    ):
        failed = [str(CHECK_LABELS.get(k, k)) for k, v in check.items.items() if not v]
        detail = "; ".join([_("Not OK: %s") % ", ".join(failed)] if failed else []) or check.notes
        if failed and check.notes:
            detail = f"{detail}. {check.notes}"
        items.append(
            HistoryItem(
                check.checked_at, "check", _("Quality check"), detail, _name(check.checked_by), check.passed
            )
        )
    for task in RepairTask.objects.in_network(network_id).filter(device=device).select_related("assigned_to"):
        title = _("Repair: %(title)s (%(status)s)") % {
            "title": task.title,
            "status": task.get_status_display(),
        }
        parts = [task.diagnosis]
        if task.parts_used:
            parts.append(_("parts: %s") % task.parts_used)
        if task.minutes_spent:
            parts.append(_("%d minutes") % task.minutes_spent)
        items.append(
            HistoryItem(
                task.done_at or task.created_at,
                "repair",
                title,
                "; ".join(p for p in parts if p),
                _name(task.assigned_to),
                url=reverse("devices:task_detail", kwargs={"pk": task.pk}),
            )
        )
    scans = (
        StockTakeScan.objects.in_network(network_id)
        .filter(device=device)
        .select_related("stock_take__location", "scanned_by", "moved_from")
    )
    for scan in scans:
        detail = _("moved here from %s") % scan.moved_from.name if scan.moved_from else ""
        title = _("Seen at the stock-take of %(location)s") % {"location": scan.stock_take.location.name}
        items.append(HistoryItem(scan.scanned_at, "scan", title, detail, _name(scan.scanned_by)))
    items.extend(history_from_sources(device=device, membership=membership))
    items.sort(key=lambda i: i.at, reverse=True)
    return items


def open_stock_takes(*, membership) -> list[StockTake]:
    return list(
        StockTake.objects.visible_to(membership).filter(closed_at__isnull=True).select_related("location")
    )


# --- repair tasks --------------------------------------------------------------------------

_OPEN_FIRST = Case(
    When(status=RepairStatus.IN_PROGRESS, then=Value(0)),
    When(status=RepairStatus.OPEN, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def my_repair_tasks(*, membership) -> tuple[list[RepairTask], list[RepairTask]]:
    """The member's own tasks: (open ones, the last ten finished). Two queries."""
    mine = (
        RepairTask.objects.visible_to(membership)
        .filter(assigned_to_id=membership.user_id)
        .select_related("device")
    )
    open_tasks = list(
        mine.filter(status__in=[RepairStatus.OPEN, RepairStatus.IN_PROGRESS]).order_by(
            _OPEN_FIRST, "created_at"
        )
    )
    finished = list(mine.filter(status=RepairStatus.DONE).order_by("-done_at", "-pk")[:10])
    return open_tasks, finished


def repair_task_list(*, membership, status: str = "", assignee_id: int | None = None) -> QuerySet[RepairTask]:
    qs = RepairTask.objects.visible_to(membership).select_related("device", "assigned_to")
    if status in RepairStatus.values:
        qs = qs.filter(status=status)
    if assignee_id:
        qs = qs.filter(assigned_to_id=assignee_id)
    return qs.order_by(_OPEN_FIRST, "created_at", "pk")


# --- stock-take ----------------------------------------------------------------------------


def stock_take_list(*, membership) -> QuerySet[StockTake]:
    return (
        StockTake.objects.visible_to(membership)
        .select_related("location", "started_by")
        .annotate(scan_count=Count("scans"))
        .order_by("-started_at", "-pk")
    )


@dataclass
class StockTakeReport:
    scans: list[StockTakeScan]
    missing: list[Device]  # expected here but not (yet) seen
    expected: int


def stock_take_report(*, stock_take: StockTake) -> StockTakeReport:
    """Open: what is still to be seen. Closed: the snapshot taken when it was closed."""
    network_id = stock_take.network_id
    scans = list(
        StockTakeScan.objects.in_network(network_id)
        .filter(stock_take=stock_take)
        .select_related("device__location", "moved_from", "scanned_by")
    )
    devices = Device.objects.in_network(network_id).select_related("location")
    if stock_take.closed_at is None:
        missing = list(
            devices.filter(location=stock_take.location_id, status__in=list(IN_STOCK))
            .exclude(pk__in=[s.device_id for s in scans])
            .order_by("asset_tag")
        )
    else:
        missing = list(devices.filter(pk__in=stock_take.missing_device_ids).order_by("asset_tag"))
    seen_here = sum(
        1 for s in scans if s.device.location_id == stock_take.location_id and s.device.status in IN_STOCK
    )
    return StockTakeReport(scans=scans, missing=missing, expected=seen_here + len(missing))


# --- stock overview and impact -------------------------------------------------------------


def stock_overview(*, membership) -> dict:
    """Counts by status × kind and by location, and what waits for work. A fixed number of queries."""
    network = membership.network
    devices = Device.objects.in_network(network)
    counts = {
        (r["status"], r["kind"]): r["n"] for r in devices.values("status", "kind").annotate(n=Count("pk"))
    }
    kinds = list(DeviceKind)
    matrix = []
    for status in S:
        cells = [counts.get((status.value, kind.value), 0) for kind in kinds]
        if any(cells):
            matrix.append({"status": status, "cells": cells, "total": sum(cells)})
    kind_totals = [sum(counts.get((s.value, k.value), 0) for s in S) for k in kinds]

    by_location: dict = {}
    rows = devices.filter(status__in=list(IN_STOCK)).values("location_id", "location__name", "status")
    for row in rows.annotate(n=Count("pk")).order_by("location__name"):
        entry = by_location.setdefault(
            row["location_id"],
            {"id": row["location_id"], "name": row["location__name"], "total": 0, "ready": 0},
        )
        entry["total"] += row["n"]
        if row["status"] in (S.READY, S.RESERVED):
            entry["ready"] += row["n"]
    status_totals = {status: sum(counts.get((status.value, k.value), 0) for k in kinds) for status in S}
    waiting = [
        {"key": key, "statuses": [s.value for s in statuses], "n": sum(status_totals[s] for s in statuses)}
        for key, statuses in WAITING_GROUPS.items()
    ]
    tasks = RepairTask.objects.in_network(network).filter(
        status__in=[RepairStatus.OPEN, RepairStatus.IN_PROGRESS]
    )
    task_counts = tasks.aggregate(
        open=Count("pk"), unassigned=Count("pk", filter=Q(assigned_to__isnull=True))
    )
    return {
        "kinds": kinds,
        "matrix": matrix,
        "kind_totals": kind_totals,
        "total": sum(kind_totals),
        "by_location": sorted(by_location.values(), key=lambda e: (e["name"] is None, e["name"] or "")),
        "waiting": waiting,
        "open_tasks": task_counts["open"],
        "unassigned_tasks": task_counts["unassigned"],
    }


@dataclass
class ImpactReport:
    figures: impact.ImpactFigures
    batches: dict  # batch id -> label
    years: list[int]


def impact_report(*, network) -> ImpactReport:
    """Reuse impact of the network: every device that was ever lent or given away (three queries)."""
    reused = (
        Device.objects.in_network(network)
        .annotate(first_reuse=Min("events__at", filter=Q(events__to_status__in=[S.ON_LOAN, S.GIVEN_AWAY])))
        .filter(first_reuse__isnull=False)
        .values_list("kind", "weight_kg", "batch_id", "first_reuse")
    )
    rows = [(kind, weight, batch, timezone.localtime(at).year) for kind, weight, batch, at in reused]
    figures = impact.compute(rows)
    batch_ids = [pk for pk in figures.by_batch if pk is not None]
    batches = {}
    if batch_ids:
        for batch in (
            DonationBatch.objects.in_network(network).filter(pk__in=batch_ids).select_related("donor")
        ):
            # A private donor's name is personal data: the aggregate page shows only the reference.
            donor = batch.donor.name if batch.donor.kind == DonorKind.ORGANISATION else _("private donor")
            batches[batch.pk] = f"{batch.reference} – {donor}"
    return ImpactReport(figures=figures, batches=batches, years=sorted(figures.by_year, reverse=True))


def home_repairs(request) -> dict | None:
    """The home widget of a PC-doctor: their open repair tasks (None when they have none)."""
    open_tasks, _finished = my_repair_tasks(membership=request.membership)
    return {"tasks": open_tasks[:5], "count": len(open_tasks)} if open_tasks else None
