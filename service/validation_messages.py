"""msgspec's and Litestar's validation messages in Japanese and English, naming the field.

:func:`translate` turns one message (``Expected `int` >= 1 - at `$.limit```) and the key Litestar
gives it into ``(field, code, ja, en)``; service/errors.py wraps that in the problem response. A
constrained type's regex is explained in words by registering it with :func:`explain_pattern`.
The texts are codes of the common catalogue (service/common_messages.py).
"""

from __future__ import annotations

import re

import msgspec

from service.common_messages import COMMON
from service.domain_errors import Message
from service.messages import REGISTRY


class PatternMeaning(msgspec.Struct, frozen=True):
    code: str
    #: 422 for input that is well-formed but makes no sense (a name that shows nothing).
    status: int = 400


#: What a constrained type's regex means, by the regex (see :func:`explain_pattern`), so a refused
#: value is explained in words instead of "wrong format".
_PATTERN_MEANINGS: dict[str, PatternMeaning] = {}
#: Codes whose presence makes a validation problem a 422 rather than a 400.
UNPROCESSABLE_CODES: set[str] = set()


def explain_pattern(pattern: str, code: str, *, status: int = 400) -> str:
    """Register what ``pattern`` means for the validation messages (``code`` names a text of the
    common catalogue); returns ``pattern``.

    ``Name = Annotated[str, Meta(pattern=explain_pattern(VISIBLE, "validation.invisible_name"))]``
    """
    if code not in COMMON:
        raise KeyError(f"{code!r} is not in the common message catalogue")
    _PATTERN_MEANINGS[pattern] = PatternMeaning(code, status)
    if status == 422:
        UNPROCESSABLE_CODES.add(code)
    return pattern


_REGEX_IN_MESSAGE = re.compile(r"Expected `str` matching regex (?P<r>'.*')")


def _pattern_meaning(message: str) -> PatternMeaning | None:
    match = _REGEX_IN_MESSAGE.search(message)
    if match is None:
        return None
    for pattern, meaning in _PATTERN_MEANINGS.items():
        if repr(pattern) == match.group("r"):
            return meaning
    return None


# msgspec's validation messages, by the common catalogue's code. Order matters: the first match wins.
_MSGSPEC_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # Litestar's words for a missing query, header, cookie or path parameter.
    (re.compile(r"Missing required (?:query|header|cookie|path) parameter '(?P<f>[^']+)'"), "validation.required"),
    (re.compile(r"Object missing required field `(?P<f>[^`]+)`"), "validation.required"),
    (re.compile(r"Object contains unknown field `(?P<f>[^`]+)`"), "validation.unknown_field"),
    (re.compile(r"Expected `(?P<t>\w+)` (?P<op>>=|<=|>|<) (?P<n>[-\d.e+]+)"), "validation.range"),
    (re.compile(r"Expected `(?P<t>\w+)` of length (?P<op>>=|<=) (?P<n>\d+)"), "validation.length"),
    (re.compile(r"Expected `str` matching regex"), "validation.pattern"),
    (re.compile(r"Invalid enum value (?P<v>.+)"), "validation.enum"),
    (re.compile(r"Invalid (?P<what>UUID|RFC3339 encoded \w+|ISO8601 \w+)"), "validation.format"),
    (re.compile(r"Expected `(?P<t>[^`]+)`, got `(?P<g>[^`]+)`"), "validation.type"),
]
_OPS = {
    ">=": COMMON.text("validation.op_ge"),
    "<=": COMMON.text("validation.op_le"),
    ">": COMMON.text("validation.op_gt"),
    "<": COMMON.text("validation.op_lt"),
}


def translate(message: str, key: str | None) -> tuple[str, str, Message]:
    """``(field, code, text)`` for one validation message; the field is the JSON path the client
    sent (``organisation.kind``, ``sectors[1]``), a parameter name, or ``body``."""
    if key == "data":
        key = None  # Litestar names the whole request body "data"; its fields are top-level names
    meaning = _pattern_meaning(message)
    if meaning is not None:
        return key or "body", meaning.code, REGISTRY[meaning.code].format()
    for pattern, code in _MSGSPEC_PATTERNS:
        match = pattern.search(message)
        if not match:
            continue
        groups: dict[str, object] = dict(match.groupdict())
        field = key or ""
        if "f" in groups:
            field = f"{field}.{groups['f']}" if field else str(groups["f"])
        if "op" in groups:
            groups["op"] = _OPS[str(groups["op"])]
        text = REGISTRY[code]
        wanted = text.placeholders("en")
        return field or "body", code, text.format(**{k: v for k, v in groups.items() if k in wanted})
    return key or "body", "validation.invalid", COMMON.text("validation.invalid", message=message)
