"""Checking one named input against its :class:`~impact._inputs.InputSpec`."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import msgspec

from . import _validate as v
from ._errors import ImpactInputError
from ._inputs import INPUTS, InputSpec


def check_input(name: str, value: Any) -> Any:
    """Validate one named input by its spec; returns the value in its computing form."""
    spec = INPUTS.get(name)
    if spec is None:
        raise ImpactInputError(name, "impact.unknown_input")
    kind = spec.kind
    if kind == "bool":
        if not isinstance(value, bool):
            raise ImpactInputError(name, "impact.wrong_type", f"expected true/false, got {type(value).__name__}")
        return value
    if kind == "outcomes":
        return _outcomes(name, value)
    if kind in ("vector", "matrix", "points"):
        if not isinstance(value, list | tuple) or not value:
            raise ImpactInputError(name, "impact.wrong_type", "expected a non-empty list")
        arr = v.array(name, value, ndim=1 if kind == "vector" else 2)
        if kind != "points":
            _bounds(name, spec, float(arr.min()), float(arr.max()))
        return arr
    if kind == "count":
        out: float = v.integer(name, value, minimum=int(spec.minimum or 0))
    else:
        out = v.money(name, value) if kind == "yen" else v.number(name, value)
    if kind == "share":
        v.share(name, out)
    _bounds(name, spec, out, out)
    return out


def _bounds(name: str, spec: InputSpec, low: float, high: float) -> None:
    if spec.minimum is not None and low < spec.minimum:
        code = "impact.negative_money" if spec.kind == "yen" else "impact.out_of_range"
        raise ImpactInputError(name, code, f"{low:g} < {spec.minimum:g}")
    if spec.maximum is not None and not math.isinf(spec.maximum) and high > spec.maximum:
        code = "impact.share_out_of_range" if spec.unit == "ratio" else "impact.out_of_range"
        raise ImpactInputError(name, code, f"{high:g} > {spec.maximum:g}")


def _outcomes(name: str, value: Any) -> list[Any]:
    from ._sroi import Outcome  # local: _sroi is heavier and only this input kind needs it

    if not isinstance(value, list | tuple) or not value:
        raise ImpactInputError(name, "impact.wrong_type", "expected a non-empty list of outcomes")
    out = []
    for i, item in enumerate(value):
        if isinstance(item, Outcome):
            out.append(item)
            continue
        if not isinstance(item, Mapping):
            raise ImpactInputError(f"{name}[{i}]", "impact.wrong_type", "expected an object")
        try:
            out.append(msgspec.convert(dict(item), Outcome, strict=True))
        except msgspec.ValidationError as exc:
            # msgspec ends its message with "- at `$.quantity`": name the outcome's field too.
            text = str(exc)
            path = text.rpartition("at `$")[2].rstrip("`") if "at `$" in text else ""
            raise ImpactInputError(f"{name}[{i}]{path}", "impact.wrong_type", str(exc)) from exc
    return out
