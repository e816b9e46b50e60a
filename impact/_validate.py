"""Input checks shared by every metric: each raises :class:`ImpactInputError` naming the input."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._errors import ImpactInputError

FloatArray = NDArray[np.float64]


def number(field: str, value: Any) -> float:
    """A finite real number; ``bool`` is refused because ``True`` as 1 yen is always a bug."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise ImpactInputError(field, "impact.wrong_type", f"expected a number, got {type(value).__name__}")
    out = float(value)
    if not math.isfinite(out):
        raise ImpactInputError(field, "impact.not_finite")
    return out


def money(field: str, value: Any) -> float:
    """Yen, zero or more."""
    out = number(field, value)
    if out < 0:
        raise ImpactInputError(field, "impact.negative_money", f"{out:g}")
    return out


def non_negative(field: str, value: Any) -> float:
    out = number(field, value)
    if out < 0:
        raise ImpactInputError(field, "impact.negative_value", f"{out:g}")
    return out


def positive(field: str, value: Any) -> float:
    out = number(field, value)
    if out <= 0:
        raise ImpactInputError(field, "impact.not_positive", f"{out:g}")
    return out


def share(field: str, value: Any) -> float:
    """A fraction in [0, 1] (not a percentage)."""
    out = number(field, value)
    if not 0.0 <= out <= 1.0:
        raise ImpactInputError(field, "impact.share_out_of_range", f"{out:g}")
    return out


def integer(field: str, value: Any, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ImpactInputError(field, "impact.wrong_type", f"expected an integer, got {type(value).__name__}")
    if value < minimum:
        raise ImpactInputError(field, "impact.out_of_range", f"{value} < {minimum}")
    return int(value)


def array(field: str, value: Any, ndim: int | None = None) -> FloatArray:
    """A finite float64 array; nested lists are accepted so JSON inputs work unchanged."""
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError) as exc:  # ragged nesting
        raise ImpactInputError(field, "impact.wrong_type", "expected numbers") from exc
    # numpy would quietly turn "1" into 1.0 and True into 1.0; a JSON caller sending those has a bug.
    if raw.size and raw.dtype.kind not in "iuf":
        raise ImpactInputError(field, "impact.wrong_type", "expected numbers")
    out = raw.astype(np.float64)
    if ndim is not None and out.ndim != ndim:
        raise ImpactInputError(field, "impact.shape_mismatch", f"expected {ndim}-D, got shape {out.shape}")
    if out.size and not np.isfinite(out).all():
        raise ImpactInputError(field, "impact.not_finite")
    return out


def money_array(field: str, value: Any, ndim: int | None = None) -> FloatArray:
    out = array(field, value, ndim)
    if out.size and out.min() < 0:
        raise ImpactInputError(field, "impact.negative_money", f"min {out.min():g}")
    return out


def non_negative_array(field: str, value: Any, ndim: int | None = None) -> FloatArray:
    out = array(field, value, ndim)
    if out.size and out.min() < 0:
        raise ImpactInputError(field, "impact.negative_value", f"min {out.min():g}")
    return out


def positive_array(field: str, value: Any, ndim: int | None = None) -> FloatArray:
    out = array(field, value, ndim)
    if out.size and out.min() <= 0:
        raise ImpactInputError(field, "impact.not_positive", f"min {out.min():g}")
    return out


def share_array(field: str, value: Any, ndim: int | None = None) -> FloatArray:
    out = array(field, value, ndim)
    if out.size and (out.min() < 0 or out.max() > 1):
        raise ImpactInputError(field, "impact.share_out_of_range", f"range [{out.min():g}, {out.max():g}]")
    return out


def same_shape(field: str, shape: tuple[int, ...], *arrays: FloatArray) -> None:
    """Every array broadcasts to ``shape``; a mismatch names the offending input."""
    for a in arrays:
        try:
            np.broadcast_shapes(a.shape, shape)
        except ValueError as exc:
            raise ImpactInputError(field, "impact.shape_mismatch", f"{a.shape} vs {shape}") from exc


def broadcast(fields: tuple[str, ...], *arrays: FloatArray) -> tuple[FloatArray, ...]:
    """Broadcast inputs of a vectorised metric together, naming the one that does not fit."""
    shape: tuple[int, ...] = ()
    for name, a in zip(fields, arrays, strict=True):
        try:
            shape = np.broadcast_shapes(shape, a.shape)
        except ValueError as exc:
            raise ImpactInputError(name, "impact.shape_mismatch", f"{a.shape} vs {shape}") from exc
    return tuple(np.broadcast_to(a, shape) for a in arrays)
