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
from html.parser import HTMLParser

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

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
            places = 0
            if isinstance(value, Decimal):
                places = max(0, -value.as_tuple().exponent)
                value = float(value)
            cell = sheet.cell(row=row_index, column=col_index, value=value)
            if places:
                cell.number_format = "0." + "0" * places  # 16.0 GB, 1.58 kg: the decimals kept
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


# --- figures pages -------------------------------------------------------------------------
#
# A figures page is exported as what it shows, after the figures policy: its highlighted
# figures, its tables and its definition lists, read from the rendered page. So the download
# can never carry a number the page hid ("< 5" stays "< 5"), and a new figures page gets its
# export without a second copy of its rules. One row per figure: table, row, column, value.

_THOUSANDS = re.compile(r"^\d{1,3}(?:[ .,\u00a0\u202f]\d{3})+$|^\d+$")
_DECIMAL = re.compile(r"^\d+[.,]\d{1,2}$")


def _figure_value(text: str):
    """A figure as shown: whole and decimal numbers as numbers, "< 5", "46 %" and "–" as text."""
    if _THOUSANDS.match(text):
        return int(re.sub(r"\D", "", text))
    if _DECIMAL.match(text):
        return Decimal(text.replace(",", "."))
    return text


class _PageFigures(HTMLParser):
    """Collects the figures inside <main>: cards (<li> with a <strong>), tables (skipping those
    marked ``data-constants``) and definition lists, each under its caption or heading."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows: list[list] = []
        self.in_main = 0
        self.skip = 0  # inside a table of constants
        self.open: dict[str, list[str]] = {}  # tag -> text being collected
        self.heading = ""
        self.caption = ""
        self.in_thead = False
        self.columns: list[str] = []
        self.cells: list[tuple[str, str]] = []
        self.term = ""
        self.card_value: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.in_main += 1
        if not self.in_main:
            return
        if tag == "table":
            if self.skip or "data-constants" in dict(attrs):
                self.skip += 1
                return
            self.caption, self.columns = "", []
        if self.skip:
            return
        if tag == "thead":
            self.in_thead = True
        elif tag == "tr":
            self.cells = []
        if tag in {"h1", "h2", "h3", "caption", "th", "td", "dt", "dd", "li", "strong"}:
            self.open[tag] = []
        if tag == "li":
            self.card_value = None

    def handle_data(self, data):
        for parts in self.open.values():
            parts.append(data)

    def _text(self, tag) -> str:
        return " ".join("".join(self.open.pop(tag, [])).split())

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main -= 1
        if not self.in_main:
            return
        if self.skip:
            if tag == "table":
                self.skip -= 1
            return
        if tag in {"h1", "h2", "h3"}:
            self.heading = self._text(tag)
        elif tag == "caption":
            self.caption = self._text(tag)
        elif tag in {"th", "td"}:
            self.cells.append((tag, self._text(tag)))
        elif tag == "thead":
            self.in_thead = False
        elif tag == "tr":
            self._row()
        elif tag == "dt":
            self.term = self._text(tag)
        elif tag == "dd":
            self.rows.append([self.heading, self.term, "", _figure_value(self._text(tag))])
        elif tag == "strong" and "li" in self.open:
            self.card_value = self._text(tag)
        elif tag == "li":
            text = self._text(tag)
            if self.card_value:
                label = text.replace(self.card_value, "", 1).strip()
                self.rows.append([self.heading, label, "", _figure_value(self.card_value)])
            self.card_value = None
        else:
            self.open.pop(tag, None)

    def _row(self):
        cells, self.cells = self.cells, []
        if self.in_thead or all(kind == "th" for kind, _text in cells):
            self.columns = [text for _kind, text in cells]
            return
        if len(cells) < 2:
            return  # "No requests in this period."
        label = cells[0][1]
        for index, (_kind, text) in enumerate(cells[1:], start=1):
            column = self.columns[index] if index < len(self.columns) else ""
            self.rows.append([self.caption or self.heading, label, column, _figure_value(text)])


def page_figures(html: str) -> list[list]:
    """The figures a rendered page shows, one row each: [table, row, column, value]."""
    parser = _PageFigures()
    parser.feed(html)
    parser.close()
    return parser.rows


def figures_response(request, *, template: str, context: dict, fmt: str, filename: str, title: str):
    """A figures page as a CSV or XLSX download of exactly what the page shows."""
    html = render_to_string(template, context, request=request)
    headers = [_("Table"), _("Row"), _("Column"), _("Figure")]
    return table_response(fmt=fmt, filename=filename, headers=headers, rows=page_figures(html), title=title)
