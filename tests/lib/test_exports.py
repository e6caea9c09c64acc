"""One export helper, one rule for CSV and XLSX: controls visible, formulas disarmed, real dates."""

import csv
import datetime
import io
import zoneinfo
from decimal import Decimal

from openpyxl import load_workbook

from digibank.lib import exports

HEADERS = ["Text", "Number", "Date"]


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def read_xlsx(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).active.values)


def test_control_characters_are_written_visibly_in_both_formats():
    rows = [["SN\x82\x01ã\x7f", 1, None]]
    assert read_csv(exports.csv_bytes(HEADERS, rows))[1][0] == "SN\\x82\\x01ã\\x7f"
    assert read_xlsx(exports.xlsx_bytes(HEADERS, rows))[1][0] == "SN\\x82\\x01ã\\x7f"


def test_tabs_and_line_breaks_inside_a_note_are_kept():
    rows = [["line one\nline two\tend", 1, None]]
    assert read_xlsx(exports.xlsx_bytes(HEADERS, rows))[1][0] == "line one\nline two\tend"


def test_formula_looking_text_gets_an_apostrophe_in_both_formats():
    starts = ["=1+1", "+32 16 12 34 56", "-2", "@SUM(A1)", "\tx", '=HYPERLINK("http://evil")']
    rows = [[text, None, None] for text in starts]
    csv_rows = read_csv(exports.csv_bytes(HEADERS, rows))[1:]
    sheet = load_workbook(io.BytesIO(exports.xlsx_bytes(HEADERS, rows))).active
    for index, text in enumerate(starts):
        assert csv_rows[index][0] == "'" + text
        cell = sheet.cell(row=index + 2, column=1)
        assert cell.value == "'" + text and cell.data_type == "s"


def test_a_header_or_sheet_title_cannot_carry_a_formula_or_break_the_file():
    content = exports.xlsx_bytes(["=cmd", "ok\x00"], [["a", "b"]], title="Loans [2026]/Q1: a*b?")
    workbook = load_workbook(io.BytesIO(content))
    assert list(workbook.active.values)[0] == ("'=cmd", "ok\\x00")
    assert workbook.active.title == "Loans  2026  Q1  a b "


def test_negative_numbers_stay_numbers():
    rows = [["x", -3, None], ["y", Decimal("-1.5"), None]]
    assert [r[1] for r in read_csv(exports.csv_bytes(HEADERS, rows))[1:]] == ["-3", "-1,5"]
    assert [r[1] for r in read_xlsx(exports.xlsx_bytes(HEADERS, rows))[1:]] == [-3, -1.5]


def test_decimals_use_a_comma_in_the_csv_and_are_numbers_in_the_xlsx():
    rows = [["a", Decimal("8.5"), None], ["b", 1.58, None], ["c", 4.0, None], ["d", Decimal("16.0"), None]]
    assert [r[1] for r in read_csv(exports.csv_bytes(HEADERS, rows))[1:]] == ["8,5", "1,58", "4", "16,0"]
    assert [r[1] for r in read_xlsx(exports.xlsx_bytes(HEADERS, rows))[1:]] == [8.5, 1.58, 4, 16.0]


def test_dates_and_times_are_real_date_cells_in_local_time():
    brussels = zoneinfo.ZoneInfo("Europe/Brussels")
    moment = datetime.datetime(2026, 7, 1, 8, 30, tzinfo=datetime.UTC)  # 10:30 in Brussels
    rows = [["a", None, datetime.date(2026, 3, 14)], ["b", None, moment]]
    sheet = load_workbook(io.BytesIO(exports.xlsx_bytes(HEADERS, rows))).active
    assert sheet["C2"].value == datetime.datetime(2026, 3, 14) and sheet["C2"].is_date
    assert sheet["C2"].number_format == exports.DATE_FORMAT
    assert sheet["C3"].value == moment.astimezone(brussels).replace(tzinfo=None)
    assert sheet["C3"].number_format == exports.DATETIME_FORMAT
    csv_rows = read_csv(exports.csv_bytes(HEADERS, rows))
    assert [r[2] for r in csv_rows[1:]] == ["14/03/2026", "01/07/2026 10:30"]


def test_booleans_and_empty_cells():
    rows = [[None, True, None], ["", False, ""]]
    assert read_csv(exports.csv_bytes(HEADERS, rows))[1:] == [["", "1", ""], ["", "0", ""]]


def test_the_response_names_the_file_and_type():
    response = exports.table_response(
        fmt="xlsx", filename="loans", headers=HEADERS, rows=iter([["a", 1, None]])
    )
    assert response["Content-Type"] == exports.XLSX_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="loans.xlsx"'
    response = exports.table_response(fmt="csv", filename="loans", headers=HEADERS, rows=iter([]))
    assert response["Content-Type"].startswith("text/csv")


def test_decimals_keep_their_places_in_the_xlsx():
    rows = [["a", Decimal("16.0"), None], ["b", Decimal("1.58"), None], ["c", 3, None]]
    sheet = load_workbook(io.BytesIO(exports.xlsx_bytes(HEADERS, rows))).active
    assert [sheet[f"B{r}"].number_format for r in (2, 3, 4)] == ["0.0", "0.00", "General"]
