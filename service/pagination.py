"""Cursor pagination shared by every list endpoint: ``?limit=&cursor=`` → ``Page``.

Every list answers ``{items, total, limit, next_cursor}``; ``next_cursor`` is ``null`` on the last
page. Lists the database pages itself call :func:`page_of`; short lists held in memory (the metric
catalogue, a project's claims, an organisation's members) call :func:`page_from_list`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, TypeVar

from litestar.params import Parameter

from service.common_messages import COMMON
from service.types import Page, decode_cursor, encode_cursor

T = TypeVar("T")

#: What :func:`service.types.encode_cursor` writes: unpadded URL-safe base64.
CURSOR_PATTERN = r"^[A-Za-z0-9_-]{1,32}$"

Cursor = Annotated[
    str | None,
    Parameter(
        pattern=CURSOR_PATTERN,
        max_length=32,
        description="Opaque cursor from a previous page's `next_cursor`; omit for the first page.",
    ),
]
PageLimit = Annotated[int, Parameter(ge=1, le=200, description="Items per page (1–200)")]


def offset_from(cursor: str | None) -> int:
    """The offset an opaque cursor names; a forged or broken cursor is a 422 on ``cursor``."""
    try:
        return decode_cursor(cursor)
    except ValueError:
        raise COMMON.invalid("cursor", "validation.cursor") from None


def page_of(items: Sequence[T], *, total: int, limit: int, offset: int) -> Page[T]:
    next_cursor = encode_cursor(offset + limit) if offset + limit < total else None
    return Page(items=list(items), total=total, limit=limit, next_cursor=next_cursor)


def page_from_list(items: Sequence[T], *, limit: int, cursor: str | None) -> Page[T]:
    """One page of a list already in memory."""
    offset = offset_from(cursor)
    return page_of(items[offset : offset + limit], total=len(items), limit=limit, offset=offset)
