"""Constraints defined once, as ``Annotated`` aliases, and the list envelope every list returns."""

from __future__ import annotations

import base64
from typing import Annotated, Generic, TypeVar

import msgspec

Yen = Annotated[int, msgspec.Meta(ge=0, le=10**13, description="Amount in yen (JPY has no minor unit)")]
PositiveYen = Annotated[int, msgspec.Meta(ge=1, le=10**13, description="Amount in yen, at least ¥1")]
Percent = Annotated[float, msgspec.Meta(ge=-100.0, le=1000.0, description="Percent per year")]
PrefectureCode = Annotated[int, msgspec.Meta(ge=1, le=47, description="JIS X 0401 prefecture code")]
MunicipalityCode = Annotated[str, msgspec.Meta(pattern=r"^\d{5}$", description="JIS X 0402 code (5 digits)")]
#: No ``\s`` in patterns: Python's (the server's) and ECMA's (the OpenAPI document's) differ
#: (\x1c-\x1f, \x85, \ufeff), so the characters are spelled out and both dialects agree.
_EMAIL_PART = r"[^@\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+"
Email = Annotated[str, msgspec.Meta(pattern=rf"^{_EMAIL_PART}@{_EMAIL_PART}\.{_EMAIL_PART}$", max_length=254)]
#: PostgreSQL text cannot hold NUL; refusing it here names the field instead of failing in the database.
NO_NUL = r"^[^\x00]*$"
Title = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=NO_NUL)]
Summary = Annotated[str, msgspec.Meta(min_length=1, max_length=1000, pattern=NO_NUL)]
Body = Annotated[str, msgspec.Meta(max_length=50_000, pattern=NO_NUL)]
Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=2000, pattern=NO_NUL)]
ShortText = Annotated[str, msgspec.Meta(max_length=5000, pattern=NO_NUL)]
Limit = Annotated[int, msgspec.Meta(ge=1, le=200)]

T = TypeVar("T")


class Page(msgspec.Struct, Generic[T]):
    """A page of a list: ``items``, the ``total`` matching, and the cursor of the next page."""

    items: list[T]
    total: int
    limit: int
    next_cursor: str | None = None


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """Offset named by an opaque cursor; raises ``ValueError`` for a forged or broken one."""
    if not cursor:
        return 0
    padded = cursor + "=" * (-len(cursor) % 4)
    raw = base64.urlsafe_b64decode(padded.encode()).decode()
    if not raw.startswith("o:"):
        raise ValueError("bad cursor")
    offset = int(raw[2:])
    if offset < 0 or offset > 10_000_000:
        raise ValueError("bad cursor")
    return offset
