"""msgspec's and Litestar's validation messages in Japanese and English, naming the field.

:func:`translate` turns one message (``Expected `int` >= 1 - at `$.limit```) and the key Litestar
gives it into ``(field, code, ja, en)``; service/errors.py wraps that in the problem response. A
constrained type's regex is explained in words by registering it with :func:`explain_pattern`.
Nothing here imports the rest of the service, so service/types.py can register its patterns.
"""

from __future__ import annotations

import re

import msgspec


class PatternMeaning(msgspec.Struct, frozen=True):
    code: str
    ja: str
    en: str
    #: 422 for input that is well-formed but makes no sense (a name that shows nothing).
    status: int = 400


#: What a constrained type's regex means, by the regex (see :func:`explain_pattern`), so a refused
#: value is explained in words instead of "wrong format".
_PATTERN_MEANINGS: dict[str, PatternMeaning] = {}
#: Codes whose presence makes a validation problem a 422 rather than a 400.
UNPROCESSABLE_CODES: set[str] = set()


def explain_pattern(pattern: str, code: str, ja: str, en: str, *, status: int = 400) -> str:
    """Register what ``pattern`` means for the validation messages; returns ``pattern``.

    ``Name = Annotated[str, Meta(pattern=explain_pattern(VISIBLE, "validation.invisible", ...))]``
    """
    _PATTERN_MEANINGS[pattern] = PatternMeaning(code, ja, en, status)
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


# msgspec's validation messages, translated. Order matters: the first match wins.
_MSGSPEC_PATTERNS: list[tuple[re.Pattern[str], str, str, str]] = [
    (
        # Litestar's words for a missing query, header, cookie or path parameter.
        re.compile(r"Missing required (?:query|header|cookie|path) parameter '(?P<f>[^']+)'"),
        "validation.required",
        "必須項目です。",
        "This field is required.",
    ),
    (
        re.compile(r"Object missing required field `(?P<f>[^`]+)`"),
        "validation.required",
        "必須項目です。",
        "This field is required.",
    ),
    (
        re.compile(r"Object contains unknown field `(?P<f>[^`]+)`"),
        "validation.unknown_field",
        "不明な項目です。",
        "Unknown field.",
    ),
    (
        re.compile(r"Expected `(?P<t>\w+)` (?P<op>>=|<=|>|<) (?P<n>[-\d.e+]+)"),
        "validation.range",
        "{n} {op_ja}の値を指定してください。",
        "Must be {op} {n}.",
    ),
    (
        re.compile(r"Expected `(?P<t>\w+)` of length (?P<op>>=|<=) (?P<n>\d+)"),
        "validation.length",
        "長さは {n} {op_ja}にしてください。",
        "Length must be {op} {n}.",
    ),
    (re.compile(r"Expected `str` matching regex"), "validation.pattern", "形式が正しくありません。", "Wrong format."),
    (
        re.compile(r"Invalid enum value (?P<v>.+)"),
        "validation.enum",
        "使用できない値です: {v}",
        "Not an allowed value: {v}",
    ),
    (
        re.compile(r"Invalid (?P<what>UUID|RFC3339 encoded \w+|ISO8601 \w+)"),
        "validation.format",
        "{what} の形式が正しくありません。",
        "Invalid {what}.",
    ),
    (
        re.compile(r"Expected `(?P<t>[^`]+)`, got `(?P<g>[^`]+)`"),
        "validation.type",
        "型が正しくありません（{t} が必要、{g} が渡されました）。",
        "Expected {t}, got {g}.",
    ),
]
_OP_JA = {">=": "以上", "<=": "以下", ">": "より大きい", "<": "未満"}


def translate(message: str, key: str | None) -> tuple[str, str, str, str]:
    """``(field, code, ja, en)`` for one validation message; the field is the JSON path the client
    sent (``organisation.kind``, ``sectors[1]``), a parameter name, or ``body``."""
    if key == "data":
        key = None  # Litestar names the whole request body "data"; its fields are top-level names
    meaning = _pattern_meaning(message)
    if meaning is not None:
        return key or "body", meaning.code, meaning.ja, meaning.en
    for pattern, code, ja, en in _MSGSPEC_PATTERNS:
        match = pattern.search(message)
        if not match:
            continue
        groups = dict(match.groupdict())
        field = key or ""
        if "f" in groups:
            field = f"{field}.{groups['f']}" if field else groups["f"]
        groups["op_ja"] = _OP_JA.get(groups.get("op", ""), "")
        return field or "body", code, ja.format(**groups), en.format(**groups)
    return key or "body", "validation.invalid", f"入力値が正しくありません: {message}", f"Invalid value: {message}"
