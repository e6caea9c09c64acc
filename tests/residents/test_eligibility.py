"""Eligibility: recording that proof of a status was seen (never the document), and removing it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from digibank.audit.models import AuditEntry
from digibank.residents.models import EligibilityProof, TimelineEntry

from .. import factories as f


def add_url(resident) -> str:
    return reverse("residents:eligibility_add", kwargs={"pk": resident.pk})


def remove_url(resident) -> str:
    return reverse("residents:eligibility_remove", kwargs={"pk": resident.pk})


def proof_data(**overrides) -> dict:
    return {"proof-kind": "living_wage", "proof-seen_on": timezone.localdate().isoformat(), **overrides}


def proofs_of(resident):
    return EligibilityProof.objects.filter(resident=resident)


def proof_for(resident, kind="living_wage", **kwargs) -> EligibilityProof:
    return EligibilityProof.objects.create(
        network=resident.network, resident=resident, kind=kind, seen_on=timezone.localdate(), **kwargs
    )


def test_the_desk_records_proof_seen(world, client_for):
    response = client_for(world.desk).post(add_url(world.resident_desk), proof_data())
    assert response.status_code == 302
    proof = EligibilityProof.objects.get(resident=world.resident_desk)
    assert (proof.kind, proof.seen_by, proof.network) == ("living_wage", world.desk, world.leuven)
    entry = AuditEntry.objects.get(
        subject_kind="resident", subject_id=world.resident_desk.pk, action="update"
    )
    assert entry.fields == ["eligibility"]
    assert TimelineEntry.objects.filter(resident=world.resident_desk, kind="eligibility_added").exists()


def test_seen_on_defaults_to_today(world, client_for):
    client_for(world.desk).post(add_url(world.resident_desk), {"proof-kind": "debt_mediation"})
    assert EligibilityProof.objects.get(resident=world.resident_desk).seen_on == timezone.localdate()


def test_the_page_offers_the_form_with_today_filled_in_and_no_upload(world, client_for):
    text = client_for(world.desk).get(reverse("residents:detail", kwargs={"pk": world.resident_desk.pk})).text
    assert f'value="{timezone.localdate().isoformat()}"' in text
    assert 'type="file"' not in text


def test_a_second_proof_of_the_same_kind_gets_a_friendly_error(world, client_for):
    proof_for(world.resident_desk)
    response = client_for(world.desk).post(add_url(world.resident_desk), proof_data())
    assert response.status_code == 200
    assert "already recorded" in response.text
    assert EligibilityProof.objects.filter(resident=world.resident_desk).count() == 1


def test_the_same_kind_for_another_resident_is_fine(world, client_for):
    proof_for(f.ResidentFactory(network=world.leuven))
    assert client_for(world.desk).post(add_url(world.resident_desk), proof_data()).status_code == 302


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"proof-kind": ""}, "required"),
        ({"proof-kind": "other", "proof-detail": ""}, "Say which status"),
        ({"proof-seen_on": (timezone.localdate() + datetime.timedelta(days=2)).isoformat()}, "future"),
        (
            {"proof-valid_until": (timezone.localdate() - datetime.timedelta(days=2)).isoformat()},
            "cannot be before",
        ),
    ],
)
def test_wrong_proof_data_re_renders_the_page_with_the_error(world, client_for, overrides, message):
    response = client_for(world.desk).post(add_url(world.resident_desk), proof_data(**overrides))
    assert response.status_code == 200
    assert message in response.text
    assert not proofs_of(world.resident_desk).exists()


def test_detail_is_kept_only_for_other(world, client_for):
    client = client_for(world.desk)
    client.post(add_url(world.resident_desk), proof_data(**{"proof-detail": "Iets"}))
    client.post(
        add_url(world.resident_desk), proof_data(**{"proof-kind": "other", "proof-detail": "Studiebeurs"})
    )
    details = dict(proofs_of(world.resident_desk).values_list("kind", "detail"))
    assert details == {"living_wage": "", "other": "Studiebeurs"}


def test_an_empty_post_changes_nothing(world, client_for):
    before = proofs_of(world.resident_a).count()
    response = client_for(world.coordinator).post(add_url(world.resident_a), {})
    assert response.status_code == 200
    assert proofs_of(world.resident_a).count() == before


def test_removing_a_proof_is_audited_and_on_the_timeline(world, client_for):
    proof = proof_for(world.resident_desk)
    response = client_for(world.desk).post(remove_url(world.resident_desk), {"proof": proof.pk})
    assert response.status_code == 302
    assert not proofs_of(world.resident_desk).exists()
    assert AuditEntry.objects.filter(
        subject_kind="resident", subject_id=world.resident_desk.pk, action="update"
    ).exists()
    assert TimelineEntry.objects.filter(resident=world.resident_desk, kind="eligibility_removed").exists()


@pytest.mark.parametrize("value", ["", "junk", "999999"])
def test_removing_with_a_bad_id_removes_nothing(world, client_for, value):
    proof_for(world.resident_desk)
    response = client_for(world.desk).post(remove_url(world.resident_desk), {"proof": value})
    assert response.status_code == 302
    assert proofs_of(world.resident_desk).count() == 1


def test_a_proof_of_another_resident_cannot_be_removed_through_this_one(world, client_for):
    other_proof = proof_for(f.ResidentFactory(network=world.leuven))
    client_for(world.desk).post(remove_url(world.resident_desk), {"proof": other_proof.pk})
    assert EligibilityProof.objects.filter(pk=other_proof.pk).exists()


def test_another_network_cannot_touch_the_proof(world, client_for):
    proof = proof_for(world.resident_desk)
    outsider = client_for(world.outsider)
    assert outsider.post(remove_url(world.resident_desk), {"proof": proof.pk}).status_code == 404
    assert (
        outsider.post(add_url(world.resident_desk), proof_data(**{"proof-kind": "other"})).status_code == 404
    )
    foreign = proof_for(f.ResidentFactory(network=world.other))
    client_for(world.coordinator).post(remove_url(world.resident_desk), {"proof": foreign.pk})
    assert EligibilityProof.objects.filter(pk__in=[proof.pk, foreign.pk]).count() == 2
    assert proofs_of(world.resident_desk).count() == 1


def test_partners_and_digipunt_staff_are_held_to_their_rights(world, client_for):
    own = f.ResidentFactory(network=world.leuven, organisation=world.org_a)
    assert client_for(world.partner_b).post(add_url(own), proof_data()).status_code == 404
    assert client_for(world.digipunt).post(add_url(own), proof_data()).status_code == 403
    assert client_for(world.partner_a).post(add_url(own), proof_data()).status_code == 302
    assert proofs_of(own).get().seen_by == world.partner_a


def test_adding_is_post_only(world, client_for):
    assert client_for(world.desk).get(add_url(world.resident_a)).status_code == 405


def test_eligibility_for_an_erased_resident_is_refused(world, client_for):
    resident = f.ResidentFactory(network=world.leuven)
    resident.erased_at = timezone.now()
    resident.save()
    assert client_for(world.coordinator).post(add_url(resident), proof_data()).status_code == 404
