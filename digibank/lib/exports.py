"""CSV and XLSX downloads of tables.

Shared by every list that exports (devices, donation batches, …): headers + rows in, a download out.
Cells that a spreadsheet would run as a formula (=, +, -, @) are written as text, so a serial
number or note typed as "=HYPERLINK(…)" can never execute on a colleague's computer.
"""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

from django.http import HttpResponse

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_START) and not isinstance(value, int | float | Decimal):
        return "'" + text
    return text


def csv_bytes(headers: list[str], rows) -> bytes:
    """UTF-8 with BOM and semicolons: what Belgian Excel opens correctly with a double click."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(headers: list[str], rows, *, title: str = "Export") -> bytes:
    from openpyxl import Workbook  # noqa: PLC0415 -- heavy library, loaded when an XLSX is written
    from openpyxl.styles import Font  # noqa: PLC0415 -- heavy library, loaded when an XLSX is written

    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([str(h) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row_index, row in enumerate(rows, start=2):
        for col_index, value in enumerate(row, start=1):
            if isinstance(value, Decimal):
                value = float(value)
            elif value is not None and not isinstance(value, int | float | bool | datetime.date):
                value = str(value)
            cell = sheet.cell(row=row_index, column=col_index, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula
            elif isinstance(value, datetime.date):
                cell.number_format = "DD/MM/YYYY"
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
