"""Building blocks every app's API router shares: error bodies, identifiers, pagination."""

from __future__ import annotations

from typing import Annotated, Any, TypedDict

from django.db.models import QuerySet
from ninja import Field, Schema

# Database ids are 64-bit; a larger number in a URL or filter is a client error (422),
# not an overflow inside the database driver (500).
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]

MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50


class ErrorOut(Schema):
    """What every refusal answers: a message in the caller's language."""

    detail: str


class FieldErrorOut(Schema):
    type: str
    loc: list[str | int]
    msg: str


class ValidationErrorOut(Schema):
    """422: the request's parameters or body broke the documented rules, one entry per field."""

    detail: list[FieldErrorOut]


# Responses every signed-in endpoint can give besides its success.
AUTH_RESPONSES: dict[int, Any] = {401: ErrorOut, 403: ErrorOut}
INPUT_RESPONSES: dict[int, Any] = {422: ValidationErrorOut}


class PageParams(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Items per page, at most 200."
    )


class PageDict(TypedDict):
    items: list[Any]
    count: int
    page: int
    page_size: int


def paginate(queryset: QuerySet, *, page: int, page_size: int) -> PageDict:
    """One page of ``queryset``: two queries (count and rows) whatever its size. A page
    past the end is empty rather than an error, so a script can loop until no items."""
    count = queryset.count()
    offset = (page - 1) * page_size
    items = list(queryset[offset : offset + page_size]) if offset < count else []
    return {"items": items, "count": count, "page": page, "page_size": page_size}
