"""Request and response bodies of the API (pydantic, via ninja).

Input schemas check shape and types only. Business rules (unique names, likely duplicates,
consent needs a date ...) live in the services the API calls, which raise ValidationError
-> 422 with the same messages as the UI.
"""

from __future__ import annotations

import datetime
from typing import ClassVar

from ninja import Field, Schema
from pydantic import ConfigDict, model_validator

from digibank.organisations.models import OrganisationType
from digibank.residents.models import ContactChannel, EligibilityKind, LegalBasis

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 25


# --- errors --------------------------------------------------------------------------------


class Error(Schema):
    detail: str = Field(..., description="What went wrong, in the language of the request.")


class InvalidError(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(
        ..., description="Messages per field; '__all__' for the request as a whole."
    )


class DuplicateError(Schema):
    detail: str
    duplicates: list[int] = Field(
        ..., description="Ids of likely duplicates you may see (there may be others you may not see)."
    )


class InputSchema(Schema):
    """Base of request bodies: an unknown field is an error, not silently ignored (think typos)."""

    model_config = ConfigDict(extra="forbid")


def error_responses(*codes: int) -> dict:
    """The documented error answers of an operation (they are produced by api/errors.py)."""
    schemas = {422: InvalidError, 409: DuplicateError}
    return {code: schemas.get(code, Error) for code in (401, 403, *codes)}


# --- organisations -------------------------------------------------------------------------


class ContactOut(Schema):
    id: int
    name: str
    function: str
    email: str
    phone: str


class OrganisationOut(Schema):
    id: int
    name: str
    type: OrganisationType
    description: str
    email: str
    phone: str
    website: str
    is_active: bool
    created_at: datetime.datetime


class OrganisationDetailOut(OrganisationOut):
    contacts: list[ContactOut]

    @staticmethod
    def resolve_contacts(obj) -> list:
        return obj.contacts_list  # set by the view from the scoped selector


class OrganisationPage(Schema):
    count: int = Field(..., description="Number of organisations matching, on all pages.")
    limit: int
    offset: int
    items: list[OrganisationOut]


class OrganisationIn(InputSchema):
    name: str
    type: OrganisationType
    description: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""
    is_active: bool = True


class PatchSchema(InputSchema):
    """Base of PATCH bodies: absent fields stay as they are; ``null`` only where it means "empty"."""

    nullable: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="after")
    def _no_null_for_required(self):
        sent = self.model_fields_set - self.nullable
        wrong = sorted(name for name in sent if getattr(self, name) is None)
        if wrong:
            raise ValueError(f"These fields may not be null: {', '.join(wrong)}")
        return self

    def changes(self) -> dict:
        return self.model_dump(exclude_unset=True)


class OrganisationPatch(PatchSchema):
    """Only the fields you send are changed."""

    name: str | None = None
    type: OrganisationType | None = None
    description: str | None = None
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    is_active: bool | None = None


# --- residents -----------------------------------------------------------------------------


class DistrictOut(Schema):
    id: int
    name: str


class OrganisationRef(Schema):
    id: int
    name: str


class EligibilityOut(Schema):
    kind: EligibilityKind
    detail: str
    seen_on: datetime.date
    valid_until: datetime.date | None


class ResidentListItem(Schema):
    """What a list shows: enough to recognise someone, no contact details."""

    id: int
    first_name: str
    last_name: str
    birth_year: int
    postcode: str
    district: DistrictOut | None


class ResidentOut(ResidentListItem):
    languages: list[str] = Field(..., description="Language codes, e.g. ['nl', 'ar'].")
    preferred_channel: ContactChannel | None
    phone: str
    email: str
    do_not_contact: bool
    street: str
    city: str
    legal_basis: LegalBasis
    consent_date: datetime.date | None
    notes: str
    registered_by_organisation: OrganisationRef | None
    eligibility: list[EligibilityOut]
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_languages(obj) -> list[str]:
        return obj.language_list()

    @staticmethod
    def resolve_preferred_channel(obj) -> str | None:
        return obj.preferred_channel or None

    @staticmethod
    def resolve_eligibility(obj) -> list:
        return obj.eligibility_list  # set by the view from the scoped selector


class ResidentPage(Schema):
    count: int = Field(..., description="Number of residents matching, on all pages.")
    limit: int
    offset: int
    items: list[ResidentListItem]


class ResidentIn(InputSchema):
    first_name: str
    last_name: str
    birth_year: int
    district: int | None = Field(None, description="Id of a district of the network.")
    postcode: str = ""
    languages: list[str] = Field(default_factory=list, description="Language codes, e.g. ['nl', 'ar'].")
    preferred_channel: ContactChannel | None = None
    phone: str = ""
    email: str = ""
    do_not_contact: bool = False
    street: str = ""
    city: str = ""
    legal_basis: LegalBasis
    consent_date: datetime.date | None = None
    notes: str = ""
    confirm_duplicate: bool = Field(
        False,
        description="Register even though a resident with the same name, year of birth and postcode exists.",
    )


class ResidentPatch(PatchSchema):
    """Only the fields you send are changed; send null to empty district, channel or consent date."""

    nullable: ClassVar[frozenset[str]] = frozenset({"district", "preferred_channel", "consent_date"})

    first_name: str | None = None
    last_name: str | None = None
    birth_year: int | None = None
    district: int | None = None
    postcode: str | None = None
    languages: list[str] | None = None
    preferred_channel: ContactChannel | None = None
    phone: str | None = None
    email: str | None = None
    do_not_contact: bool | None = None
    street: str | None = None
    city: str | None = None
    legal_basis: LegalBasis | None = None
    consent_date: datetime.date | None = None
    notes: str | None = None
