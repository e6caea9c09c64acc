import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from digibank.devices.donations.views import IMPORT_SESSION_KEY
from digibank.devices.models import Device, ImportRun

from .test_imports import csv_bytes, good_row


def upload(client, content, name="devices.csv", kind="devices"):
    return client.post(
        reverse("donations:import"), {"kind": kind, "file": SimpleUploadedFile(name, content, "text/csv")}
    )


def test_the_dry_run_shows_what_would_be_created_and_writes_nothing(world, client_for):
    client = client_for(world.desk)
    response = upload(client, csv_bytes([good_row("V1"), good_row("V2")]))
    assert response.status_code == 200
    assert "2 rows can be imported. Nothing is saved until you confirm." in response.text
    assert (
        "Laptop Lenovo ThinkPad T480 · serial V1 · batch D2026-0001 · Inzamelpunt Stadskantoor"
        in response.text
    )
    assert "Confirm the import" in response.text
    assert not Device.objects.filter(batch=world.batch).exists()
    assert client.session[IMPORT_SESSION_KEY]["sha256"] == response.context["plan"].sha256


def test_confirming_imports_every_row_once(world, client_for):
    client = client_for(world.desk)
    plan = upload(client, csv_bytes([good_row("V1"), good_row("V2")])).context["plan"]
    response = client.post(reverse("donations:import_confirm"), {"sha256": plan.sha256})
    assert response.status_code == 302
    assert Device.objects.filter(network=world.leuven, batch=world.batch).count() == 2
    assert IMPORT_SESSION_KEY not in client.session
    # A second click on "confirm" imports nothing more.
    response = client.post(reverse("donations:import_confirm"), {"sha256": plan.sha256}, follow=True)
    assert "There is no checked file waiting to be imported" in response.text
    assert Device.objects.filter(batch=world.batch).count() == 2
    assert ImportRun.objects.get().row_count == 2


def test_a_bad_file_lists_every_bad_row_and_offers_no_confirmation(world, client_for):
    client = client_for(world.desk)
    rows = [good_row("V1"), ["printer", *good_row("V2")[1:]], good_row("V3"), good_row("v1")]
    response = upload(client, csv_bytes(rows))
    assert "cannot be imported" in response.text
    assert "3 rows have problems." in response.text
    assert "Unknown kind “printer”" in response.text
    assert "Serial number V1 appears more than once in the file (rows 2, 5)." in response.text
    assert "Confirm the import" not in response.text
    assert IMPORT_SESSION_KEY not in client.session
    assert not Device.objects.filter(batch=world.batch).exists()


def test_a_confirm_without_a_checked_file_changes_nothing(world, client_for):
    response = client_for(world.desk).post(reverse("donations:import_confirm"), {})
    assert response.status_code == 302
    assert response["Location"] == reverse("donations:import")
    assert not Device.objects.filter(batch=world.batch).exists()


def test_a_confirm_rechecks_the_file_and_names_rows_that_became_bad(world, client_for):
    from .factories import DeviceFactory

    client = client_for(world.desk)
    plan = upload(client, csv_bytes([good_row("V1"), good_row("V2")])).context["plan"]
    DeviceFactory(batch=world.batch, serial="V2")
    response = client.post(reverse("donations:import_confirm"), {"sha256": plan.sha256})
    assert response.status_code == 200
    assert "Nothing was imported" in response.text
    assert response.context["plan"].bad_rows == [3]
    assert not Device.objects.filter(serial="V1").exists()


def test_a_file_over_the_size_limit_is_refused(world, client_for):
    response = upload(client_for(world.desk), b"kind\n" + b"laptop\n" * 400_000)
    assert "larger than 2 MB" in response.text


def test_the_templates_download_as_csv_and_xlsx(world, client_for):
    from openpyxl import load_workbook

    client = client_for(world.desk)
    response = client.get(reverse("donations:import_template"), {"kind": "donations", "format": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="digibank-donations-template.csv"'
    assert response.content.decode("utf-8-sig").startswith("donor_name;donor_kind;donor_vat")
    response = client.get(reverse("donations:import_template"), {"kind": "devices", "format": "xlsx"})
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.worksheets[0]["A1"].value == "kind"
    assert workbook.worksheets[1]["A2"].value == "kind"  # the help sheet


def test_only_device_managers_import(world, client_for):
    for actor in (world.digipunt, world.partner_a, world.volunteer):
        client = client_for(actor)
        assert client.get(reverse("donations:import")).status_code == 403
        assert upload(client, csv_bytes([good_row("P1")])).status_code == 403
    assert not Device.objects.filter(batch=world.batch).exists()


def test_the_import_page_lists_recent_imports_of_this_network_only(world, client_for):
    ImportRun.objects.create(
        network=world.other, kind="devices", filename="zegers.csv", sha256="x", row_count=3
    )
    ImportRun.objects.create(
        network=world.leuven, kind="devices", filename="leuven.csv", sha256="y", row_count=4
    )
    response = client_for(world.coordinator).get(reverse("donations:import"))
    assert "leuven.csv" in response.text
    assert "zegers" not in response.text


# --- the mapping step (issue 10) -----------------------------------------------------------

OWN_CSV = b"Type;Merk;Serienummer;Kleur;Inventarisnr oud\r\nlaptop;Lenovo;OWN-1;zwart;OUD-3\r\n"


def test_unknown_columns_are_asked_about_then_the_file_is_checked_again(world, client_for):
    client = client_for(world.desk)
    response = upload(client, OWN_CSV)
    assert "What do the columns of devices.csv hold?" in response.text
    assert "Confirm the import" not in response.text
    plan = response.context["plan"]
    assert [label for _key, label in plan.unmapped] == ["Kleur", "Inventarisnr oud"]
    response = client.post(
        reverse("donations:import_mapping"), {"sha256": plan.sha256, "column_0": "", "column_1": "notes"}
    )
    assert response.status_code == 200
    assert "1 row can be imported." in response.text and "Confirm the import" in response.text
    response = client.post(reverse("donations:import_confirm"), {"sha256": plan.sha256})
    assert Device.objects.get(network=world.leuven, serial="OWN-1").notes == "OUD-3"
    # The next file with the same columns goes straight to the dry run.
    second = OWN_CSV.replace(b"OWN-1", b"OWN-2")
    assert "1 row can be imported." in upload(client, second).text


def test_the_mapping_step_refuses_a_field_that_does_not_exist_and_a_stale_file(world, client_for):
    client = client_for(world.desk)
    plan = upload(client, OWN_CSV).context["plan"]
    response = client.post(
        reverse("donations:import_mapping"), {"sha256": plan.sha256, "column_0": "asset_tag", "column_1": ""}
    )
    assert "Select a valid choice" in response.text
    response = client.post(reverse("donations:import_mapping"), {"sha256": "0" * 64}, follow=True)
    assert "There is no checked file waiting to be imported" in response.text
    assert not Device.objects.filter(serial="OWN-1").exists()


def test_a_role_without_device_manage_cannot_map_columns(world, client_for):
    for actor in (world.volunteer, world.partner_a, world.steering):
        response = client_for(actor).post(reverse("donations:import_mapping"), {"sha256": "x"})
        assert response.status_code == 403
