"""The bulk import module on its own: reading, every kind of bad row, atomicity, and a property test."""

import datetime
import io

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digibank.devices.donations import imports
from digibank.devices.models import Device, DeviceEvent, DonationBatch, Donor, ImportRun

from .factories import DeviceFactory, DonorFactory

DEVICE_HEADER = ["kind", "brand", "model", "serial", "batch", "location", "ram_gb", "battery_health"]


def csv_bytes(rows, header=DEVICE_HEADER, delimiter=";") -> bytes:
    lines = [delimiter.join(header)] + [delimiter.join(str(v) for v in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def xlsx_bytes(rows, header=DEVICE_HEADER) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def device_plan(world, content, filename="devices.csv"):
    return imports.plan_import(network_id=world.leuven.pk, kind="devices", content=content, filename=filename)


def run_import(world, kind, content, filename="file.csv"):
    return imports.import_run_create(
        network=world.leuven, actor=world.desk, kind=kind, content=content, filename=filename
    )


def good_row(serial, batch="D2026-0001"):
    return ["laptop", "Lenovo", "ThinkPad T480", serial, batch, "", "8", "84"]


def errors_of(plan):
    return [(e.row, e.column) for e in plan.errors]


# --- reading -------------------------------------------------------------------------------


def test_a_semicolon_csv_from_belgian_excel_with_decimal_commas_is_read(world):
    content = "\ufeff" + "kind;brand;serial;ram_gb;weight_kg\r\nLaptop;Dell;ABC1;7,5;1,58\r\n"
    plan = device_plan(world, content.encode("utf-8"))
    assert plan.ok, plan.errors
    values = plan.rows[0].values
    assert (values["kind"], str(values["ram_gb"]), str(values["weight_kg"])) == ("laptop", "7.5", "1.58")


def test_a_comma_separated_csv_is_read(world):
    plan = device_plan(world, csv_bytes([good_row("C1"), good_row("C2")], delimiter=","))
    assert plan.ok, plan.errors
    assert [r.row for r in plan.rows] == [2, 3]


def test_an_xlsx_file_is_read_with_numeric_serials_and_header_spelling_forgiven(world):
    header = ["Kind", "Brand ", "serial", "Storage GB", "battery-health"]
    plan = device_plan(world, xlsx_bytes([["tablet", "Apple", 123456789, 64, 91.0]], header=header), "x.xlsx")
    assert plan.ok, plan.errors
    assert plan.rows[0].values["serial"] == "123456789"
    assert plan.rows[0].values["storage_gb"] == 64


def test_empty_rows_are_skipped_but_keep_their_row_number(world):
    plan = device_plan(
        world, csv_bytes([good_row("E1"), ["", "", "", "", "", "", "", ""], ["tablet"] + [""] * 7])
    )
    assert plan.ok
    assert [r.row for r in plan.rows] == [2, 4]


def test_a_file_that_is_not_utf8_is_read_in_its_own_encoding(world):
    plan = device_plan(world, "kind;brand\nlaptop;Tošiba\n".encode("cp1250"))
    assert plan.ok, plan.errors
    assert plan.rows[0].values["brand"] == "Tošiba"


def test_an_unknown_file_type_is_refused(world):
    plan = device_plan(world, b"whatever", "devices.xls")
    assert "Upload an .xlsx or a .csv file." in plan.file_errors


def test_a_broken_xlsx_is_refused(world):
    plan = device_plan(world, b"PK\x03\x04 not really a zip", "devices.xlsx")
    assert "This is not a readable XLSX file." in plan.file_errors


def test_a_file_without_rows_is_refused(world):
    plan = device_plan(world, csv_bytes([]))
    assert "The file has no rows to import." in plan.file_errors


# --- every kind of bad row -----------------------------------------------------------------


def test_a_missing_required_column_is_named_on_row_1(world):
    plan = device_plan(world, csv_bytes([["Dell", "X1"]], header=["brand", "serial"]))
    assert errors_of(plan) == [(1, "kind")]
    assert "required column “kind” is missing" in plan.errors[0].message


def test_an_unknown_column_is_named_on_row_1(world):
    plan = device_plan(world, csv_bytes([["laptop", "X1"]], header=["kind", "serail"]))
    assert errors_of(plan) == [(1, "serail")]


def test_an_unknown_kind_is_named_with_its_row(world):
    plan = device_plan(world, csv_bytes([good_row("K1"), ["toaster"] + good_row("K2")[1:]]))
    assert errors_of(plan) == [(3, "kind")]
    assert "Unknown kind “toaster”" in plan.errors[0].message


def test_a_missing_kind_is_named(world):
    plan = device_plan(world, csv_bytes([[""] + good_row("K3")[1:]]))
    assert errors_of(plan) == [(2, "kind")]


def test_a_serial_twice_in_the_file_names_both_rows(world):
    plan = device_plan(world, csv_bytes([good_row("DUP1"), good_row("OK1"), good_row("dup1")]))
    assert errors_of(plan) == [(2, "serial"), (4, "serial")]
    assert "rows 2, 4" in plan.errors[0].message


def test_a_serial_already_in_the_database_is_named(world):
    DeviceFactory(batch=world.batch, serial="INDB-1")
    DeviceFactory(batch=world.batch_other, serial="OTHER-NET-1")
    plan = device_plan(world, csv_bytes([good_row("indb-1"), good_row("OTHER-NET-1")]))
    assert errors_of(plan) == [(2, "serial")]


def test_an_unknown_batch_or_location_is_named(world):
    rows = [good_row("B1", batch="D2099-0001"), good_row("B2", batch="d2026-0001")]
    rows[1][5] = "Zegers depot"  # a location of another network
    plan = device_plan(world, csv_bytes(rows))
    assert errors_of(plan) == [(2, "batch"), (3, "location")]


def test_a_bad_number_is_named(world):
    rows = [good_row("N1"), good_row("N2"), good_row("N3"), good_row("N4")]
    rows[0][6] = "veel"
    rows[1][7] = "150"
    rows[2][6] = "8.25"
    rows[3][7] = "-5"
    plan = device_plan(world, csv_bytes(rows))
    assert errors_of(plan) == [(2, "ram_gb"), (3, "battery_health"), (4, "ram_gb"), (5, "battery_health")]


def test_a_too_long_text_is_named(world):
    row = good_row("L1")
    row[1] = "x" * 81
    assert errors_of(device_plan(world, csv_bytes([row]))) == [(2, "brand")]


def test_every_bad_row_is_listed_not_only_the_first(world):
    rows = [good_row(f"M{n}") for n in range(10)]
    for n in (1, 4, 8):
        rows[n][0] = "fridge"
    assert device_plan(world, csv_bytes(rows)).bad_rows == [3, 6, 10]


# --- atomic import -------------------------------------------------------------------------


def test_the_good_file_imports_every_row_with_history(world):
    run = run_import(world, "devices", csv_bytes([good_row("G1"), good_row("G2"), good_row("G3")]))
    devices = Device.objects.filter(network=world.leuven, serial__startswith="G").order_by("asset_tag")
    assert [d.serial for d in devices] == ["G1", "G2", "G3"]
    numbers = [int(d.asset_tag.removeprefix("LEU-")) for d in devices]
    assert numbers == [numbers[0], numbers[0] + 1, numbers[0] + 2]
    assert all(d.batch == world.batch and d.location == world.collection_point for d in devices)
    assert DeviceEvent.objects.filter(device__in=devices, to_status="received", actor=world.desk).count() == 3
    assert (run.row_count, run.imported_by, run.kind) == (3, world.desk, "devices")


def test_a_file_with_one_bad_row_changes_nothing_and_names_the_row(world):
    rows = [good_row(f"A{n}") for n in range(20)]
    rows[13][0] = "toaster"
    before = Device.objects.count()
    with pytest.raises(imports.ImportFailed) as failed:
        run_import(world, "devices", csv_bytes(rows))
    assert failed.value.plan.bad_rows == [15]
    assert Device.objects.count() == before
    assert not ImportRun.objects.exists()


def test_the_same_file_is_never_imported_twice(world):
    content = csv_bytes([good_row("T1")])
    run_import(world, "devices", content)
    with pytest.raises(imports.ImportFailed) as failed:
        run_import(world, "devices", content)
    assert "already imported" in failed.value.plan.file_errors[0]
    assert Device.objects.filter(network=world.leuven, serial="T1").count() == 1


def test_a_row_that_became_bad_after_the_dry_run_stops_the_import(world):
    content = csv_bytes([good_row("R1"), good_row("R2")])
    assert device_plan(world, content).ok
    DeviceFactory(batch=world.batch, serial="R2")  # a colleague registers R2 meanwhile
    with pytest.raises(imports.ImportFailed) as failed:
        run_import(world, "devices", content)
    assert failed.value.plan.bad_rows == [3]
    assert not Device.objects.filter(serial="R1").exists()


# --- donations -----------------------------------------------------------------------------

DONATION_HEADER = [
    "donor_name",
    "donor_kind",
    "donor_vat",
    "donor_email",
    "received_on",
    "collection_point",
    "expected_count",
    "reference",
]


def donation_plan(world, rows):
    return imports.plan_import(
        network_id=world.leuven.pk,
        kind="donations",
        content=csv_bytes(rows, header=DONATION_HEADER),
        filename="d.csv",
    )


def test_donation_rows_create_donors_once_and_reuse_existing_ones(world):
    rows = [
        [
            "Nieuwe Firma BV",
            "organisation",
            "0403.170.701",
            "it@firma.example",
            "14/03/2026",
            "Inzamelpunt Stadskantoor",
            "12",
            "",
        ],
        ["nieuwe firma bv", "Company or organisation", "", "", "2026-03-20", "", "3", "OLD-17"],
        ["BROUWERIJ PROEFBIER NV", "organisation", "", "", "02.02.2026", "", "", ""],
        ["Lies Wouters", "person", "", "", "01-02-2026", "", "1", ""],
    ]
    today = timezone.localdate()
    if today < datetime.date(2026, 3, 20):
        pytest.skip("the example dates must be in the past")
    plan = donation_plan(world, rows)
    assert plan.ok, plan.errors
    run_import(world, "donations", csv_bytes(rows, header=DONATION_HEADER))
    new = Donor.objects.get(network=world.leuven, name="Nieuwe Firma BV")
    assert new.vat_number == "BE0403170701"
    assert Donor.objects.filter(network=world.leuven).count() == 3
    batches = DonationBatch.objects.filter(network=world.leuven).exclude(pk=world.batch.pk)
    assert sorted(b.reference for b in batches) == ["D2026-0002", "D2026-0003", "D2026-0004", "OLD-17"]
    assert batches.get(reference="OLD-17").donor == new
    assert batches.filter(donor=world.donor).count() == 1
    assert batches.get(donor__name="Lies Wouters").donor.kind == "person"


def test_bad_donation_rows_are_named_with_their_reason(world):
    rows = [
        ["Firma A", "organisation", "BE0403170702", "", "14/03/2025", "", "", ""],  # bad VAT
        ["Piet Peeters", "person", "BE0403170701", "", "14/03/2025", "", "", ""],  # person with VAT
        ["Firma C", "company", "", "geen-mail", "14/03/2025", "", "", ""],  # bad e-mail
        ["Firma D", "organisation", "", "", "31/02/2025", "", "", ""],  # no such date
        ["Firma E", "organisation", "", "", "01/01/2099", "", "", ""],  # future
        ["Firma F", "organisation", "", "", "01/01/2025", "Nergens", "", ""],  # unknown location
        ["Firma G", "organisation", "", "", "01/01/2025", "", "twaalf", ""],  # bad number
        ["Firma H", "organisation", "", "", "01/01/2025", "", "", "D2026-0001"],  # reference taken
        ["Brouwerij Proefbier NV", "person", "", "", "01/01/2025", "", "", ""],  # existing donor, other kind
        ["Firma J", "stichting", "", "", "01/01/2025", "", "", ""],  # unknown kind
        ["", "organisation", "", "", "", "", "", ""],  # required values missing
    ]
    plan = donation_plan(world, rows)
    assert errors_of(plan) == [
        (2, "donor_vat"),
        (3, "donor_vat"),
        (4, "donor_email"),
        (5, "received_on"),
        (6, "received_on"),
        (7, "collection_point"),
        (8, "expected_count"),
        (9, "reference"),
        (10, "donor_kind"),
        (11, "donor_kind"),
        (12, "donor_name"),
        (12, "received_on"),
    ]
    assert not plan.rows


def test_a_donor_name_shared_by_two_donors_is_ambiguous(world):
    DonorFactory(network=world.leuven, name="Dubbel")
    DonorFactory(network=world.leuven, name="dubbel")
    plan = donation_plan(world, [["Dubbel", "organisation", "", "", "01/01/2025", "", "", ""]])
    assert errors_of(plan) == [(2, "donor_name")]


def test_a_donor_with_two_kinds_in_one_file_is_refused(world):
    rows = [
        ["Nieuw", "organisation", "", "", "01/01/2025", "", "", ""],
        ["Nieuw", "person", "", "", "01/01/2025", "", "", ""],
    ]
    assert errors_of(donation_plan(world, rows)) == [(3, "donor_kind")]


def test_a_reference_twice_in_the_file_names_both_rows(world):
    rows = [
        ["A", "organisation", "", "", "01/01/2025", "", "", "X-1"],
        ["B", "organisation", "", "", "01/01/2025", "", "", "x-1"],
    ]
    assert errors_of(donation_plan(world, rows)) == [(2, "reference"), (3, "reference")]


def test_a_failed_donation_import_creates_no_donor(world):
    rows = [
        ["Nieuwe Donor", "organisation", "", "", "01/01/2025", "", "", ""],
        ["X", "robot", "", "", "01/01/2025", "", "", ""],
    ]
    with pytest.raises(imports.ImportFailed):
        run_import(world, "donations", csv_bytes(rows, header=DONATION_HEADER))
    assert not Donor.objects.filter(name="Nieuwe Donor").exists()


# --- templates -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["devices", "donations"])
def test_the_templates_list_every_column_and_their_example_passes_the_checks(world, kind):
    columns = [c.key for c in imports.COLUMNS[kind]]
    csv_template = imports.template_csv(kind)
    assert csv_template.decode("utf-8-sig").splitlines()[0] == ";".join(columns)
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(imports.template_xlsx(kind))).worksheets[0]
    assert [c.value for c in sheet[1]] == columns
    # The example row is valid against a network that has the example's batch.
    for content, name in ((csv_template, "t.csv"), (imports.template_xlsx(kind), "t.xlsx")):
        plan = imports.plan_import(network_id=world.leuven.pk, kind=kind, content=content, filename=name)
        assert plan.bad_rows == [], plan.errors


# --- property-based ------------------------------------------------------------------------

KINDS = ["laptop", "desktop", "tablet", "smartphone", "screen", "accessory"]
serials = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=4, max_size=12)
valid_rows = st.lists(
    st.tuples(
        st.sampled_from(KINDS),
        st.sampled_from(["Lenovo", "Dell", "HP", "Apple", "Acer", ""]),
        serials,
        st.one_of(
            st.just(""),
            st.integers(1, 64).map(str),
            st.decimals("0.5", "64", places=1).map(lambda d: str(d).replace(".", ",")),
        ),
        st.one_of(st.just(""), st.integers(0, 100).map(str)),
    ),
    min_size=1,
    max_size=25,
    unique_by=lambda row: row[2],
)
CORRUPTIONS = {
    "unknown kind": lambda row: ["toaster", *row[1:]],
    "unknown batch": lambda row: [*row[:4], "D1999-0404", *row[5:]],
    "unknown location": lambda row: [*row[:5], "Maan", *row[6:]],
    "bad number": lambda row: [*row[:6], "acht", row[7]],
    "battery over 100": lambda row: [*row[:7], "101"],
}


def as_csv_row(row):
    kind, brand, serial, ram, battery = row
    return [kind, brand, "", serial, "D2026-0001", "", ram, battery]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=valid_rows)
def test_random_valid_rows_import_exactly(world, rows):
    with transaction.atomic():
        before = set(Device.objects.values_list("pk", flat=True))
        run_import(world, "devices", csv_bytes([as_csv_row(r) for r in rows]))
        imported = Device.objects.exclude(pk__in=before).values_list("kind", "brand", "serial")
        assert sorted(imported) == sorted((k, b, s) for k, b, s, _r, _bat in rows)
        transaction.set_rollback(True)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=valid_rows, data=st.data())
def test_one_corrupt_row_anywhere_fails_the_whole_import_and_is_named(world, rows, data):
    csv_rows = [as_csv_row(r) for r in rows]
    position = data.draw(st.integers(0, len(csv_rows)), label="position")
    corruption = data.draw(st.sampled_from([*CORRUPTIONS, "duplicate serial"]), label="corruption")
    if corruption == "duplicate serial":
        bad = as_csv_row(data.draw(valid_rows, label="extra")[0])
        bad[3] = data.draw(st.sampled_from([r[3] for r in csv_rows])).lower()
    else:
        bad = CORRUPTIONS[corruption](as_csv_row(("laptop", "Dell", "UNIQUE-CORRUPT", "8", "90")))
    csv_rows.insert(position, bad)
    bad_row_number = position + 2  # row 1 is the header
    before = Device.objects.count()
    with pytest.raises(imports.ImportFailed) as failed:
        run_import(world, "devices", csv_bytes(csv_rows))
    assert bad_row_number in failed.value.plan.bad_rows
    if corruption != "duplicate serial":
        assert failed.value.plan.bad_rows == [bad_row_number]
    else:
        assert len(failed.value.plan.bad_rows) == 2
    assert Device.objects.count() == before
    assert not ImportRun.objects.exists()
