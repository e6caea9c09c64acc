"""Subject-access export: everything held on one resident, as JSON and as a readable PDF."""

import json

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from digibank.audit.models import AuditEntry
from digibank.residents import selectors, services
from digibank.residents.models import EligibilityProof, ResidentAccess

from .. import factories as f


def url(name, resident) -> str:
    return reverse(f"residents:{name}", kwargs={"pk": resident.pk})


def enrich(world):
    resident = f.ResidentFactory(
        network=world.leuven,
        first_name="Fatima",
        last_name="Fransen",
        organisation=world.org_a,
        district=world.district,
    )
    EligibilityProof.objects.create(
        network=world.leuven,
        resident=resident,
        kind="other",
        detail="Studiebeurs",
        seen_on=timezone.localdate(),
        seen_by=world.desk,
    )
    ResidentAccess.objects.create(
        network=world.leuven, resident=resident, organisation=world.org_b, reason="referred"
    )
    services.timeline_add(resident=resident, kind="loan", summary="Laptop uitgeleend", actor=world.desk)
    return resident


def test_the_json_export_holds_everything_and_downloads(world, client_for):
    resident = enrich(world)
    client_for(world.desk).get(url("detail", resident))
    response = client_for(world.coordinator).get(url("export_json", resident))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="resident-{resident.pk}.json"'
    data = json.loads(response.content)
    fields = {row["field"]: row["value"] for row in data["resident"]}
    assert (fields["first_name"], fields["last_name"], fields["district"]) == (
        "Fatima",
        "Fransen",
        "Heverlee",
    )
    assert fields["registered_by_organisation"] == "Buurtwerk A"
    assert data["eligibility"][0]["detail"] == "Studiebeurs"
    assert {a["organisation"] for a in data["accesses"]} == {"Buurtwerk A", "OCMW B"}
    assert data["timeline"][0]["summary"] == "Laptop uitgeleend"
    actions = [entry["action"] for entry in data["audit"]]
    assert "view" in actions and "export" in actions
    assert data["network"] == world.leuven.name
    assert "Zegers" not in response.content.decode()


def test_the_export_is_recorded_in_the_audit_trail(world, client_for):
    client = client_for(world.coordinator)
    client.get(url("export_json", world.resident_a))
    client.get(url("export_pdf", world.resident_a))
    entries = AuditEntry.objects.filter(
        subject_kind="resident", subject_id=world.resident_a.pk, action="export", actor=world.coordinator
    )
    assert {e.source for e in entries} == {
        url("export_json", world.resident_a),
        url("export_pdf", world.resident_a),
    }


def test_the_pdf_export_is_a_pdf_download(world, client_for):
    response = client_for(world.coordinator).get(url("export_pdf", enrich(world)))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF")


def test_the_pdf_is_made_from_the_same_data_with_readable_labels(world):
    data = selectors.resident_subject_access_data(enrich(world))
    html = render_to_string("residents/export.html", {"data": data})
    for text in [
        "Fatima",
        "Fransen",
        "Heverlee",
        "Studiebeurs",
        "OCMW B",
        "Laptop uitgeleend",
        "Year of birth",
    ]:
        assert text in html


def test_only_the_coordinator_exports(world, client_for):
    for name in ["export_json", "export_pdf"]:
        assert client_for(world.desk).get(url(name, world.resident_a)).status_code == 403
        assert client_for(world.partner_a).get(url(name, world.resident_a)).status_code == 403
        assert client_for(world.outsider).get(url(name, world.resident_a)).status_code == 404
    assert not AuditEntry.objects.filter(
        subject_kind="resident", subject_id=world.resident_a.pk, action="export"
    ).exists()


def test_the_export_of_an_erased_resident_holds_no_personal_data(world, client_for):
    resident = enrich(world)
    services.resident_erase(resident=resident, actor=world.coordinator, source="test")
    text = client_for(world.coordinator).get(url("export_json", resident)).content.decode()
    assert "Fatima" not in text and "Studiebeurs" not in text and "Laptop" not in text
