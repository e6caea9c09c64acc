"""The device exports with what real disks and real people put in fields (issue 10)."""

import csv
import datetime
import io

from django.urls import reverse
from openpyxl import load_workbook

from digibank.devices.models import Device

from .world import add_device


def test_an_xlsx_export_of_a_device_with_a_control_character_in_its_serial_works(world, client_for):
    add_device(
        world.leuven, asset_tag="LEU-CTRL01", location=world.storage, serial="WD\x82ã\x01X", brand="@Dell"
    )
    response = client_for(world.desk).get(reverse("devices:export_xlsx"), {"q": "LEU-CTRL01"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    header = [c.value for c in sheet[1]]
    row = rows["LEU-CTRL01"]
    assert row[header.index("Serial number")] == "WD\\x82ã\\x01X"
    assert row[header.index("Brand")] == "'@Dell"


def test_the_csv_export_writes_the_same_text_dates_and_decimal_commas(world, client_for):
    add_device(world.leuven, asset_tag="LEU-CTRL02", location=world.storage, serial="SN\x07", ram_gb="7.5")
    response = client_for(world.desk).get(reverse("devices:export_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    row = next(r for r in rows if r[0] == "LEU-CTRL02")
    assert row[header.index("Serial number")] == "SN\\x07"
    assert row[header.index("Memory (GB)")] == "7,5"
    registered = row[header.index("Registered at")]
    assert datetime.datetime.strptime(registered, "%d/%m/%Y %H:%M")


def test_the_xlsx_export_has_real_date_cells(world, client_for):
    add_device(world.leuven, asset_tag="LEU-CTRL03", location=world.storage)
    response = client_for(world.desk).get(reverse("devices:export_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    column = header.index("Registered at") + 1
    cells = [sheet.cell(row=r, column=column) for r in range(2, sheet.max_row + 1)]
    assert cells and all(isinstance(c.value, datetime.datetime) and c.is_date for c in cells)
    assert Device.objects.filter(network=world.leuven).count() == len(cells)
