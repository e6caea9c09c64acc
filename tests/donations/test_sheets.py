"""Spreadsheets as a digibank keeps them (issue 10): title rows, Dutch and French headers,
formula cells, impossible dates, Windows-1252 CSV from Belgian Excel, and the mapping step."""

import datetime
import io
import re
import zipfile

import pytest
import time_machine
from openpyxl import Workbook

from digibank.devices.donations import imports, sheets
from digibank.devices.models import Device, ImportColumnMapping

TODAY = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=datetime.UTC)


def workbook_bytes(rows, *, cached: dict[str, str] | None = None) -> bytes:
    """An XLSX as Excel saves it. ``cached``: cell -> the value Excel saved with its formula
    (openpyxl itself never writes one, like a program that made the file)."""
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    if not cached:
        return out.getvalue()
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    patched = io.BytesIO()
    with zipfile.ZipFile(patched, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                xml = data.decode()
                for cell, value in cached.items():
                    xml, count = re.subn(
                        rf'(<c r="{cell}"[^>]*>)<f>([^<]*)</f><v\s*/>',
                        rf"\g<1><f>\g<2></f><v>{value}</v>",
                        xml,
                    )
                    assert count == 1, cell
                data = xml.encode()
            target.writestr(item, data)
    return patched.getvalue()


def plan(world, content, filename="inventaris.xlsx", kind="devices", network=None):
    return imports.plan_import(
        network_id=(network or world.leuven).pk, kind=kind, content=content, filename=filename
    )


def errors_of(plan):
    return [(e.row, e.column) for e in plan.errors]


INVENTORY = [
    ["Inventaris laptops Digibank Leuven – voorjaar 2026"],
    [],
    ["Bijgewerkt door An, 02/06/2026"],
    ["Type", "Merk", "Model", "Serienummer", "RAM", "Opslag (GB)", "Staat", "Datum ontvangst", "Gewicht"],
    ["laptop", "Lenovo", "ThinkPad T480", "PF1AAA", "8 GB", 256, "goed", datetime.date(2026, 3, 14), "1,58"],
    ["Laptop", "Dell", "Latitude 5490", "DL5490X", "8GB", "256 GB", "slecht", "14/03/2026", 1.7],
    ["portable", "HP", "EliteBook 840", "HP840Z", "=E5*2", "1 TB", "kapot", "31/02/2026", None],
    ["tablette", "Apple", "iPad 6", "DMPX1", "2", 32, "bon", "1-3-26", ""],
]


@time_machine.travel(TODAY, tick=False)
def test_an_inventory_sheet_with_a_title_row_and_dutch_headers_names_the_impossible_date(world):
    content = workbook_bytes(INVENTORY, cached={"E7": "16"})
    result = plan(world, content)
    assert result.header_row == 4
    assert not result.unmapped
    assert errors_of(result) == [(7, "received_on")]
    assert "31/02/2026" in result.errors[0].message and "does not exist" in result.errors[0].message
    by_row = {r.row: r.values for r in result.rows}
    assert sorted(by_row) == [5, 6, 8]
    assert (by_row[5]["kind"], by_row[5]["serial"], by_row[5]["ram_gb"]) == ("laptop", "PF1AAA", 8)
    assert by_row[5]["condition"] == "b" and by_row[6]["condition"] == "c"
    assert by_row[6]["storage_gb"] == 256 and str(by_row[5]["weight_kg"]) == "1.58"
    assert by_row[8]["kind"] == "tablet" and by_row[8]["condition"] == "b"
    assert by_row[8]["notes"] == "Received on 01/03/2026."


@time_machine.travel(TODAY, tick=False)
def test_a_formula_cell_reads_the_value_excel_saved_with_it(world):
    rows = [row[:] for row in INVENTORY]
    rows[6][7] = "28/02/2026"
    result = plan(world, workbook_bytes(rows, cached={"E7": "16"}))
    assert result.ok, result.errors
    row7 = next(r for r in result.rows if r.row == 7)
    assert (row7.values["ram_gb"], row7.values["storage_gb"], row7.values["condition"]) == (
        16,
        1000,
        "broken",
    )


@time_machine.travel(TODAY, tick=False)
def test_a_formula_without_a_saved_value_is_named_by_its_cell_and_nothing_is_imported(world):
    rows = [row[:] for row in INVENTORY]
    rows[6][7] = "28/02/2026"
    content = workbook_bytes(rows)  # never opened in Excel: no saved value for E7
    result = plan(world, content)
    assert errors_of(result) == [(7, "ram_gb")]
    assert result.errors[0].message.startswith("Row 7, column E (cell E7): a formula without a saved value")
    assert "open and save the file in Excel first" in result.errors[0].message
    before = Device.objects.count()
    with pytest.raises(imports.ImportFailed):
        imports.import_run_create(
            network=world.leuven, actor=world.desk, kind="devices", content=content, filename="x.xlsx"
        )
    assert Device.objects.count() == before


@time_machine.travel(TODAY, tick=False)
def test_a_windows_1252_semicolon_csv_with_decimal_commas_is_imported(world):
    text = (
        "Inventaris Liège;;;;\r\n"
        ";;;;\r\n"
        "Catégorie;Marque;Numéro de série;Mémoire;Poids;Remarque\r\n"
        "portable;Acer;ACR-é1;7,5;1,58;pièce de rechange à côté\r\n"
        "Écran;Iiyama;IY-2;;4,2;\r\n"
    )
    content = text.encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    run = imports.import_run_create(
        network=world.leuven, actor=world.desk, kind="devices", content=content, filename="stock.csv"
    )
    assert run.row_count == 2
    acer = Device.objects.get(network=world.leuven, serial="ACR-é1")
    assert (acer.kind, str(acer.ram_gb), str(acer.weight_kg)) == ("laptop", "7.5", "1.58")
    assert acer.notes == "pièce de rechange à côté"
    assert Device.objects.get(network=world.leuven, serial="IY-2").kind == "screen"


def test_a_french_header_sheet_is_read(world):
    rows = [
        ["Appareil", "Marque", "Modèle", "N° de série", "Mémoire vive (Go)", "État", "Clavier"],
        ["ordinateur portable", "Lenovo", "X250", "FR-1", "4 Go", "mauvais", "AZERTY-BE"],
        ["Écran", "Dell", "P2419H", "FR-2", "", "comme neuf", ""],
    ]
    result = plan(world, workbook_bytes(rows))
    assert result.ok, result.errors
    first, second = (r.values for r in result.rows)
    assert (first["kind"], first["serial"], first["ram_gb"], first["condition"]) == ("laptop", "FR-1", 4, "c")
    assert first["keyboard_layout"] == "AZERTY-BE"
    assert (second["kind"], second["condition"]) == ("screen", "a")


def test_a_comma_csv_with_a_title_line_is_sniffed(world):
    text = 'Stock export\r\nkind,brand,serial,ram_gb\r\nlaptop,Dell,"CS-1","8,5"\r\n'
    result = plan(world, text.encode("utf-8"), filename="x.csv")
    assert result.ok, result.errors
    assert str(result.rows[0].values["ram_gb"]) == "8.5"
    assert result.rows[0].row == 3


def test_a_tab_separated_file_is_read():
    assert sheets.sniff_delimiter("kind\tbrand\tserial\nlaptop\tDell\tX;1\n") == "\t"


def test_headers_ignore_case_accents_and_punctuation():
    known = sheets.synonym_fields("devices")
    for label, target in [
        ("N° de série", "serial"),
        ("Nº DE SÉRIE", "serial"),
        ("serie-nr.", "serial"),
        ("Geheugen (GB)", "ram_gb"),
        ("Batterij %", "battery_health"),
        ("datum_ontvangst", "received_on"),
        ("  Merk ", "brand"),
    ]:
        assert sheets.field_for(sheets.header_key(label), known) == target, label


def test_values_with_units_are_read_and_others_named():
    assert imports._decimal("8 GB", places=1, max_digits=6, units=imports.GB_UNITS) == 8
    assert imports._decimal("8,5", places=1, max_digits=6, units=imports.GB_UNITS) == imports.Decimal("8.5")
    assert imports._integer("1 TB", units=imports.GB_UNITS) == 1000
    assert imports._integer("84 %", units=imports.PERCENT_UNITS) == 84
    for bad in ("8 kg", "acht", "8,5,1", "-2"):
        with pytest.raises(imports.BadValue):
            imports._decimal(bad, places=1, max_digits=6, units=imports.GB_UNITS)


def test_dates_day_first_and_impossible_ones():
    assert imports._date("14/03/2026") == datetime.date(2026, 3, 14)
    assert imports._date("1-3-26") == datetime.date(2026, 3, 1)
    assert imports._date("2026-03-14") == datetime.date(2026, 3, 14)
    assert imports._date(46095) == datetime.date(2026, 3, 14)
    for bad in ("31/02/2026", "29/02/2027", "14/13/2026", "morgen"):
        with pytest.raises(imports.BadValue):
            imports._date(bad)


# --- the mapping step ----------------------------------------------------------------------

OWN_HEADERS = [
    ["Type", "Merk", "Serienummer", "Inventarisnr. oud", "Kleur"],
    ["laptop", "Lenovo", "MAP-1", "OUD-17", "zwart"],
]


def test_unknown_columns_are_asked_about_and_the_answer_is_remembered_per_network(world):
    content = workbook_bytes(OWN_HEADERS)
    first = plan(world, content)
    assert not first.ok
    assert first.unmapped == [("inventarisnr_oud", "Inventarisnr. oud"), ("kleur", "Kleur")]
    assert errors_of(first) == [(1, "Inventarisnr. oud"), (1, "Kleur")]

    imports.column_mappings_save(
        network=world.leuven,
        actor=world.desk,
        kind="devices",
        answers={"inventarisnr_oud": "notes", "kleur": ""},
    )
    again = plan(world, workbook_bytes(OWN_HEADERS))
    assert again.ok, again.errors
    assert again.rows[0].values["notes"] == "OUD-17"
    assert ImportColumnMapping.objects.get(network=world.leuven, header_key="kleur").updated_by == world.desk

    elsewhere = plan(world, content, network=world.other)
    assert [key for key, _label in elsewhere.unmapped] == ["inventarisnr_oud", "kleur"]
    assert not ImportColumnMapping.objects.visible_to(world.outsider.memberships.get()).exists()


def test_a_mapping_to_a_field_that_does_not_exist_is_refused(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        imports.column_mappings_save(
            network=world.leuven, actor=world.desk, kind="devices", answers={"kleur": "asset_tag"}
        )
    assert not ImportColumnMapping.objects.exists()


def test_two_columns_mapped_to_the_same_field_are_named(world):
    rows = [["Type", "Merk", "Fabrikant"], ["laptop", "Lenovo", "Lenovo"]]
    result = plan(world, workbook_bytes(rows))
    assert errors_of(result) == [(1, "brand")]
    assert "“Merk”, “Fabrikant”" in result.errors[0].message


@time_machine.travel(TODAY, tick=False)
def test_a_dutch_donation_sheet_with_a_title_row_is_read_and_an_impossible_date_named(world):
    text = (
        "Schenkingen 2026;;;;\r\n"
        "Schenker;Soort schenker;Datum ontvangst;Aantal toestellen;Opmerking\r\n"
        "Brouwerij Proefbier NV;bedrijf;14/03/2026;12;via An\r\n"
        "Jan Janssens;particulier;31/02/2026;1;\r\n"
        "Marie Dubois;Particulier;1-4-26;2;\r\n"
    )
    result = plan(world, text.encode("cp1252"), filename="schenkingen.csv", kind="donations")
    assert result.header_row == 2
    assert errors_of(result) == [(4, "received_on")]
    by_row = {r.row: r.values for r in result.rows}
    assert by_row[3]["existing_donor"] == world.donor and by_row[3]["expected_count"] == 12
    assert by_row[5]["received_on"] == datetime.date(2026, 4, 1)
    assert by_row[5]["donor"]["kind"] == "person"


def test_an_ignored_column_still_counts_towards_finding_the_header(world):
    imports.column_mappings_save(
        network=world.leuven, actor=world.desk, kind="devices", answers={"kleur": ""}
    )
    rows = [["Lijst van Jan"], ["Kleur", "Type"], ["zwart", "laptop"]]
    result = plan(world, workbook_bytes(rows))
    assert result.ok, result.errors
    assert result.header_row == 2 and result.rows[0].values["kind"] == "laptop"


# --- hostile workbooks (issue 11 #3) ---------------------------------------------------------


def with_sheet_xml(content: bytes, change) -> bytes:
    """The workbook with its first sheet's XML rewritten by ``change(xml) -> xml``."""
    source = zipfile.ZipFile(io.BytesIO(content))
    patched = io.BytesIO()
    with zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = change(data.decode()).encode()
            target.writestr(item, data)
    return patched.getvalue()


def peak_memory_of(read) -> int:
    import tracemalloc  # noqa: PLC0415 -- only these tests trace

    tracemalloc.start()
    try:
        read()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


SMALL_SHEET = [("Serienummer", "Merk", "Model"), ("PF1ABCDE", "Lenovo", "T480")]


def read(content: bytes, filename: str):
    return sheets.read_sheet(content=content, filename=filename, known=sheets.synonym_fields("devices"))


def test_a_workbook_declaring_a_million_rows_is_read_in_little_memory():
    """A 'dimension bomb': a tiny file whose <dimension> claims A1:CV1000000. Read-only openpyxl
    pads every declared row; the import must read what is there, not what is claimed."""

    def claim_a_million_rows(xml):
        xml = re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:CV1000000"/>', xml)
        # …and one empty cell at the far end: a reader fills the rows in between.
        return xml.replace("</sheetData>", '<row r="1000000"><c r="CV1000000"/></row></sheetData>')

    bomb = with_sheet_xml(workbook_bytes(SMALL_SHEET), claim_a_million_rows)
    assert b"CV1000000" in zipfile.ZipFile(io.BytesIO(bomb)).read("xl/worksheets/sheet1.xml")
    assert len(bomb) < 10_000
    result = {}
    peak = peak_memory_of(lambda: result.update(sheet=read(bomb, "bomb.xlsx")))
    assert peak < 100 * 1024 * 1024, f"peak {peak / 2**20:.0f} MB"
    sheet = result.get("sheet")
    assert sheet is not None, "refused"
    assert sheet.labels == ["Serienummer", "Merk", "Model"]
    assert [values[:3] for _number, values in sheet.rows] == [["PF1ABCDE", "Lenovo", "T480"]]


def test_a_workbook_with_too_many_real_rows_stops_at_the_limit_in_little_memory():
    """Rows that are really there (written as XML, each a few bytes compressed): the reader stops
    at the limit instead of building them all."""
    many = sheets.MAX_SHEET_ROWS * 20
    extra = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>X{n}</t></is></c></row>' for n in range(3, many)
    )
    bomb = with_sheet_xml(
        workbook_bytes(SMALL_SHEET), lambda xml: xml.replace("</sheetData>", extra + "</sheetData>")
    )
    assert len(bomb) < sheets.MAX_FILE_BYTES
    with pytest.raises(sheets.ImportFileError, match="more than"):
        peak = peak_memory_of(lambda: read(bomb, "many.xlsx"))
        pytest.fail(f"read {many} rows (peak {peak / 2**20:.0f} MB)")


def test_a_row_of_thousands_of_columns_is_cut_to_the_limit():
    wide = [("Serienummer", "Merk", "Model", *[f"c{i}" for i in range(sheets.MAX_COLUMNS + 300)])]
    sheet = read(workbook_bytes([*wide, ("PF1", "Dell", "E7450")]), "wide.xlsx")
    assert len(sheet.labels) == sheets.MAX_COLUMNS
