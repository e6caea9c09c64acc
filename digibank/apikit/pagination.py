"""Limit/offset pagination: two queries per page (count and rows), whatever the page size."""

from __future__ import annotations

from django.db.models import QuerySet
from ninja import Field, Schema

from .schemas import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

# Far beyond any list we hold, far below what a database integer holds (2**63 - 1).
MAX_OFFSET = 10**9


class PageParams(Schema):
    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Items per page.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip.")


def paginate(qs: QuerySet, page: PageParams) -> dict:
    items = list(qs[page.offset : page.offset + page.limit])
    return {"count": qs.count(), "limit": page.limit, "offset": page.offset, "items": items}
