"""Erasing a resident also blanks what requests and referrals hold about them in free text."""

from digibank.referrals.models import ReferralNote
from digibank.residents.services import resident_erase
from tests.residents.test_erase import find_anywhere

from .. import factories as f
from .helpers import make_request, refer


def test_erasure_leaves_no_trace_in_requests_referrals_and_notes(world):
    resident = f.ResidentFactory(network=world.leuven, first_name="Quirijn", last_name="Zwartjeskens")
    request = make_request(world, resident=resident, description="Quirijn Zwartjeskens belt op 0499 11 22 33")
    referral = refer(world, request)[0]
    referral.handover_contact = "Quirijn via 0499 11 22 33"
    referral.save()
    ReferralNote.objects.create(
        network=world.leuven,
        referral=referral,
        author=world.desk,
        text="Zwartjeskens gebeld",
        visibility="desk",
    )
    assert find_anywhere("Zwartjeskens") and find_anywhere("0499 11 22 33")

    resident_erase(resident=resident, actor=world.coordinator, source="test")

    assert find_anywhere("Zwartjeskens") == []
    assert find_anywhere("Quirijn") == []
    assert find_anywhere("0499 11 22 33") == []
    referral.refresh_from_db()
    assert referral.status  # the referral itself and its outcome stay for the figures
