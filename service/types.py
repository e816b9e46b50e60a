"""Constraints defined once, as ``Annotated`` aliases, and the list envelope every list returns."""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import UTC, date, datetime
from typing import Annotated, Any, Generic, TypeVar

import msgspec

from service.common_messages import COMMON
from service.validation_messages import explain_pattern

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
NO_NUL = explain_pattern(r"^[^\x00]*$", "validation.nul")
#: Characters that never belong in a name: C0/C1 controls and the bidi embeddings, overrides and
#: isolates (U+202A–E, U+2066–9) that make a name display as something else.
_NEVER_IN_NAMES = r"\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
#: Characters that show nothing on their own: white space, controls, zero-width, bidi and other
#: invisible format characters, variation selectors, Hangul fillers.
_INVISIBLE = (
    r"\s\x00-\x1f\x7f-\x9f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f"
    r"\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
)
#: A name: no control or bidi character anywhere, and at least one character that shows. Written
#: without nested quantifiers so that matching stays linear in the length.
VISIBLE_NAME = rf"^(?=[^{_NEVER_IN_NAMES}]*$)[{_INVISIBLE}]*[^{_INVISIBLE}]"
Name = Annotated[
    str,
    msgspec.Meta(
        min_length=1,
        max_length=200,
        pattern=explain_pattern(
            VISIBLE_NAME,
            "validation.invisible_name",
            status=422,
        ),
        description="1–200 characters, at least one visible; no control or bidi characters",
    ),
]
_STRIP_FROM_NAMES = re.compile(
    rf"[{_NEVER_IN_NAMES}\u00ad\u034f\u061c\u180e\u200b-\u200f\u2060-\u2064\u206a-\u206f\ufeff]"
)
_NAME_OK = re.compile(VISIBLE_NAME)


def clean_name(raw: str | None) -> str | None:
    """A name from elsewhere (an OIDC provider) made acceptable as :data:`Name`: controls, bidi
    and zero-width characters removed, white space collapsed, cut to 200 characters; None when
    nothing visible remains."""
    if not raw:
        return None
    cleaned = " ".join(_STRIP_FROM_NAMES.sub("", raw).split())[:200].strip()
    return cleaned if cleaned and _NAME_OK.match(cleaned) else None


def neutral_name(seed: str) -> str:
    """A display name that says nothing, for when the provider gave no usable one."""
    return f"user-{hashlib.sha256(seed.encode()).hexdigest()[:8]}"


#: Titles of projects and names of organisations, investors and living spheres are names.
Title = Name
Summary = Annotated[str, msgspec.Meta(min_length=1, max_length=1000, pattern=NO_NUL)]
Body = Annotated[str, msgspec.Meta(max_length=50_000, pattern=NO_NUL)]
Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=2000, pattern=NO_NUL)]
ShortText = Annotated[str, msgspec.Meta(max_length=5000, pattern=NO_NUL)]
Limit = Annotated[int, msgspec.Meta(ge=1, le=200)]


#: Dates a request may name: nothing this platform records happened before 2000, and nothing is
#: planned more than 50 years ahead. Year 0001 is a typo or a probe, never a fact.
EARLIEST_DATE = date(2000, 1, 1)
HORIZON_YEARS = 50


def date_bounds(today: date | None = None) -> tuple[date, date]:
    """``(earliest, latest)`` date a request may carry, ``latest`` being today + 50 years."""
    today = today or datetime.now(UTC).date()
    try:
        latest = today.replace(year=today.year + HORIZON_YEARS)
    except ValueError:  # 29 February
        latest = today.replace(year=today.year + HORIZON_YEARS, day=28)
    return EARLIEST_DATE, latest


def out_of_range_date(value: date) -> tuple[date, date] | None:
    """The bounds ``value`` (a date, or a datetime taken in UTC) falls outside, or ``None``."""
    if isinstance(value, datetime):
        value = value.astimezone(UTC).date() if value.tzinfo is not None else value.date()
    earliest, latest = date_bounds()
    return None if earliest <= value <= latest else (earliest, latest)


class DatesInRange(msgspec.Struct):
    """Base of request bodies whose dates and times must lie within :func:`date_bounds`.

    Every ``date``/``datetime`` field is checked after decoding; one outside the bounds is a 422
    naming the field (raised as a domain error, which msgspec lets through unchanged).
    """

    def __post_init__(self) -> None:
        for name in self.__struct_fields__:
            value: Any = getattr(self, name)
            if not isinstance(value, date):
                continue
            bounds = out_of_range_date(value)
            if bounds is not None:
                lo, hi = bounds
                raise COMMON.invalid(name, "validation.date_out_of_range", lo=lo.isoformat(), hi=hi.isoformat())


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
