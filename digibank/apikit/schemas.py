"""What every API schema builds on: error bodies, input bases, page sizes and shared references.

Input schemas check shape and types only. Business rules (unique names, likely duplicates,
consent needs a date ...) live in the services the API calls, which raise ValidationError
-> 422 with the same messages as the UI.
"""

from __future__ import annotations

from typing import ClassVar

from ninja import Field, Schema
from pydantic import ConfigDict, model_validator

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


def error_responses(*codes: int, conflict: type[Schema] = DuplicateError) -> dict:
    """The documented error answers of an operation (they are produced by api/errors.py).

    Every operation may answer 400 (text with control characters, refused before the operation
    runs by digibank.lib.middleware), 401 (no valid token) and 403 (the role may not).
    ``conflict``: the body of its 409, a likely duplicate unless said otherwise (``Error``
    for a change that is not possible now).
    """
    schemas = {422: InvalidError, 409: conflict}
    return {code: schemas.get(code, Error) for code in (400, 401, 403, *codes)}


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


# --- references shared by many answers ----------------------------------------------------


class DistrictOut(Schema):
    id: int
    name: str


class OrganisationRef(Schema):
    id: int
    name: str
