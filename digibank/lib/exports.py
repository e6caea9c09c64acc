"""CSV and XLSX downloads of tables: one helper, one rule, both formats.

Shared by every list that exports (devices, donation batches, loans, figures …): headers + rows
in, a download out. Every cell goes through ``export_value`` first, so CSV and XLSX carry the
same text:

- control characters (a raw byte read from a disk's firmware) are written visibly as ``\\x82``:
  openpyxl refuses them (IllegalCharacterError, a server error for the whole export) and a CSV
  would hide them;
- text a spreadsheet would run as a formula (starting with ``= + - @``, a tab or a carriage
  return) gets a leading apostrophe, so a serial number or note typed as "=HYPERLINK(…)" can
  never execute on a colleague's computer, whichever format they download;
- numbers stay numbers (a decimal comma in the CSV, for Belgian Excel); dates and times are
  real date cells in XLSX (local time, since Excel knows no time zones).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"

# C0 controls except tab, line feed and carriage return (legal in XML, shown by spreadsheets),
# DEL and the C1 controls: invisible at best, an XML error at worst.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _escape_control(match: re.Match) -> str:
    return f"\\x{ord(match.group()):02x}"


def export_text(value: str) -> str:
    """Text as it may stand in a cell of either format: controls visible, formulas disarmed."""
    text = _CONTROL.sub(_escape_control, unicodedata.normalize("NFC", value))
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def export_value(value):
    """One cell: None → "", numbers and dates kept (aware datetimes in local time), the rest text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, datetime.date):
        return value
    return export_text(str(value))


def _csv_cell(value) -> str:
    value = export_value(value)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        # Belgian Excel reads "8,5" as a number and "8.5" as a date or text.
        text = format(value, "f") if isinstance(value, Decimal) else repr(value)
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        return text.replace(".", ",")
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return value


def csv_bytes(headers: list[str], rows) -> bytes:
    """UTF-8 with BOM, semicolons and decimal commas: what Belgian Excel opens with a double click."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_cell(str(h)) for h in headers])
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(headers: list[str], rows, *, title: str = "Export") -> bytes:
    from openpyxl import Workbook  # noqa: PLC0415 -- heavy library, loaded when an XLSX is written
    from openpyxl.styles import Font  # noqa: PLC0415 -- heavy library, loaded when an XLSX is written

    workbook = Workbook(write_only=False)
    sheet = workbook.active
    # A sheet title may not hold []:*?/\ and at most 31 characters.
    sheet.title = re.sub(r"[\[\]:*?/\\]", " ", export_text(str(title)).lstrip("'"))[:31] or "Export"
    sheet.append([export_text(str(h)) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.data_type = "s"
    for row_index, row in enumerate(rows, start=2):
        for col_index, raw in enumerate(row, start=1):
            value = export_value(raw)
            if isinstance(value, Decimal):
                value = float(value)
            cell = sheet.cell(row=row_index, column=col_index, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, even if one slipped past export_text
            elif isinstance(value, datetime.datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(value, datetime.date):
                cell.number_format = DATE_FORMAT
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def table_response(
    *, fmt: str, filename: str, headers: list[str], rows, title: str = "Export"
) -> HttpResponse:
    """``fmt`` "xlsx" or anything else for CSV; ``filename`` without extension."""
    if fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(headers, list(rows), title=title), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    response = HttpResponse(csv_bytes(headers, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
