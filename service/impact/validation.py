"""Checks on impact input documents and claimed values, before the impact library sees them.

- :func:`check_document`: a free-form inputs object is bounded (depth, keys, items, string
  length) and holds no NUL, each refusal naming where (``inputs.a[3]``).
- :func:`input_error`: an :class:`impact.ImpactInputError` names the library's parameter
  (``r2``); the client sent ``lm3_r2_yen``. The error is renamed to the key the client sent.
- :func:`check_claim_value`: a claimed value must lie within what its metric's unit allows
  (persons, FTE, kWh ≥ 0; ``points (0–100)`` within 0–100), derived from the catalogue.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

import impact
from service.common_messages import COMMON
from service.errors import FieldError, InvalidInput, Message
from service.impact.messages import MESSAGES
from service.request_checks import MAX_JSON_DEPTH, too_deep_error

#: Bounds of an inputs document. The largest real input is an input–output table (n × n numbers
#: for n sectors, n ≤ ~100) or coverage points of a region's areas.
MAX_KEYS = 200
MAX_ITEMS = 20_000
MAX_STRING = 2_000
MAX_NODES = 200_000


def check_document(value: Any, path: str) -> None:
    """Refuse a document nested too deeply, too large, or holding NUL; the error names where."""
    nodes = 0
    stack: list[tuple[Any, str, int]] = [(value, path, 0)]
    while stack:
        item, where, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise MESSAGES.invalid(path, "validation.too_large")
        if isinstance(item, str):
            if "\x00" in item:
                raise COMMON.invalid(where, "validation.nul")
            if len(item) > MAX_STRING:
                raise MESSAGES.invalid(where, "validation.too_long", max=MAX_STRING)
        elif isinstance(item, Mapping | list):
            if depth >= MAX_JSON_DEPTH:
                raise too_deep_error(where)
            if isinstance(item, Mapping):
                if len(item) > MAX_KEYS:
                    raise MESSAGES.invalid(where, "validation.too_many_keys", max=MAX_KEYS)
                for key, child in item.items():
                    name = str(key)
                    if "\x00" in name or len(name) > MAX_STRING:
                        raise MESSAGES.invalid(
                            f"{where}.{name[:40]!r}".replace("\x00", "\\u0000"), "validation.bad_key"
                        )
                    stack.append((child, f"{where}.{name}", depth + 1))
            else:
                if len(item) > MAX_ITEMS:
                    raise MESSAGES.invalid(where, "validation.too_many_items", max=MAX_ITEMS)
                stack.extend((child, f"{where}[{i}]", depth + 1) for i, child in enumerate(item))


_HEAD = re.compile(r"^[^.\[]+")


def client_field(library_field: str, sent: Mapping[str, Any]) -> str:
    """The input name the client sent that a library parameter name stands for.

    ``r2`` → ``lm3_r2_yen`` when the client sent ``lm3_r2_yen``: the library's name is one of
    the ``_``-separated words of exactly one sent key. Input names (sent or missing) stay as they
    are; a name nothing matches is reported as the whole inputs object (``""``).
    """
    match = _HEAD.match(library_field)
    head = match.group(0) if match else library_field
    rest = library_field[len(head) :]
    if head in sent or head in impact.INPUTS:
        return library_field  # already the client's vocabulary (sent, or a missing input)
    if library_field == "inputs":
        return ""
    words = head.split("_")
    candidates = [k for k in sent if isinstance(k, str) and _contains_words(k.split("_"), words)]
    return f"{candidates[0]}{rest}" if len(candidates) == 1 else ""


def _contains_words(key_words: list[str], words: list[str]) -> bool:
    n = len(words)
    return any(key_words[i : i + n] == words for i in range(len(key_words) - n + 1))


def input_error(exc: impact.ImpactInputError, prefix: str, sent: Mapping[str, Any]) -> InvalidInput:
    """An :class:`impact.ImpactInputError` as a 422 naming ``<prefix>.<the key the client sent>``."""
    field = client_field(exc.field, sent) if isinstance(sent, Mapping) else ""
    return MESSAGES.error(
        InvalidInput,
        "impact.invalid_input",
        errors=[
            FieldError(
                field=f"{prefix}.{field}" if field else prefix,
                code=exc.code,
                message=Message(ja=exc.message_ja, en=exc.message_en),
            )
        ],
    )


_RANGE_IN_UNIT = re.compile(r"\((?P<lo>-?\d+(?:\.\d+)?)\s*[–-]\s*(?P<hi>-?\d+(?:\.\d+)?)\)")


@cache
def unit_bounds(unit: str) -> tuple[float | None, float | None]:
    """``(lowest, highest)`` value a quantity in ``unit`` can take, from the catalogue.

    A range written in the unit (``points (0–100)``) is the range. Otherwise the lowest value is
    the lowest minimum of the library's inputs in that unit when every one has a minimum
    (persons, FTE, kWh/yr ≥ 0; ``JPY/yr`` includes profit, which may be negative: unbounded).
    """
    written = _RANGE_IN_UNIT.search(unit)
    if written:
        return float(written.group("lo")), float(written.group("hi"))
    minimums = [spec.minimum for spec in impact.INPUTS.values() if spec.unit == unit]
    if minimums and all(m is not None for m in minimums):
        return float(min(m for m in minimums if m is not None)), None
    return None, None


def check_claim_value(metric_id: str, value: float, field: str = "value") -> None:
    """Refuse a claimed value its metric's unit cannot take (−5 persons), naming ``field``."""
    metric = impact.CATALOGUE.get(metric_id)
    if metric is None:
        return  # an unknown metric is refused by the claim service, naming metric_id
    lo, hi = unit_bounds(metric.unit)
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        name = Message(ja=metric.name_ja, en=metric.name_en)
        if hi is None:
            raise MESSAGES.invalid(
                field, "impact.value_out_of_range#at_least", name=name, unit=metric.unit, lo=f"{lo:g}"
            )
        raise MESSAGES.invalid(
            field, "impact.value_out_of_range#within", name=name, unit=metric.unit, lo=f"{lo:g}", hi=f"{hi:g}"
        )
