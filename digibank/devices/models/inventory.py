"""Devices: from donation to loan to recycling. Read by the service desk and coordinators;
PC-doctor volunteers see only the devices of their own repair tasks."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from digibank.lib.serials import serial_key, serial_keys
from digibank.networks.roles import Role
from digibank.networks.scoping import NetworkOwned, NetworkQuerySet

from ..lifecycle import DeviceStatus


class DeviceKind(models.TextChoices):
    LAPTOP = "laptop", _("Laptop")
    DESKTOP = "desktop", _("Desktop")
    TABLET = "tablet", _("Tablet")
    SMARTPHONE = "smartphone", _("Smartphone")
    SCREEN = "screen", _("Screen")
    ACCESSORY = "accessory", _("Accessory")


class Condition(models.TextChoices):
    A = "a", _("A – as new")
    B = "b", _("B – signs of use")
    C = "c", _("C – works, visible damage")
    BROKEN = "broken", _("Broken")


class Location(NetworkOwned):
    """Where devices are kept: the workshop, a storage room, a digipunt, a partner's office."""

    visible_with = ("device.view",)

    name = models.CharField(_("name"), max_length=150)
    address = models.CharField(_("address"), max_length=250, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="location_unique_name_per_network")
        ]

    def __str__(self) -> str:
        return self.name


class DeviceQuerySet(NetworkQuerySet):
    def narrow_for(self, membership):
        """Device staff see every device; a PC-doctor volunteer the devices of their repair tasks."""
        if membership.has("device.view"):
            return self
        if membership.role == Role.VOLUNTEER:
            assigned = RepairTask.objects.in_network(membership.network_id).filter(
                assigned_to_id=membership.user_id
            )
            return self.filter(pk__in=assigned.values("device_id"))
        return self.none()


class Device(NetworkOwned):
    """One physical device with its asset tag (printed on a QR label) and its specs."""

    visible_with = ("device.view", "repair.work")

    asset_tag = models.CharField(_("asset tag"), max_length=20)
    kind = models.CharField(_("kind"), max_length=20, choices=DeviceKind.choices)
    brand = models.CharField(_("brand"), max_length=80, blank=True)
    model = models.CharField(_("model"), max_length=120, blank=True)
    serial = models.CharField(_("serial number"), max_length=100, blank=True)
    # lib.serials.serial_key(serial), set on every save: what matching and uniqueness compare.
    serial_key = models.CharField(max_length=400, blank=True, editable=False)
    # Internal disks, so an nwipe log (which names disks, not machines) finds its device.
    disk_serials = models.CharField(
        _("disk serial numbers"),
        max_length=300,
        blank=True,
        help_text=_("Serial numbers of the internal disks, separated by commas (filled in from lshw)"),
    )
    # The keys of disk_serials, space-separated with a space at each end (" k1 k2 "), so
    # ``contains=" key "`` finds one whole key the same way on every database.
    disk_serial_keys = models.CharField(max_length=1200, blank=True, editable=False)
    cpu = models.CharField(_("processor"), max_length=120, blank=True)
    ram_gb = models.DecimalField(_("memory (GB)"), max_digits=6, decimal_places=1, null=True, blank=True)
    storage_gb = models.PositiveIntegerField(_("storage (GB)"), null=True, blank=True)
    storage_type = models.CharField(_("storage type"), max_length=20, blank=True)
    battery_health = models.PositiveSmallIntegerField(_("battery health (%)"), null=True, blank=True)
    os = models.CharField(_("operating system"), max_length=80, blank=True)
    keyboard_layout = models.CharField(_("keyboard layout"), max_length=20, blank=True)
    condition = models.CharField(_("condition"), max_length=10, choices=Condition.choices, blank=True)
    weight_kg = models.DecimalField(
        _("weight (kg)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("For the impact figure"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DeviceStatus.choices, default=DeviceStatus.RECEIVED
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="devices",
        verbose_name=_("location"),
    )
    batch = models.ForeignKey(
        "devices.DonationBatch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="devices",
        verbose_name=_("donation batch"),
    )
    notes = models.TextField(_("notes"), blank=True)
    last_seen_at = models.DateTimeField(_("last seen at a stock-take"), null=True, blank=True)
    recycler = models.CharField(_("recycler"), max_length=150, blank=True)
    recycler_certificate = models.CharField(_("recycler certificate number"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    status_changed_at = models.DateTimeField(_("status since"), auto_now_add=True)

    objects = DeviceQuerySet.as_manager()

    class Meta:
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        ordering = ["asset_tag"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "asset_tag"], name="device_unique_asset_tag_per_network"
            ),
            models.UniqueConstraint(
                fields=["network", "serial_key"],
                condition=~Q(serial_key=""),
                name="device_unique_serial_key_per_network",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in DeviceStatus]), name="device_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in DeviceKind]), name="device_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(battery_health__isnull=True) | Q(battery_health__lte=100),
                name="device_battery_percent",
            ),
        ]
        indexes = [
            # Stock overview and "what waits for wipe / repair / check": counts by status.
            models.Index(fields=["network", "status"], name="device_status_idx"),
        ]

    def __str__(self) -> str:
        label = " ".join(p for p in [self.brand, self.model] if p) or self.get_kind_display()
        return f"{self.asset_tag} – {label}"

    def fill_serial_keys(self) -> None:
        """Set the keys from the serials (save() does; a bulk_create must call it itself)."""
        self.serial_key = serial_key(self.serial)
        keys = serial_keys(self.disk_serials)
        self.disk_serial_keys = f" {' '.join(keys)} " if keys else ""

    def save(self, *args, **kwargs):
        # The keys follow the serials in one place, whichever service saves the device.
        self.fill_serial_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            extra = {"serial": "serial_key", "disk_serials": "disk_serial_keys"}
            kwargs["update_fields"] = {*update_fields, *(extra[f] for f in update_fields if f in extra)}
        super().save(*args, **kwargs)


class DeviceEvent(NetworkOwned):
    """One step of a device's history: a status change (who, when, why) or a note-worthy event.

    Append-only; replaying the status changes in order gives the current status.
    """

    visible_with = ("device.view",)

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("when"), auto_now_add=True)
    from_status = models.CharField(_("from"), max_length=20, choices=DeviceStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=DeviceStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["network", "device", "at"], name="deviceevent_device_idx")]


class WipeMethod(models.TextChoices):
    CLEAR = "clear", _("NIST SP 800-88 Clear")
    PURGE = "purge", _("NIST SP 800-88 Purge")
    DESTROY = "destroy", _("NIST SP 800-88 Destroy")


class VerifyMode(models.TextChoices):
    LAST = "last", _("last pass verified")
    ALL = "all", _("every pass verified")
    NONE = "none", _("not verified")


class WipeRecord(NetworkOwned):
    """A data wipe of (one disk of) a device. A device is lendable only after a successful one.

    An nwipe import keeps everything its log says (version, method, passes, verification,
    blanking, start and end, result): the wipe certificate and the device page show it.
    """

    visible_with = ("device.view",)

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="wipes")
    method = models.CharField(_("method"), max_length=10, choices=WipeMethod.choices)
    tool = models.CharField(_("tool"), max_length=100)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("operator"),
    )
    operator_name = models.CharField(_("operator name"), max_length=150, blank=True)
    performed_at = models.DateTimeField(_("performed at"))
    succeeded = models.BooleanField(_("successful"))
    verification = models.CharField(_("verification"), max_length=300, blank=True)
    disk_serial = models.CharField(_("disk serial"), max_length=100, blank=True)
    disk_serial_key = models.CharField(max_length=400, blank=True, editable=False)
    source = models.CharField(_("source"), max_length=20, default="manual")  # manual | nwipe
    # What the wiping tool's log says (empty/None for a wipe recorded by hand without it).
    tool_version = models.CharField(_("tool version"), max_length=30, blank=True)
    tool_method = models.CharField(_("wipe method (tool)"), max_length=60, blank=True)
    passes = models.PositiveSmallIntegerField(_("overwrite passes"), null=True, blank=True)
    rounds = models.PositiveSmallIntegerField(_("rounds"), null=True, blank=True)
    verify_mode = models.CharField(_("verification"), max_length=10, choices=VerifyMode.choices, blank=True)
    blanking = models.BooleanField(_("blanking pass"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("data wipe")
        verbose_name_plural = _("data wipes")
        ordering = ["-performed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(started_at__isnull=True) | Q(started_at__lte=models.F("performed_at")),
                name="wiperecord_starts_before_it_ends",
            ),
        ]
        indexes = [
            # nwipe matching: the disk of an earlier wipe points at its device.
            models.Index(fields=["network", "disk_serial_key"], name="wipe_disk_key_idx"),
        ]

    def save(self, *args, **kwargs):
        self.disk_serial_key = serial_key(self.disk_serial)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "disk_serial" in update_fields:
            kwargs["update_fields"] = {*update_fields, "disk_serial_key"}
        super().save(*args, **kwargs)

    @property
    def log_details(self) -> list[str]:
        """What the tool's log said, as short phrases for the device page and the certificate."""
        parts = []
        if self.tool_method:
            parts.append(self.tool_method)
        if self.passes is not None:
            parts.append(
                ngettext("%(n)d overwrite pass", "%(n)d overwrite passes", self.passes) % {"n": self.passes}
            )
        if self.rounds is not None:
            parts.append(ngettext("%(n)d round", "%(n)d rounds", self.rounds) % {"n": self.rounds})
        if self.verify_mode:
            parts.append(str(self.get_verify_mode_display()))
        if self.blanking is not None:
            parts.append(str(_("blanking pass") if self.blanking else _("no blanking pass")))
        if self.started_at is not None:
            start, end = timezone.localtime(self.started_at), timezone.localtime(self.performed_at)
            parts.append(
                gettext("from %(start)s to %(end)s")
                % {
                    "start": date_format(start, "SHORT_DATETIME_FORMAT"),
                    "end": date_format(
                        end, "SHORT_DATETIME_FORMAT" if end.date() != start.date() else "TIME_FORMAT"
                    ),
                }
            )
        if self.result:
            parts.append(gettext("result: %(result)s") % {"result": self.result})
        return parts


class QualityCheck(NetworkOwned):
    """The checklist before a device may be lent. ``items`` maps checklist keys to True/False."""

    visible_with = ("device.view",)

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="quality_checks")
    checked_at = models.DateTimeField(_("checked at"), auto_now_add=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    items = models.JSONField(_("checklist"), default=dict)
    passed = models.BooleanField(_("passed"))
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        ordering = ["-checked_at", "-pk"]


class RepairStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class RepairTaskQuerySet(NetworkQuerySet):
    def narrow_for(self, membership):
        """Device staff see every task of the network; a volunteer only the tasks assigned to them."""
        if membership.has("device.view"):
            return self
        return self.filter(assigned_to_id=membership.user_id)


class RepairTask(NetworkOwned):
    """A repair job for a PC-doctor volunteer, who sees only their own tasks."""

    visible_with = ("device.view", "repair.work")

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="repair_tasks")
    title = models.CharField(_("what to do"), max_length=200)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="repair_tasks",
        verbose_name=_("assigned to"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RepairStatus.choices, default=RepairStatus.OPEN
    )
    diagnosis = models.TextField(_("diagnosis"), blank=True)
    parts_used = models.CharField(_("parts used"), max_length=300, blank=True)
    minutes_spent = models.PositiveIntegerField(_("minutes spent"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    objects = RepairTaskQuerySet.as_manager()

    class Meta:
        ordering = ["status", "created_at"]
        indexes = [models.Index(fields=["network", "assigned_to", "status"], name="repair_assignee_idx")]


class StockTake(NetworkOwned):
    """Counting what is at a location: scans confirm devices; the rest is "expected, not seen"."""

    visible_with = ("device.view",)

    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="stock_takes")
    started_at = models.DateTimeField(auto_now_add=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Snapshot taken when closing: ids of the devices expected here (in stock) but not scanned,
    # so the report stays what it was even after those devices move on.
    missing_device_ids = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-started_at"]

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class StockTakeScan(NetworkOwned):
    visible_with = ("device.view",)

    stock_take = models.ForeignKey(StockTake, on_delete=models.CASCADE, related_name="scans")
    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="+")
    scanned_at = models.DateTimeField(auto_now_add=True)
    scanned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # Where the device was registered before this scan moved it to the stock-take's location.
    moved_from = models.ForeignKey(
        Location, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-scanned_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "stock_take", "device"], name="stocktakescan_once_per_device"
            ),
        ]
