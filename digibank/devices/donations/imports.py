"""Bulk import of devices and donations from XLSX or CSV: reading, checking and planning.

Plain Python, independent of the views: ``plan_import`` reads a file and checks every row
against the file itself and the database, and returns an ``ImportPlan`` — per row what
would be created, or every bad row with its number and the reason. It writes nothing.
``import_run_create`` plans again and, only when the plan is clean, writes all
rows in one transaction. So the dry run and the real import apply the very same checks.

Row numbers are the spreadsheet's own (a title row above the header counts), so a desk
worker finds the row in Excel. Empty rows are skipped but keep their number.

Reading the file (title rows, Dutch/French/English column names, encodings, delimiters,
formulas) is ``sheets.py``. A column nobody knows is not an error to fix in the file but a
question: ``plan.unmapped`` lists them, the import page asks what each holds, and the answer
is remembered per network (``ImportColumnMapping``) for the next file.

Values as people write them: decimals with a comma ("8,5"), units ("8 GB", "1,58 kg",
"84 %", "1 TB"), conditions and kinds in Dutch, French or English ("goed", "mauvais",
"portable"), dates as date cells or 14/03/2026, 14-3-26, 2026-03-14; an impossible date
(31/02/2026) is named with its row.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Upper
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import (
    Condition,
    DeviceKind,
    DonationBatch,
    Donor,
    DonorKind,
    ImportColumnMapping,
    ImportKind,
    ImportRun,
    Location,
)
from ..services import device_register
from . import services
from .services import donor_person_problems, serials_taken, vat_normalise
from .sheets import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    VALUE_SYNONYMS,
    ImportFileError,
    cell_text,
    field_for,
    header_key,
    read_sheet,
    synonym_fields,
    value_key,
)

__all__ = ["MAX_FILE_BYTES", "MAX_ROWS", "ImportFileError"]


@dataclass(frozen=True)
class Column:
    key: str
    help: str
    example: str
    required: bool = False
    max_length: int | None = None


DEVICE_COLUMNS = [
    Column("kind", gettext_lazy("laptop, desktop, tablet, smartphone, screen or accessory"), "laptop", True),
    Column("brand", gettext_lazy("Manufacturer"), "Lenovo", max_length=80),
    Column("model", gettext_lazy("Model name"), "ThinkPad T480", max_length=120),
    Column("serial", gettext_lazy("Serial number; unique in the network"), "PF1A2B3C", max_length=100),
    Column("batch", gettext_lazy("Reference of an existing donation batch"), "D2026-0001"),
    Column(
        "location", gettext_lazy("Name of an existing location; default: the batch's collection point"), ""
    ),
    Column("condition", gettext_lazy("a, b, c or broken"), "b"),
    Column("cpu", gettext_lazy("Processor"), "Intel Core i5-8250U", max_length=120),
    Column("ram_gb", gettext_lazy("Memory in GB"), "8"),
    Column("storage_gb", gettext_lazy("Storage in GB (whole number)"), "256"),
    Column("storage_type", gettext_lazy("SSD, HDD, eMMC …"), "SSD", max_length=20),
    Column("battery_health", gettext_lazy("Battery health in % (0–100)"), "84"),
    Column("os", gettext_lazy("Operating system"), "Linux Mint 22", max_length=80),
    Column("keyboard_layout", gettext_lazy("AZERTY-BE, QWERTY-US …"), "AZERTY-BE", max_length=20),
    Column("weight_kg", gettext_lazy("Weight in kg, for the impact figure"), "1,58"),
    Column("received_on", gettext_lazy("Date the device came in; kept in its notes"), ""),
    Column("notes", gettext_lazy("Free text"), ""),
]

DONATION_COLUMNS = [
    Column(
        "donor_name",
        gettext_lazy("Company, organisation or person; an existing donor of the same name is reused"),
        "Voorbeeld NV",
        True,
        200,
    ),
    Column("donor_kind", gettext_lazy("organisation or person"), "organisation", True),
    Column(
        "donor_vat", gettext_lazy("Belgian enterprise / VAT number (organisations only)"), "BE 0403.170.701"
    ),
    Column(
        "donor_contact", gettext_lazy("Contact person (organisations only)"), "An Peeters", max_length=150
    ),
    Column("donor_email", gettext_lazy("E-mail"), "it@voorbeeld.example"),
    Column("donor_phone", gettext_lazy("Phone"), "016 12 34 56", max_length=40),
    Column(
        "donor_address",
        gettext_lazy("Address (organisations only)"),
        "Bondgenotenlaan 1, 3000 Leuven",
        max_length=250,
    ),
    Column("received_on", gettext_lazy("Date the batch came in"), "14/03/2026", True),
    Column("collection_point", gettext_lazy("Name of an existing location"), ""),
    Column("expected_count", gettext_lazy("Number of devices announced (whole number)"), "12"),
    Column(
        "reference",
        gettext_lazy("Leave empty to generate (D2026-0001); give one to keep an old reference"),
        "",
        max_length=20,
    ),
    Column("notes", gettext_lazy("Free text"), ""),
]

COLUMNS = {ImportKind.DEVICES: DEVICE_COLUMNS, ImportKind.DONATIONS: DONATION_COLUMNS}


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class PlannedRow:
    row: int
    values: dict
    summary: str


@dataclass
class ImportPlan:
    kind: str
    filename: str
    sha256: str
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    header_row: int = 1
    # Columns whose meaning nobody knows yet: (header key, header as written). The mapping step.
    unmapped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_errors and not self.unmapped and bool(self.rows)

    @property
    def bad_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors})

    def errors_by_row(self) -> list[tuple[int, list[RowError]]]:
        grouped: dict[int, list[RowError]] = defaultdict(list)
        for error in self.errors:
            grouped[error.row].append(error)
        return sorted(grouped.items())


def content_hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


# --- reading files: sheets.py ------------------------------------------------------------

_text = cell_text


# --- parsing values ------------------------------------------------------------------------


class BadValue(ValueError):
    pass


# A number with its unit, as people type it: "8 GB", "8GB", "1,58 kg", "84 %", "1 TB".
_NUMBER_WITH_UNIT = re.compile(r"^(?P<number>[0-9][0-9 ]*(?:[.,][0-9]+)?)\s*(?P<unit>[a-z%]*)$")


def _number_text(value, units: dict[str, int]) -> tuple[str, int]:
    """The number's text (decimal point) and the unit's multiplier; BadValue for anything else."""
    text = _text(value).casefold().replace("\u00a0", " ").strip()
    match = _NUMBER_WITH_UNIT.match(text)
    if not match or match["unit"] not in units:
        raise BadValue(_("“%(value)s” is not a number.") % {"value": _text(value)})
    number = match["number"].replace(" ", "").replace(",", ".")  # Belgian decimal comma
    return number, units[match["unit"]]


GB_UNITS = {"": 1, "gb": 1, "go": 1, "g": 1, "tb": 1000, "to": 1000}
KG_UNITS = {"": 1, "kg": 1}
PERCENT_UNITS = {"": 1, "%": 1}
NO_UNITS = {"": 1}


def _decimal(value, *, places: int, max_digits: int, units: dict[str, int] = NO_UNITS) -> Decimal:
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = Decimal(str(value))
    else:
        text, multiplier = _number_text(value, units)
        number = Decimal(text) * multiplier
    quantum = Decimal(1).scaleb(-places)
    try:
        if number != number.quantize(quantum):
            raise BadValue(
                _("“%(value)s” has more than %(places)s decimals.")
                % {"value": _text(value), "places": places}
            )
        number = number.quantize(quantum)
    except InvalidOperation as exc:
        raise BadValue(_("“%(value)s” is too large.") % {"value": _text(value)}) from exc
    if number >= Decimal(10) ** (max_digits - places):
        raise BadValue(_("“%(value)s” is too large.") % {"value": _text(value)})
    return number


def _integer(
    value, *, minimum: int = 0, maximum: int = 2_000_000_000, units: dict[str, int] = NO_UNITS
) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        text, multiplier = _number_text(value, units)
        if not re.fullmatch(r"\d+(\.\d+)?", text) or Decimal(text) * multiplier != int(
            Decimal(text) * multiplier
        ):
            raise BadValue(_("“%(value)s” is not a whole number.") % {"value": _text(value)})
        number = int(Decimal(text) * multiplier)
    if not minimum <= number <= maximum:
        raise BadValue(
            _("%(value)s is not between %(min)s and %(max)s.")
            % {"value": number, "min": minimum, "max": maximum}
        )
    return number


_DAY_FIRST = re.compile(r"^(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4}|\d{2})$")
_ISO = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$")
_EXCEL_EPOCH = datetime.date(1899, 12, 30)


def _date(value) -> datetime.date:
    """A date cell, 14/03/2026, 14-3-26, 14.03.2026 or 2026-03-14 (day first, as in Belgium)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 20_000 <= value <= 80_000:
        # A date cell that lost its date format shows Excel's day number (46095 = 14/03/2026).
        return _EXCEL_EPOCH + datetime.timedelta(days=int(value))
    text = _text(value)
    match = _DAY_FIRST.match(text) or _ISO.match(text)
    if not match:
        raise BadValue(_("“%(value)s” is not a date (write it as 14/03/2026).") % {"value": text})
    year = int(match["y"])
    if year < 100:
        year += 2000
    try:
        return datetime.date(year, int(match["m"]), int(match["d"]))
    except ValueError as exc:
        raise BadValue(
            _("“%(value)s” is a date that does not exist (day %(day)s of month %(month)s).")
            % {"value": text, "day": int(match["d"]), "month": int(match["m"])}
        ) from exc


def _choice_map(choices, extra: dict[str, str] | None = None) -> dict[str, str]:
    """A choice's value and label in every interface language, and the words people use for
    it (sheets.VALUE_SYNONYMS), keyed by ``value_key`` (case and accents ignored)."""
    mapping = {value_key(value): value for value, _label in choices}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for value, label in choices:
                mapping.setdefault(value_key(str(label)), value)
    for synonym, value in (extra or {}).items():
        mapping.setdefault(value_key(synonym), value)
    return mapping


# --- planning ------------------------------------------------------------------------------


class _RowChecker:
    """Collects the errors of one row; ``get`` returns the cell text or records why it is bad."""

    def __init__(self, plan: ImportPlan, number: int, cells: dict):
        self.plan, self.number, self.cells = plan, number, cells
        self.bad = False

    def error(self, column: str, message: str) -> None:
        self.bad = True
        self.plan.errors.append(RowError(self.number, column, str(message)))

    def text(self, column: Column) -> str:
        value = _text(self.cells.get(column.key))
        if column.required and not value:
            self.error(column.key, _("This column is required."))
        elif column.max_length and len(value) > column.max_length:
            self.error(column.key, _("Longer than %(max)s characters.") % {"max": column.max_length})
        return value

    def parse(self, column: str, parser, **kwargs):
        raw = self.cells.get(column)
        if not _text(raw):
            return None
        try:
            return parser(raw, **kwargs)
        except BadValue as exc:
            self.error(column, str(exc))
            return None


def column_mappings(*, network_id: int, kind: str) -> dict[str, str]:
    """The network's remembered answers of the mapping step: header key -> field ("" = ignore)."""
    return dict(
        ImportColumnMapping.objects.in_network(network_id)
        .filter(kind=kind)
        .values_list("header_key", "field")
    )


def known_headers(*, network_id: int, kind: str) -> dict[str, str]:
    """Header key -> target field ("" = ignore): the synonym table, then the network's own
    mappings (which win: a network that maps "type" to the model means it)."""
    known = synonym_fields(kind)
    known.update(column_mappings(network_id=network_id, kind=kind))
    return known


def mapping_choices(kind: str) -> list[tuple[str, str]]:
    """What a column may hold in the mapping step: each field of the import, or nothing."""
    return [("", _("Ignore this column"))] + [
        (c.key, f"{c.key} – {c.help}") for c in COLUMNS[ImportKind(kind)]
    ]


@transaction.atomic
def column_mappings_save(*, network, actor, kind: str, answers: dict[str, str]) -> None:
    """Remember what the network's columns hold (header key -> field, "" to ignore)."""
    allowed = {c.key for c in COLUMNS[ImportKind(kind)]} | {""}
    for key, target in answers.items():
        if not key or len(key) > 200 or target not in allowed:
            raise ValidationError(_("“%(value)s” is not a column of this import.") % {"value": target})
        ImportColumnMapping.objects.update_or_create(
            network_id=network.pk,
            kind=kind,
            header_key=key,
            defaults={"field": target, "updated_by": actor},
        )


def _resolve_headers(plan: ImportPlan, sheet, known: dict[str, str], columns: list[Column]) -> list[str]:
    """The target field of each column ("" for an empty or ignored one); unknown headers go to
    ``plan.unmapped`` (the mapping step) and are named on the header row."""
    fields: list[str] = []
    labels_of: dict[str, list[str]] = defaultdict(list)
    for label in sheet.labels:
        key = header_key(label)
        target = field_for(key, known) if key else ""
        if target is None:
            if key not in {k for k, _label in plan.unmapped}:
                plan.unmapped.append((key, label))
                plan.errors.append(
                    RowError(
                        sheet.header_row,
                        label,
                        _("Unknown column “%(column)s”; say below what it holds or rename it.")
                        % {"column": label},
                    )
                )
            target = ""
        fields.append(target)
        if target:
            labels_of[target].append(label)
    for target, labels in labels_of.items():
        if len(labels) > 1:
            plan.errors.append(
                RowError(
                    sheet.header_row,
                    target,
                    _("Several columns hold “%(column)s”: %(labels)s.")
                    % {"column": target, "labels": ", ".join(f"“{label}”" for label in labels)},
                )
            )
    for column in columns:
        if column.required and column.key not in labels_of:
            plan.errors.append(
                RowError(
                    sheet.header_row,
                    column.key,
                    _("The required column “%(column)s” is missing.") % {"column": column.key},
                )
            )
    return fields


def _flag_unsaved_formulas(plan: ImportPlan, sheet, fields: list[str]) -> None:
    for (number, index), cell in sorted(sheet.unsaved_formulas.items()):
        if index < len(fields) and fields[index]:
            plan.errors.append(
                RowError(
                    number,
                    fields[index],
                    _(
                        "Row %(row)s, column %(column)s (cell %(cell)s): a formula without a saved value "
                        "— open and save the file in Excel first."
                    )
                    % {"row": number, "column": cell.rstrip("0123456789"), "cell": cell},
                )
            )


def _cells(headers: list[str], values: list) -> dict:
    return {key: value for key, value in zip(headers, values, strict=False) if key}


def _locations_by_name(network_id: int) -> dict[str, Location]:
    return {loc.name.strip().lower(): loc for loc in Location.objects.in_network(network_id)}


def _occurrences(all_cells, column: str) -> dict[str, list[int]]:
    """Value (as first written) -> the rows holding it, compared case-insensitively."""
    first_spelling: dict[str, str] = {}
    rows: dict[str, list[int]] = defaultdict(list)
    for number, cells in all_cells:
        if value := _text(cells.get(column)):
            spelling = first_spelling.setdefault(value.upper(), value)
            rows[spelling].append(number)
    return rows


def _flag_duplicates(plan: ImportPlan, column: str, occurrences: dict[str, list[int]], message) -> None:
    """``occurrences``: value as first written -> rows (compared case-insensitively by the caller)."""
    for value, rows in occurrences.items():
        if len(rows) > 1:
            listed = ", ".join(str(r) for r in rows)
            for row in rows:
                plan.errors.append(RowError(row, column, message % {"value": value, "rows": listed}))


def _plan_devices(plan: ImportPlan, *, network_id: int, headers: list[str], rows) -> None:
    columns = {c.key: c for c in DEVICE_COLUMNS}
    kinds = _choice_map(DeviceKind.choices, VALUE_SYNONYMS["kind"])
    conditions = _choice_map(Condition.choices, VALUE_SYNONYMS["condition"])
    locations = _locations_by_name(network_id)
    all_cells = [(number, _cells(headers, values)) for number, values in rows]
    wanted_refs = {_text(c.get("batch")).upper() for _n, c in all_cells if _text(c.get("batch"))}
    batches = {
        b.reference_upper: b
        for b in DonationBatch.objects.in_network(network_id)
        .annotate(reference_upper=Upper("reference"))
        .filter(reference_upper__in=wanted_refs)
        .select_related("collection_point")
    }
    serial_rows = _occurrences(all_cells, "serial")
    in_database = serials_taken(network_id=network_id, serials=serial_rows)

    for number, cells in all_cells:
        row = _RowChecker(plan, number, cells)
        values = {
            key: row.text(columns[key])
            for key in ("brand", "model", "serial", "cpu", "storage_type", "os", "keyboard_layout")
        }
        values["notes"] = row.text(columns["notes"])
        kind_text = row.text(columns["kind"])
        if kind_text:
            values["kind"] = kinds.get(value_key(kind_text))
            if values["kind"] is None:
                row.error(
                    "kind",
                    _("Unknown kind “%(value)s”; use one of: %(choices)s.")
                    % {"value": kind_text, "choices": ", ".join(DeviceKind.values)},
                )
        if condition_text := _text(cells.get("condition")):
            values["condition"] = conditions.get(value_key(condition_text))
            if values["condition"] is None:
                row.error(
                    "condition",
                    _("Unknown condition “%(value)s”; use a, b, c or broken (or goed, slecht, kapot …).")
                    % {"value": condition_text},
                )
        values["ram_gb"] = row.parse("ram_gb", _decimal, places=1, max_digits=6, units=GB_UNITS)
        values["storage_gb"] = row.parse("storage_gb", _integer, units=GB_UNITS)
        values["battery_health"] = row.parse("battery_health", _integer, maximum=100, units=PERCENT_UNITS)
        values["weight_kg"] = row.parse("weight_kg", _decimal, places=2, max_digits=5, units=KG_UNITS)
        # Devices have no date of their own (their batch has one): a sheet's "datum ontvangst"
        # is checked and kept in the notes rather than silently dropped.
        if received_on := row.parse("received_on", _date):
            if received_on > timezone.localdate():
                row.error(
                    "received_on",
                    _("%(value)s is in the future.") % {"value": received_on.strftime("%d/%m/%Y")},
                )
            line = _("Received on %(date)s.") % {"date": received_on.strftime("%d/%m/%Y")}
            values["notes"] = f"{line}\n{values['notes']}".strip()
        batch = None
        if reference := _text(cells.get("batch")):
            batch = batches.get(reference.upper())
            if batch is None:
                row.error("batch", _("No donation batch with reference “%(value)s”.") % {"value": reference})
        if location_name := _text(cells.get("location")):
            values["location"] = locations.get(location_name.lower())
            if values["location"] is None:
                row.error("location", _("No location called “%(value)s”.") % {"value": location_name})
        if values["serial"] and values["serial"].upper() in in_database:
            row.error(
                "serial",
                _("A device with serial number %(value)s is already registered.")
                % {"value": values["serial"]},
            )
        if not row.bad:
            values["batch"] = batch
            plan.rows.append(PlannedRow(number, values, _device_summary(values)))
    _flag_duplicates(
        plan,
        "serial",
        serial_rows,
        _("Serial number %(value)s appears more than once in the file (rows %(rows)s)."),
    )
    bad = set(plan.bad_rows)
    plan.rows = [r for r in plan.rows if r.row not in bad]


def _device_summary(values: dict) -> str:
    parts = [str(DeviceKind(values["kind"]).label), values["brand"], values["model"]]
    summary = " ".join(p for p in parts if p)
    if values["serial"]:
        summary += " · " + _("serial %(serial)s") % {"serial": values["serial"]}
    if values.get("batch"):
        summary += " · " + _("batch %(reference)s") % {"reference": values["batch"].reference}
    location = values.get("location") or (values["batch"].collection_point if values.get("batch") else None)
    if location:
        summary += " · " + str(location)
    return summary


def _plan_donations(plan: ImportPlan, *, network_id: int, headers: list[str], rows) -> None:
    columns = {c.key: c for c in DONATION_COLUMNS}
    kinds = _choice_map(DonorKind.choices, VALUE_SYNONYMS["donor_kind"])
    locations = _locations_by_name(network_id)
    today = timezone.localdate()
    all_cells = [(number, _cells(headers, values)) for number, values in rows]
    existing_donors: dict[str, list[Donor]] = defaultdict(list)
    # Matched in Python: a network has at most a few hundred donors, and SQLite's UPPER()
    # ignores accents ("Élan" vs "élan"), which a name comparison must not.
    for donor in Donor.objects.in_network(network_id).only("pk", "name", "kind"):
        existing_donors[donor.name.strip().lower()].append(donor)
    reference_rows = _occurrences(all_cells, "reference")
    references_taken = set(
        DonationBatch.objects.in_network(network_id)
        .annotate(reference_upper=Upper("reference"))
        .filter(reference_upper__in={r.upper() for r in reference_rows})
        .values_list("reference_upper", flat=True)
    )
    first_seen: dict[str, tuple[int, str]] = {}  # donor name -> (row, kind) of its first row in the file

    for number, cells in all_cells:
        row = _RowChecker(plan, number, cells)
        donor = {
            "name": row.text(columns["donor_name"]),
            "vat_number": row.text(columns["donor_vat"]),
            "contact_name": row.text(columns["donor_contact"]),
            "email": row.text(columns["donor_email"]),
            "phone": row.text(columns["donor_phone"]),
            "address": row.text(columns["donor_address"]),
            "kind": None,
        }
        kind_text = row.text(columns["donor_kind"])
        if kind_text:
            donor["kind"] = kinds.get(value_key(kind_text))
            if donor["kind"] is None:
                row.error(
                    "donor_kind",
                    _("Unknown donor kind “%(value)s”; use organisation or person.") % {"value": kind_text},
                )
        if donor["kind"] == DonorKind.PERSON:
            for field_name, message in donor_person_problems(donor).items():
                row.error(
                    {"vat_number": "donor_vat", "contact_name": "donor_contact", "address": "donor_address"}[
                        field_name
                    ],
                    message,
                )
        elif donor["vat_number"]:
            try:
                donor["vat_number"] = vat_normalise(donor["vat_number"])
            except ValidationError as exc:
                row.error("donor_vat", exc.messages[0])
        if donor["email"]:
            try:
                validate_email(donor["email"])
            except ValidationError:
                row.error(
                    "donor_email", _("“%(value)s” is not an e-mail address.") % {"value": donor["email"]}
                )
        existing = None
        key = donor["name"].lower()
        if donor["name"] and donor["kind"]:
            matches = existing_donors.get(key, [])
            if len(matches) > 1:
                row.error(
                    "donor_name",
                    _("Several donors are called “%(value)s”; rename one first.") % {"value": donor["name"]},
                )
            elif matches:
                existing = matches[0]
                if existing.kind != donor["kind"]:
                    row.error(
                        "donor_kind",
                        _("The existing donor “%(name)s” is a %(kind)s.")
                        % {"name": existing.name, "kind": existing.get_kind_display().lower()},
                    )
            if key in first_seen and first_seen[key][1] != donor["kind"]:
                row.error(
                    "donor_kind",
                    _("Row %(row)s gives another kind for the same donor.") % {"row": first_seen[key][0]},
                )
            first_seen.setdefault(key, (number, donor["kind"]))
        values = {"donor": donor, "existing_donor": existing, "donor_key": key}
        row.text(columns["received_on"])
        values["received_on"] = row.parse("received_on", _date)
        if values["received_on"] and values["received_on"] > today:
            row.error(
                "received_on",
                _("%(value)s is in the future.") % {"value": values["received_on"].strftime("%d/%m/%Y")},
            )
        values["expected_count"] = row.parse("expected_count", _integer, maximum=100_000) or 0
        values["collection_point"] = None
        if location_name := _text(cells.get("collection_point")):
            values["collection_point"] = locations.get(location_name.lower())
            if values["collection_point"] is None:
                row.error("collection_point", _("No location called “%(value)s”.") % {"value": location_name})
        values["reference"] = row.text(columns["reference"])
        if values["reference"] and values["reference"].upper() in references_taken:
            row.error(
                "reference", _("The reference %(value)s is already used.") % {"value": values["reference"]}
            )
        values["notes"] = row.text(columns["notes"])
        if not row.bad:
            plan.rows.append(PlannedRow(number, values, _donation_summary(values)))
    _flag_duplicates(
        plan,
        "reference",
        reference_rows,
        _("Reference %(value)s appears more than once in the file (rows %(rows)s)."),
    )
    bad = set(plan.bad_rows)
    plan.rows = [r for r in plan.rows if r.row not in bad]


def _donation_summary(values: dict) -> str:
    donor = values["donor"]
    who = (
        _("existing donor %(name)s") % {"name": values["existing_donor"].name}
        if values["existing_donor"]
        else _("new donor %(name)s") % {"name": donor["name"]}
    )
    summary = _("Batch of %(date)s from %(who)s") % {
        "date": values["received_on"].strftime("%d/%m/%Y"),
        "who": who,
    }
    if values["expected_count"]:
        summary += " · " + _("%(count)s devices expected") % {"count": values["expected_count"]}
    if values["collection_point"]:
        summary += " · " + str(values["collection_point"])
    if values["reference"]:
        summary += " · " + values["reference"]
    return summary


def plan_import(*, network_id: int, kind: str, content: bytes, filename: str) -> ImportPlan:
    """Read and check a whole file; write nothing. A clean plan (``plan.ok``) may be imported."""
    plan = ImportPlan(kind=kind, filename=filename, sha256=content_hash(content))
    known = known_headers(network_id=network_id, kind=kind)
    try:
        sheet = read_sheet(content=content, filename=filename, known=known)
    except ImportFileError as exc:
        plan.file_errors.append(str(exc))
        return plan
    plan.header_row = sheet.header_row
    previous = (
        ImportRun.objects.in_network(network_id)
        .filter(kind=kind, sha256=plan.sha256)
        .select_related("imported_by")
        .first()
    )
    if previous is not None:
        plan.file_errors.append(
            _("This file was already imported on %(date)s by %(user)s.")
            % {
                "date": timezone.localtime(previous.imported_at).strftime("%d/%m/%Y %H:%M"),
                "user": previous.imported_by.get_full_name() if previous.imported_by else "?",
            }
        )
    if not sheet.rows:
        plan.file_errors.append(_("The file has no rows to import."))
    columns = COLUMNS[ImportKind(kind)]
    fields = _resolve_headers(plan, sheet, known, columns)
    if plan.errors:
        return plan
    _flag_unsaved_formulas(plan, sheet, fields)
    if kind == ImportKind.DEVICES:
        _plan_devices(plan, network_id=network_id, headers=fields, rows=sheet.rows)
    else:
        _plan_donations(plan, network_id=network_id, headers=fields, rows=sheet.rows)
    return plan


# --- templates -----------------------------------------------------------------------------


def template_csv(kind: str) -> bytes:
    """Header and one example row, separated by semicolons (what Belgian Excel opens directly)."""
    columns = COLUMNS[ImportKind(kind)]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([c.key for c in columns])
    writer.writerow([c.example for c in columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(kind: str) -> bytes:
    """Sheet 1: the columns and one example row. Sheet 2: what each column means."""
    from openpyxl import Workbook  # noqa: PLC0415 -- heavy library, loaded when a spreadsheet is read
    from openpyxl.styles import Font  # noqa: PLC0415 -- heavy library, loaded when a spreadsheet is read

    columns = COLUMNS[ImportKind(kind)]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(ImportKind(kind).value)
    sheet.append([c.key for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=2, column=index, value=column.example)
        cell.data_type = "s"
        sheet.column_dimensions[cell.column_letter].width = max(
            12, len(column.key) + 2, len(column.example) + 2
        )
    help_sheet = workbook.create_sheet(_("Help"))
    help_sheet.append([_("Column"), _("Required"), _("What to write")])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    for column in columns:
        help_sheet.append([column.key, _("yes") if column.required else _("no"), str(column.help)])
    help_sheet.column_dimensions["A"].width = 18
    help_sheet.column_dimensions["C"].width = 80
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- writing a planned file ---------------------------------------------------------------


class ImportFailed(Exception):
    """The file has bad rows (or cannot be read): nothing was written. ``plan`` says why."""

    def __init__(self, plan):
        super().__init__(plan.filename)
        self.plan = plan


def import_run_create(*, network, actor, kind: str, content: bytes, filename: str):
    """Import a whole file in one transaction, or nothing at all.

    Plans (checks) the file again rather than trusting an earlier dry run: the database may
    have changed in between (a colleague registered one of the serials). Any bad row raises
    ImportFailed naming every bad row, and nothing is stored. A concurrent write that slips
    between the check and the insert makes the transaction fail on a constraint; we then
    plan again, which names the row that became bad.
    """
    for _attempt in range(services.MAX_ATTEMPTS):
        plan = plan_import(network_id=network.pk, kind=kind, content=content, filename=filename)
        if not plan.ok:
            raise ImportFailed(plan)
        try:
            with transaction.atomic():
                # First: a second "confirm" of the same file stops here, before any row is written.
                run = ImportRun.objects.create(
                    network_id=network.pk,
                    kind=kind,
                    filename=filename[:200],
                    sha256=plan.sha256,
                    row_count=len(plan.rows),
                    imported_by=actor,
                )
                _import_apply(plan=plan, network=network, actor=actor)
            return run
        except IntegrityError:
            continue
    raise ValidationError(_("Others were registering at the same moment; please try again."))


def _import_apply(*, plan, network, actor) -> None:
    row = None
    try:
        if plan.kind == ImportKind.DEVICES:
            for row in plan.rows:
                batch = row.values["batch"]
                data = {**row.values}
                if data.get("location") is None and batch is not None:
                    data["location"] = batch.collection_point
                device_register(network=network, actor=actor, data=data)
            return
        # New donors in file order: a donor's first row gives its details.
        donors: dict[str, Donor] = {}
        for row in plan.rows:
            values = row.values
            if values["existing_donor"] is None and values["donor_key"] not in donors:
                donors[values["donor_key"]] = services.donor_create(
                    network=network, actor=actor, data=values["donor"]
                )
        # Batches with a given reference first, so a generated one can never take it.
        for row in sorted(plan.rows, key=lambda planned: not planned.values["reference"]):
            values = row.values
            donor = values["existing_donor"] or donors[values["donor_key"]]
            services.batch_create(
                network=network,
                actor=actor,
                reference=values["reference"],
                data={
                    "donor": donor,
                    "received_on": values["received_on"],
                    "collection_point": values["collection_point"],
                    "expected_count": values["expected_count"],
                    "notes": values["notes"],
                },
            )
    except ValidationError as exc:
        # A rule the plan did not foresee: report it on its row; the transaction rolls back.
        plan.errors.append(RowError(row.row if row else 0, "", "; ".join(exc.messages)))
        raise ImportFailed(plan) from exc
