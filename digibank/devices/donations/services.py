"""Writes about donors, donation batches and the devices registered against a batch."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.be import vat as be_vat
from stdnum.exceptions import ValidationError as StdnumError

from digibank.lib.serials import serial_key

from ..models import Device, DonationBatch, Donor, DonorKind
from ..services import device_register

DONOR_FIELDS = ("kind", "name", "vat_number", "contact_name", "email", "phone", "address")
# What we keep of a private person: a name and one way to reach them (data minimisation).
PERSON_FORBIDDEN_FIELDS = ("vat_number", "contact_name", "address")
BATCH_FIELDS = ("donor", "received_on", "collection_point", "expected_count", "notes")
# Checked against the network in _check_batch; full_clean would query each one again.
BATCH_KEYS = ["network", "donor", "collection_point", "created_by"]
# A concurrent writer may take the number we computed; we then compute again.
MAX_ATTEMPTS = 5


# --- VAT numbers ---------------------------------------------------------------------------


def vat_normalise(value: str) -> str:
    """A Belgian enterprise / VAT number as "BE0123456789", or "" when empty.

    Accepts the ways people write it ("BE 0403.170.701", "403170701", "0403 170 701") and
    raises ValidationError with a message a desk worker understands when it is not valid.
    """
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return "BE" + be_vat.validate(value)
    except StdnumError as exc:
        raise ValidationError(
            _(
                "“%(value)s” is not a valid Belgian enterprise or VAT number "
                "(10 digits, e.g. BE 0403.170.701); check the digits."
            )
            % {"value": value},
            code="invalid_vat",
        ) from exc


def donor_person_problems(data: dict) -> dict[str, str]:
    """Fields a private person's record may not hold, with the reason (empty when fine)."""
    if data.get("kind") != DonorKind.PERSON:
        return {}
    message = _("Leave this empty for a private person: we keep only a name, e-mail and phone.")
    return {field: message for field in PERSON_FORBIDDEN_FIELDS if (data.get(field) or "").strip()}


def _clean_donor(donor: Donor) -> Donor:
    donor.name = donor.name.strip()
    donor.vat_number = (
        vat_normalise(donor.vat_number) if donor.kind == DonorKind.ORGANISATION else donor.vat_number
    )
    problems = donor_person_problems({f: getattr(donor, f) for f in DONOR_FIELDS})
    if problems:
        raise ValidationError(problems)
    donor.full_clean(exclude=["network"])
    donor.save()
    return donor


# --- donors --------------------------------------------------------------------------------


@transaction.atomic
def donor_create(*, network, actor, data: dict) -> Donor:
    donor = Donor(network_id=network.pk, **{f: data.get(f) or "" for f in DONOR_FIELDS})
    return _clean_donor(donor)


@transaction.atomic
def donor_update(*, donor: Donor, actor, data: dict) -> Donor:
    for field in DONOR_FIELDS:
        if field in data:
            setattr(donor, field, data[field] or "")
    return _clean_donor(donor)


@transaction.atomic
def donor_anonymise(*, donor: Donor, actor) -> Donor:
    """Erase a private donor's name and contact data; their batches and devices stay (statistics)."""
    if donor.kind != DonorKind.PERSON:
        raise ValidationError(_("Only a private person's data is anonymised; edit an organisation instead."))
    donor.name = _("Private donor (anonymised)")
    donor.email = donor.phone = ""
    donor.anonymised_at = timezone.now()
    donor.save(update_fields=["name", "email", "phone", "anonymised_at"])
    return donor


# --- batches -------------------------------------------------------------------------------


def batch_reference_prefix(year: int) -> str:
    return f"D{year}-"


def batch_reference_next(*, network_id: int, year: int) -> str:
    """The next free reference of the year in this network: "D2026-0001", "D2026-0002", …

    Only references of exactly our format count, so imported references like "OLD-17" or
    "D2026-12b" never break the sequence.
    """
    prefix = batch_reference_prefix(year)
    pattern = re.compile(rf"^{re.escape(prefix)}(\d{{4,}})$")
    highest = 0
    references = DonationBatch.objects.in_network(network_id).filter(reference__startswith=prefix)
    for reference in references.values_list("reference", flat=True):
        if match := pattern.match(reference):
            highest = max(highest, int(match.group(1)))
    return f"{prefix}{highest + 1:04d}"


def _check_batch(batch: DonationBatch) -> None:
    if batch.donor.network_id != batch.network_id:
        raise ValidationError({"donor": _("Choose a donor of this network.")})
    if batch.collection_point is not None and batch.collection_point.network_id != batch.network_id:
        raise ValidationError({"collection_point": _("Choose a location of this network.")})
    if batch.received_on > timezone.localdate():
        raise ValidationError({"received_on": _("A batch cannot be received in the future.")})


@transaction.atomic
def batch_create(*, network, actor, data: dict, reference: str = "") -> DonationBatch:
    """Register a donation batch. Without ``reference`` the next one of its year is generated.

    Two desks creating a batch at the same moment compute the same number; the unique
    constraint refuses the second insert and we simply take the next number.
    """
    batch = DonationBatch(
        network_id=network.pk,
        created_by=actor,
        **{f: data[f] for f in BATCH_FIELDS if f in data and data[f] is not None},
    )
    _check_batch(batch)
    for _attempt in range(MAX_ATTEMPTS):
        batch.reference = reference or batch_reference_next(
            network_id=network.pk, year=batch.received_on.year
        )
        batch.full_clean(exclude=BATCH_KEYS, validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                batch.save()
            return batch
        except IntegrityError as exc:
            batch.pk = None
            if reference:
                raise ValidationError(
                    _("The reference %(reference)s is already used.") % {"reference": reference}
                ) from exc
    raise ValidationError(_("Another batch was registered at the same moment; please try again."))


@transaction.atomic
def batch_update(*, batch: DonationBatch, actor, data: dict) -> DonationBatch:
    for field in BATCH_FIELDS:
        if field in data:
            setattr(batch, field, data[field])
    _check_batch(batch)
    batch.full_clean(exclude=BATCH_KEYS, validate_unique=False, validate_constraints=False)
    batch.save()
    return batch


# --- devices registered against a batch ----------------------------------------------------


def serials_taken(*, network_id: int, serials) -> set[str]:
    """Which of ``serials`` already belong to a device of the network, compared on their keys.

    Returns them stripped and upper-cased, as the callers spell them. Compared on the serial key
    (lib.serials): "5cg1234" and "5CG1234" typed by two people are the same laptop, on every
    database, and so is a serial with "ã" or a control byte however it was written.
    """
    wanted = {serial_key(s): s.strip().upper() for s in serials if s and s.strip()}
    if not wanted:
        return set()
    found = Device.objects.in_network(network_id).filter(serial_key__in=list(wanted))
    return {wanted[key] for key in found.values_list("serial_key", flat=True)}


@transaction.atomic
def batch_device_register(*, batch: DonationBatch, actor, data: dict) -> Device:
    """Register one device of a batch: the devices app generates its asset tag and first event.

    Without a location the device is where the batch came in: its collection point.
    """
    data = {**data, "batch": batch}
    if data.get("location") is None:
        data["location"] = batch.collection_point
    return device_register(network=batch.network, actor=actor, data=data)
