"""Erasure: the resident is anonymised for good, counts and histories stay."""

from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from digibank.audit.models import AuditEntry
from digibank.privacy.registry import RESIDENT, Subject, registered_provider
from digibank.residents import services
from digibank.residents.models import EligibilityProof, Resident, ResidentAccess, TimelineEntry
from tests.database_search import find_anywhere

from .data import resident_data

NAME = ("Quirijntje", "Vanderzwalmenhoek")
PHONE = "0470 55 66 77"
EMAIL = "quirijntje.v@example.org"


def url(name, resident) -> str:
    return reverse(f"residents:{name}", kwargs={"pk": resident.pk})


def confirm(word="ERASE") -> dict:
    return {"erase-confirm_word": word}


@pytest.fixture
def lived_in(world, client_for):
    """A resident registered through the form and used for a while by several people."""
    desk = client_for(world.partner_a)
    desk.post(
        reverse("residents:create"),
        resident_data(
            first_name=NAME[0],
            last_name=NAME[1],
            preferred_channel="email",
            email=EMAIL,
            phone=PHONE,
            street="Naamsestraat 99",
            city="Leuven",
            notes=f"Bel {NAME[0]} op {PHONE}",
        ),
    )
    resident = Resident.objects.get(last_name=NAME[1])
    desk.post(
        url("eligibility_add", resident), {"proof-kind": "other", "proof-detail": f"Kaart van {NAME[1]}"}
    )
    desk.get(url("detail", resident))
    client_for(world.desk).get(reverse("residents:list"), {"q": NAME[1]})
    client_for(world.desk).get(reverse("residents:duplicates"), {"first_name": NAME[0], "last_name": NAME[1]})
    services.timeline_add(resident=resident, kind="loan", summary=f"Laptop voor {NAME[0]}", actor=world.desk)
    return resident


def test_the_erasure_leaves_the_name_phone_and_email_nowhere_in_the_database(world, client_for, lived_in):
    assert find_anywhere(NAME[1]), "the check must find the name before the erasure"
    response = client_for(world.coordinator).post(url("erase", lived_in), confirm())
    assert response.status_code == 302
    for needle in [*NAME, PHONE, EMAIL, "Naamsestraat 99"]:
        assert find_anywhere(needle) == [], needle


def test_the_erasure_keeps_the_row_the_statistics_and_the_links(world, client_for, lived_in):
    audit_before = AuditEntry.objects.filter(subject_kind="resident", subject_id=lived_in.pk).count()
    client_for(world.coordinator).post(url("erase", lived_in), confirm())
    resident = Resident.objects.get(pk=lived_in.pk)
    assert resident.is_erased
    assert (resident.first_name, resident.last_name) == ("—", f"#{resident.pk}")
    assert resident.birth_year == 1950
    assert (resident.postcode, resident.district, resident.languages) == ("3001", world.district, "nl")
    assert (resident.phone, resident.email, resident.street, resident.city, resident.notes) == ("",) * 5
    assert resident.preferred_channel == ""
    assert EligibilityProof.objects.get(resident=resident).kind == "other"
    assert ResidentAccess.objects.filter(resident=resident).exists()
    assert TimelineEntry.objects.filter(resident=resident).count() >= 4
    assert (
        AuditEntry.objects.filter(subject_kind="resident", subject_id=resident.pk).count() == audit_before + 1
    )
    entry = AuditEntry.objects.get(subject_kind="resident", subject_id=resident.pk, action="erase")
    assert entry.actor == world.coordinator and "phone" in entry.fields


def test_an_erased_resident_disappears_from_lists_and_search(world, client_for, lived_in):
    client = client_for(world.coordinator)
    client.post(url("erase", lived_in), confirm())
    assert lived_in not in client.get(reverse("residents:list")).context["residents"]
    assert lived_in not in client.get(reverse("core:search"), {"q": f"#{lived_in.pk}"}).context["results"]
    page = client.get(url("detail", lived_in))
    assert "was erased on" in page.text


@pytest.mark.parametrize(
    "data", [{}, confirm(""), confirm("yes"), confirm("ERASED"), {"confirm_word": "ERASE"}]
)
def test_an_erasure_without_the_confirmation_word_erases_nothing(world, client_for, lived_in, data):
    response = client_for(world.coordinator).post(url("erase", lived_in), data)
    assert response.status_code == 200
    assert "Nothing was erased" in response.text
    assert 'id="id_erase-confirm_word_error"' in response.text
    resident = Resident.objects.get(pk=lived_in.pk)
    assert not resident.is_erased and resident.last_name == NAME[1]
    assert not AuditEntry.objects.filter(
        subject_kind="resident", subject_id=lived_in.pk, action="erase"
    ).exists()


def test_the_confirmation_word_is_not_case_sensitive(world, client_for, lived_in):
    client_for(world.coordinator).post(url("erase", lived_in), confirm(" erase "))
    assert Resident.objects.get(pk=lived_in.pk).is_erased


def test_the_confirmation_word_follows_the_language(world, client_for, lived_in):
    dutch = {"ERASE": "WISSEN"}
    with mock.patch("digibank.residents.forms._", lambda text: dutch.get(text, text)):
        client = client_for(world.coordinator)
        assert "Type WISSEN to confirm" in client.get(url("detail", lived_in)).text
        assert client.post(url("erase", lived_in), confirm("ERASE")).status_code == 200
        assert not Resident.objects.get(pk=lived_in.pk).is_erased
        assert client.post(url("erase", lived_in), confirm("wissen")).status_code == 302
    assert Resident.objects.get(pk=lived_in.pk).is_erased


def test_erasing_twice_changes_nothing_more(world, client_for, lived_in):
    client = client_for(world.coordinator)
    client.post(url("erase", lived_in), confirm())
    erased_at = Resident.objects.get(pk=lived_in.pk).erased_at
    response = client.post(url("erase", lived_in), confirm())
    assert response.status_code == 302
    assert Resident.objects.get(pk=lived_in.pk).erased_at == erased_at
    assert (
        AuditEntry.objects.filter(subject_kind="resident", subject_id=lived_in.pk, action="erase").count()
        == 1
    )


def test_only_the_coordinator_erases_and_only_by_post(world, client_for, lived_in):
    assert client_for(world.desk).post(url("erase", lived_in), confirm()).status_code == 403
    assert client_for(world.partner_a).post(url("erase", lived_in), confirm()).status_code == 403
    assert client_for(world.coordinator).get(url("erase", lived_in)).status_code == 405
    assert client_for(world.outsider).post(url("erase", lived_in), confirm()).status_code == 404
    assert not Resident.objects.get(pk=lived_in.pk).is_erased


def test_the_erasure_scrubs_query_strings_from_audit_sources(world, lived_in):
    AuditEntry.objects.create(
        network=world.leuven,
        subject_kind="resident",
        subject_id=lived_in.pk,
        action="view",
        source=f"/api/v1/residents?q={NAME[1]}",
    )
    services.resident_erase(resident=lived_in, actor=world.coordinator, source="test")
    assert not AuditEntry.objects.filter(
        subject_kind="resident", subject_id=lived_in.pk, source__contains="?"
    ).exists()


def test_an_erased_resident_keeps_the_decade_of_birth(world):
    from .. import factories as f

    resident = f.ResidentFactory(network=world.leuven, birth_year=1999)
    services.resident_erase(resident=resident, actor=None, source="test")
    resident.refresh_from_db()
    assert resident.birth_year == 1990
    assert resident.erased_at <= timezone.now()


def test_other_capabilities_erase_their_copies_through_the_privacy_registry(world):
    from .. import factories as f

    resident = f.ResidentFactory(network=world.leuven)
    seen = []
    with registered_provider(
        name="test-capability",
        models=[],
        kinds=[RESIDENT],
        export=lambda subject: [],
        erase=seen.append,
    ):
        services.resident_erase(resident=resident, actor=world.coordinator, source="test")
    assert seen == [Subject(RESIDENT, resident.pk, network_id=world.leuven.pk)]
    assert Resident.objects.get(pk=resident.pk).is_erased


def test_a_failing_provider_erases_nothing(world):
    from .. import factories as f

    resident = f.ResidentFactory(network=world.leuven, last_name="Vanhout")

    def fail(subject):
        raise RuntimeError("the capability's database is gone")

    with (
        registered_provider(
            name="test-failing", models=[], kinds=[RESIDENT], export=lambda s: [], erase=fail
        ),
        pytest.raises(RuntimeError),
    ):
        services.resident_erase(resident=resident, actor=world.coordinator, source="test")
    resident.refresh_from_db()
    assert not resident.is_erased and resident.last_name == "Vanhout"
    assert not AuditEntry.objects.filter(
        subject_kind="resident", subject_id=resident.pk, action="erase"
    ).exists()
