"""Reading a CSV or XLSX download back into rows, for the export tests."""

import csv
import io

from openpyxl import load_workbook

from digibank.lib.exports import XLSX_TYPE


def rows_of(response) -> list[list]:
    """The rows of a download (header first): CSV cells as text, XLSX cells as typed values."""
    assert response.status_code == 200, response.status_code
    if response["Content-Type"] == XLSX_TYPE:
        sheet = load_workbook(io.BytesIO(response.content)).active
        return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def column(rows: list[list], header: str) -> list:
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]
