"""Cursor pagination shared by every list endpoint: ``?limit=&cursor=`` → ``Page``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from service.messages import COMMON
from service.types import Page, decode_cursor, encode_cursor

T = TypeVar("T")


def offset_from(cursor: str | None) -> int:
    """The offset an opaque cursor names; a forged or broken cursor is a 422 on ``cursor``."""
    try:
        return decode_cursor(cursor)
    except ValueError:
        raise COMMON.invalid("cursor", "validation.cursor") from None


def page_of(items: Sequence[T], *, total: int, limit: int, offset: int) -> Page[T]:
    next_cursor = encode_cursor(offset + limit) if offset + limit < total else None
    return Page(items=list(items), total=total, limit=limit, next_cursor=next_cursor)
