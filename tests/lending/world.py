"""Lending in the test world: in each network a priority category, a loan and a waiting resident
with an open offer. The copy in ``other`` says "Zegers" (device model, category, resident).

It reuses the world's residents and records a coordinator's exception instead of eligibility
proof, so other areas' counts (residents, proofs, accesses) stay what their tests expect.
"""

from digibank.lending.models import PriorityCategory
from digibank.lending.services import lending_settings_for, loan_create, offer_make, waiting_add

from .helpers import ready_device

EXCEPTION = {"override_reason": "Test world", "may_override": True}


def _lending(network, *, borrower, waiter, category_name, tag_prefix, model):
    lending_settings_for(network)
    category = PriorityCategory.objects.create(network=network, name=category_name, rank=1)
    first = ready_device(network, tag=f"{tag_prefix}-0001", model=model, serial=f"{tag_prefix}SN1")
    loan = loan_create(resident=borrower, device=first, actor=None, **EXCEPTION)
    entry = waiting_add(resident=waiter, category=category, device_kind="laptop", actor=None, **EXCEPTION)
    second = ready_device(network, tag=f"{tag_prefix}-0002", model=model, serial=f"{tag_prefix}SN2")
    offer = offer_make(device=second, actor=None)
    return category, loan, entry, offer


def extend_world(w):
    w.borrower, w.waiter = w.resident_desk, w.resident_a
    w.category, w.loan, w.entry, w.offer = _lending(
        w.leuven,
        borrower=w.borrower,
        waiter=w.waiter,
        category_name="Leerlingen en studenten",
        tag_prefix="LNT",
        model="ThinkPad T480",
    )
    w.borrower_other = w.waiter_other = w.resident_other
    w.category_other, w.loan_other, w.entry_other, w.offer_other = _lending(
        w.other,
        borrower=w.resident_other,
        waiter=w.resident_other,
        category_name="Zegers categorie",
        tag_prefix="ZGT",
        model="Zegers Book",
    )
