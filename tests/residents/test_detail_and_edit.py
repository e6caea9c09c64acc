"""The resident page (audited on every view), changing data, and the timeline."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from digibank.audit.models import AuditEntry
from digibank.residents import services
from digibank.residents.models import Resident, TimelineEntry

from .. import factories as f
from .data import resident_data


def detail(resident) -> str:
    return reverse("residents:detail", kwargs={"pk": resident.pk})


def edit(resident) -> str:
    return reverse("residents:edit", kwargs={"pk": resident.pk})


def form_data_of(resident, **overrides) -> dict:
    return resident_data(
        **{
            "first_name": resident.first_name,
            "last_name": resident.last_name,
            "birth_year": str(resident.birth_year),
            "postcode": resident.postcode,
            "district": resident.district_id or "",
            "languages": resident.languages,
            "preferred_channel": resident.preferred_channel,
            "phone": resident.phone,
            "email": resident.email,
            "street": resident.street,
            "city": resident.city,
            "legal_basis": resident.legal_basis,
            "consent_date": resident.consent_date.isoformat() if resident.consent_date else "",
            "notes": resident.notes,
            **overrides,
        }
    )


@pytest.fixture
def resident(world):
    return f.ResidentFactory(
        network=world.leuven,
        first_name="Mia",
        last_name="Maes",
        preferred_channel="letter",
        street="Naamsestraat 1",
        city="Leuven",
        phone="016 12 34 56",
    )


def test_every_view_of_the_page_writes_an_audit_entry(world, client_for, resident):
    client = client_for(world.desk)
    response = client.get(detail(resident))
    assert response.status_code == 200
    assert "Naamsestraat 1" in response.text
    client.get(detail(resident))
    entries = AuditEntry.objects.filter(
        subject_kind="resident", subject_id=resident.pk, action="view", actor=world.desk
    )
    assert entries.count() == 2
    entry = entries.first()
    assert entry.source == detail(resident)
    assert {"first_name", "phone", "street", "notes", "eligibility"} <= set(entry.fields)


def test_a_partner_opens_their_own_resident_but_not_another_partners(world, client_for):
    assert client_for(world.partner_a).get(detail(world.resident_a)).status_code == 200
    assert client_for(world.partner_b).get(detail(world.resident_a)).status_code == 404
    assert not AuditEntry.objects.filter(actor=world.partner_b).exists()


def test_another_network_gets_404_and_no_audit_entry(world, client_for):
    assert client_for(world.outsider).get(detail(world.resident_a)).status_code == 404
    assert client_for(world.desk).get(detail(world.resident_other)).status_code == 404
    assert not AuditEntry.objects.filter(actor__in=[world.outsider, world.desk]).exists()


def test_roles_without_personal_data_get_403(world, client_for):
    assert client_for(world.volunteer).get(detail(world.resident_a)).status_code == 403
    assert client_for(world.steering).get(detail(world.resident_a)).status_code == 403


def test_only_the_coordinator_gets_the_audit_export_and_erase_links(world, client_for, resident):
    coordinator = client_for(world.coordinator).get(detail(resident)).text
    desk = client_for(world.desk).get(detail(resident)).text
    for url in [
        reverse("residents:audit", kwargs={"pk": resident.pk}),
        reverse("residents:export_json", kwargs={"pk": resident.pk}),
        reverse("residents:export_pdf", kwargs={"pk": resident.pk}),
        reverse("residents:erase", kwargs={"pk": resident.pk}),
    ]:
        assert url in coordinator
        assert url not in desk


def test_digipunt_staff_see_the_page_without_change_buttons(world, client_for, resident):
    text = client_for(world.digipunt).get(detail(resident)).text
    assert edit(resident) not in text
    assert reverse("residents:eligibility_add", kwargs={"pk": resident.pk}) not in text


def test_the_edit_form_shows_the_data_and_is_audited_as_a_view(world, client_for, resident):
    response = client_for(world.desk).get(edit(resident))
    assert response.status_code == 200
    assert 'value="Naamsestraat 1"' in response.text
    assert "hx-get" not in response.text  # no duplicate check when editing
    assert AuditEntry.objects.filter(
        subject_kind="resident", subject_id=resident.pk, action="view", source=edit(resident)
    ).exists()


def test_a_change_is_saved_audited_and_on_the_timeline_without_values(world, client_for, resident):
    data = form_data_of(resident, phone="0470 99 88 77", notes="Komt op dinsdag")
    response = client_for(world.desk).post(edit(resident), data)
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.phone == "0470 99 88 77"
    entry = AuditEntry.objects.get(subject_kind="resident", subject_id=resident.pk, action="update")
    assert sorted(entry.fields) == ["notes", "phone"]
    line = TimelineEntry.objects.get(resident=resident, kind="changed")
    assert "phone" in line.summary
    assert "0470" not in line.summary and "dinsdag" not in line.summary


def test_saving_without_changes_records_nothing(world, client_for, resident):
    response = client_for(world.desk).post(edit(resident), form_data_of(resident))
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(
        subject_kind="resident", subject_id=resident.pk, action="update"
    ).exists()
    assert not TimelineEntry.objects.filter(resident=resident).exists()


def test_a_new_consent_date_records_who_recorded_it(world, client_for, resident):
    new_date = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    client_for(world.coordinator).post(edit(resident), form_data_of(resident, consent_date=new_date))
    resident.refresh_from_db()
    assert resident.consent_recorded_by == world.coordinator
    assert TimelineEntry.objects.filter(resident=resident, kind="consent").exists()


def test_switching_to_consent_records_who_recorded_it(world, client_for):
    resident = f.ResidentFactory(network=world.leuven, legal_basis="public_task", consent_date=None)
    new_date = timezone.localdate().isoformat()
    client_for(world.desk).post(
        edit(resident),
        form_data_of(resident, legal_basis="consent", consent_date=new_date, preferred_channel=""),
    )
    resident.refresh_from_db()
    assert (resident.legal_basis, resident.consent_recorded_by) == ("consent", world.desk)


def test_a_wrong_change_re_renders_and_changes_nothing(world, client_for, resident):
    response = client_for(world.desk).post(edit(resident), form_data_of(resident, street="", phone="1"))
    assert response.status_code == 200
    assert {"street", "phone"} <= set(response.context["form"].errors)
    resident.refresh_from_db()
    assert resident.street == "Naamsestraat 1"
    assert not AuditEntry.objects.filter(
        subject_kind="resident", subject_id=resident.pk, action="update"
    ).exists()


def test_a_partner_changes_their_own_resident_only(world, client_for):
    data = form_data_of(world.resident_a, notes="Nieuw", preferred_channel="")
    assert client_for(world.partner_b).post(edit(world.resident_a), data).status_code == 404
    assert client_for(world.digipunt).post(edit(world.resident_a), data).status_code == 403
    assert client_for(world.partner_a).post(edit(world.resident_a), data).status_code == 302
    world.resident_a.refresh_from_db()
    assert world.resident_a.notes == "Nieuw"


def test_another_network_cannot_change_a_resident(world, client_for):
    data = form_data_of(world.resident_a, notes="Gehackt")
    assert client_for(world.outsider).post(edit(world.resident_a), data).status_code == 404
    world.resident_a.refresh_from_db()
    assert world.resident_a.notes == ""


def test_the_timeline_shows_the_newest_first(world, client_for, resident):
    now = timezone.now()
    services.timeline_add(
        resident=resident, kind="loan", summary="Laptop uitgeleend", actor=world.desk, occurred_at=now
    )
    services.timeline_add(
        resident=resident,
        kind="help",
        summary="Hulp bij tax-on-web",
        actor=None,
        occurred_at=now - datetime.timedelta(days=2),
    )
    text = client_for(world.desk).get(detail(resident)).text
    assert text.index("Laptop uitgeleend") < text.index("Hulp bij tax-on-web")


def test_timeline_add_stays_within_the_residents_network(world):
    entry = services.timeline_add(resident=world.resident_other, kind="x", summary="y", actor=None)
    assert entry.network == world.other
    assert entry.occurred_at is not None


def test_an_erased_resident_shows_erased_to_the_coordinator_and_is_gone_for_others(
    world, client_for, resident
):
    services.resident_erase(resident=resident, actor=world.coordinator, source="test")
    response = client_for(world.coordinator).get(detail(resident))
    assert response.status_code == 200
    assert "was erased on" in response.text
    assert edit(resident) not in response.text
    assert client_for(world.desk).get(detail(resident)).status_code == 404
    assert client_for(world.coordinator).get(edit(resident)).status_code == 404


def test_the_service_refuses_to_change_an_erased_resident(world, resident):
    services.resident_erase(resident=resident, actor=world.coordinator, source="test")
    with pytest.raises(Exception, match="erased"):
        services.resident_update(resident=resident, actor=world.desk, data={"notes": "x"}, source="test")
    assert Resident.objects.get(pk=resident.pk).notes == ""
