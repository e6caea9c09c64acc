"""Bulk import of devices and donations from XLSX or CSV: reading, checking and planning.

Plain Python, independent of the views: ``plan_import`` reads a file and checks every row
against the file itself and the database, and returns an ``ImportPlan`` — per row what
would be created, or every bad row with its number and the reason. It writes nothing.
``import_run_create`` plans again and, only when the plan is clean, writes all
rows in one transaction. So the dry run and the real import apply the very same checks.

Row numbers are the spreadsheet's own: the header is row 1, the first data row is row 2,
so a desk worker finds the row in Excel. Empty rows are skipped but keep their number.

CSV: UTF-8 (Excel's "CSV UTF-8", with or without BOM), separated by commas or by
semicolons (Belgian Excel); decimals may use a comma ("8,5"). Dates: 2026-03-14,
14/03/2026, 14-03-2026 or 14.03.2026, or a date cell in XLSX.
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

from ..models import Condition, DeviceKind, DonationBatch, Donor, DonorKind, ImportKind, ImportRun, Location
from ..services import device_register
from . import services
from .services import donor_person_problems, serials_taken, vat_normalise

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000


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


class ImportFileError(Exception):
    """The file as a whole cannot be read (format, encoding, size)."""


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

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_errors and bool(self.rows)

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


# --- reading files -------------------------------------------------------------------------


def _header_key(value) -> str:
    return re.sub(r"[\s\-]+", "_", _text(value).lower()).strip("_*")


def _text(value) -> str:
    """A cell as text. Excel stores serials like 12345 as numbers: 12345.0 must become "12345"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _read_csv(content: bytes) -> list[list]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("The CSV file is not UTF-8. In Excel choose “Save as” → “CSV UTF-8 (comma delimited)”.")
        ) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = max([";", ",", "\t"], key=first_line.count)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _read_xlsx(content: bytes) -> list[list]:
    from openpyxl import load_workbook  # noqa: PLC0415 -- heavy library, loaded when a spreadsheet is read

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError, InvalidFileException …
        raise ImportFileError(_("This is not a readable XLSX file.")) from exc
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def read_table(*, content: bytes, filename: str) -> tuple[list[str], list[tuple[int, list]]]:
    """The header keys and the non-empty data rows with their spreadsheet row number."""
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError(_("The file is larger than 2 MB; split it into smaller files."))
    name = filename.lower()
    if name.endswith(".xlsx"):
        raw = _read_xlsx(content)
    elif name.endswith(".csv") or name.endswith(".txt"):
        raw = _read_csv(content)
    else:
        raise ImportFileError(_("Upload an .xlsx or a .csv file."))
    if not raw or not any(_text(v) for v in raw[0]):
        raise ImportFileError(_("The first row must hold the column names, as in the template."))
    headers = [_header_key(v) for v in raw[0]]
    rows = [
        (number, values) for number, values in enumerate(raw[1:], start=2) if any(_text(v) for v in values)
    ]
    if len(rows) > MAX_ROWS:
        raise ImportFileError(_("The file has more than %(max)s rows; split it.") % {"max": MAX_ROWS})
    return headers, rows


# --- parsing values ------------------------------------------------------------------------


class BadValue(ValueError):
    pass


def _decimal(value, *, places: int, max_digits: int) -> Decimal:
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = Decimal(str(value))
    else:
        text = _text(value).replace(" ", "")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")  # Belgian decimal comma
        if not re.fullmatch(r"\d+(\.\d+)?", text):
            raise BadValue(_("“%(value)s” is not a number.") % {"value": _text(value)})
        number = Decimal(text)
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


def _integer(value, *, minimum: int = 0, maximum: int = 2_000_000_000) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _text(value).replace(" ", "")
    if not re.fullmatch(r"\d+", text):
        raise BadValue(_("“%(value)s” is not a whole number.") % {"value": _text(value)})
    number = int(text)
    if not minimum <= number <= maximum:
        raise BadValue(
            _("%(value)s is not between %(min)s and %(max)s.")
            % {"value": number, "min": minimum, "max": maximum}
        )
    return number


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y")


def _date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise BadValue(_("“%(value)s” is not a date (write it as 14/03/2026).") % {"value": text})


def _choice_map(choices, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Accept a choice's value and its label in every interface language, case-insensitively."""
    mapping = {value.lower(): value for value, _label in choices}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for value, label in choices:
                mapping.setdefault(str(label).lower(), value)
    for synonym, value in (extra or {}).items():
        mapping.setdefault(synonym, value)
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


def _check_headers(plan: ImportPlan, headers: list[str], columns: list[Column]) -> bool:
    known = {c.key for c in columns}
    for key in headers:
        if key and key not in known:
            plan.errors.append(
                RowError(
                    1,
                    key,
                    _("Unknown column “%(column)s”; use the column names of the template.") % {"column": key},
                )
            )
    seen = set()
    for key in headers:
        if key and key in seen:
            plan.errors.append(
                RowError(1, key, _("The column “%(column)s” appears twice.") % {"column": key})
            )
        seen.add(key)
    for column in columns:
        if column.required and column.key not in headers:
            plan.errors.append(
                RowError(
                    1, column.key, _("The required column “%(column)s” is missing.") % {"column": column.key}
                )
            )
    return not plan.errors


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
    kinds = _choice_map(DeviceKind.choices)
    conditions = _choice_map(Condition.choices)
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
            values["kind"] = kinds.get(kind_text.lower())
            if values["kind"] is None:
                row.error(
                    "kind",
                    _("Unknown kind “%(value)s”; use one of: %(choices)s.")
                    % {"value": kind_text, "choices": ", ".join(DeviceKind.values)},
                )
        if condition_text := _text(cells.get("condition")):
            values["condition"] = conditions.get(condition_text.lower())
            if values["condition"] is None:
                row.error(
                    "condition",
                    _("Unknown condition “%(value)s”; use a, b, c or broken.") % {"value": condition_text},
                )
        values["ram_gb"] = row.parse("ram_gb", _decimal, places=1, max_digits=6)
        values["storage_gb"] = row.parse("storage_gb", _integer)
        values["battery_health"] = row.parse("battery_health", _integer, maximum=100)
        values["weight_kg"] = row.parse("weight_kg", _decimal, places=2, max_digits=5)
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
    kinds = _choice_map(DonorKind.choices, {"company": DonorKind.ORGANISATION, "private": DonorKind.PERSON})
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
            donor["kind"] = kinds.get(kind_text.lower())
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
    try:
        headers, rows = read_table(content=content, filename=filename)
    except ImportFileError as exc:
        plan.file_errors.append(str(exc))
        return plan
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
    if not rows:
        plan.file_errors.append(_("The file has no rows to import."))
    columns = COLUMNS[ImportKind(kind)]
    if not _check_headers(plan, headers, columns):
        return plan
    if kind == ImportKind.DEVICES:
        _plan_devices(plan, network_id=network_id, headers=headers, rows=rows)
    else:
        _plan_donations(plan, network_id=network_id, headers=headers, rows=rows)
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
