"""Reads about donors and donation batches, always scoped to a membership.

Counts per batch come from correlated subqueries, so a list of batches is one query
whatever its length.
"""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from ..lifecycle import DeviceStatus
from ..models import Device, DeviceEvent, DeviceKind, DonationBatch, Donor, ImportRun, Location, WipeRecord

# A device counts as reused once it has been lent or given to someone (even if it came back).
REUSED_STATUSES = (DeviceStatus.ON_LOAN, DeviceStatus.GIVEN_AWAY)


def _successful_wipe(device_ref: str = "pk"):
    return WipeRecord.objects.filter(device_id=OuterRef(device_ref), succeeded=True)


def _reused(device_ref: str = "pk"):
    return DeviceEvent.objects.filter(device_id=OuterRef(device_ref), to_status__in=REUSED_STATUSES)


def _count_devices(devices: QuerySet) -> Subquery:
    counted = devices.order_by().values("batch_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_counts(batches: QuerySet) -> QuerySet:
    """Annotate registered / wiped / reused device counts on a queryset of batches."""
    devices = Device.objects.filter(batch_id=OuterRef("pk"))
    return batches.annotate(
        registered_count=_count_devices(devices),
        wiped_count=_count_devices(devices.filter(Exists(_successful_wipe()))),
        reused_count=_count_devices(devices.filter(Exists(_reused()))),
    )


def donor_list(*, membership, q: str = "") -> QuerySet[Donor]:
    qs = Donor.objects.visible_to(membership).annotate(batch_count=Count("batches"))
    if q := q.strip():
        qs = qs.filter(Q(name__icontains=q) | Q(vat_number__icontains=q.replace(" ", "").replace(".", "")))
    return qs.order_by("name", "pk")


def donor_get(*, membership, pk) -> Donor:
    """One donor with its ``batch_count``, or 404 (other network, or a role without device.view)."""
    try:
        return donor_list(membership=membership).get(pk=pk)
    except (Donor.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def batch_list(*, membership, donor: Donor | None = None, year: int | None = None) -> QuerySet[DonationBatch]:
    qs = DonationBatch.objects.visible_to(membership).select_related("donor", "collection_point")
    if donor is not None:
        qs = qs.filter(donor=donor)
    if year:
        qs = qs.filter(received_on__year=year)
    return with_counts(qs).order_by("-received_on", "-pk")


def batch_years(*, membership) -> list[int]:
    dates = DonationBatch.objects.visible_to(membership).dates("received_on", "year", order="DESC")
    return [d.year for d in dates]


def batch_devices(*, membership, batch: DonationBatch) -> QuerySet[Device]:
    """The batch's devices with a ``wiped`` flag (a successful wipe exists) and their location."""
    return (
        Device.objects.visible_to(membership)
        .filter(batch=batch)
        .select_related("location")
        .annotate(wiped=Exists(_successful_wipe()))
        .order_by("asset_tag")
    )


def batch_with_counts(*, membership, pk) -> DonationBatch:
    try:
        return batch_list(membership=membership).get(pk=pk)
    except (DonationBatch.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def batch_kind_counts(*, devices) -> list[tuple[str, int]]:
    """[(kind label, number)] of a batch's devices, most common first (for the receipt)."""
    counts = Counter(d.kind for d in devices)
    return [(str(DeviceKind(kind).label), n) for kind, n in counts.most_common()]


def certificate_devices(
    *, batch: DonationBatch
) -> tuple[list[tuple[Device, list[WipeRecord]]], list[Device]]:
    """What the data-wipe certificate shows: (wiped devices with their wipes, devices not yet wiped).

    Per device and per disk the *first* successful wipe is the one that erased the donor's
    data; later wipes (after a loan) erased a borrower's data and do not belong on the
    donor's certificate. Failed attempts are not listed; a device without any successful
    wipe is listed as "not yet wiped" — never left out.
    """
    successful = (
        WipeRecord.objects.filter(succeeded=True).select_related("operator").order_by("performed_at", "pk")
    )
    devices = (
        Device.objects.in_network(batch.network_id)
        .filter(batch=batch)
        .prefetch_related(Prefetch("wipes", queryset=successful, to_attr="successful_wipes"))
        .order_by("asset_tag")
    )
    wiped, not_wiped = [], []
    for device in devices:
        first_per_disk: dict[str, WipeRecord] = {}
        for wipe in device.successful_wipes:
            first_per_disk.setdefault(wipe.disk_serial_key, wipe)
        if first_per_disk:
            wiped.append((device, list(first_per_disk.values())))
        else:
            not_wiped.append(device)
    return wiped, not_wiped


def donor_choices(*, network, current_id: int | None = None) -> QuerySet[Donor]:
    """Donors a batch can be registered for; an anonymised donor only stays on its old batches."""
    return (
        Donor.objects.in_network(network)
        .filter(Q(anonymised_at__isnull=True) | Q(pk=current_id))
        .order_by("name")
    )


def location_choices(*, network, current_id: int | None = None) -> QuerySet[Location]:
    return Location.objects.in_network(network).filter(Q(is_active=True) | Q(pk=current_id)).order_by("name")


def import_runs(*, membership, limit: int = 10) -> QuerySet[ImportRun]:
    return ImportRun.objects.in_network(membership.network_id).select_related("imported_by")[:limit]
