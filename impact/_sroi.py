"""Social Return on Investment (SROI), with a one-at-a-time sensitivity ranking."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec
import numpy as np

from . import _validate as v
from ._errors import ImpactInputError
from ._validate import FloatArray

DEFAULT_DISCOUNT_RATE = 0.035
"""HM Treasury Green Book social time preference rate, as the SROI Guide recommends."""

SHARE_ASSUMPTIONS = ("deadweight", "displacement", "attribution", "drop_off")
SCALE_ASSUMPTIONS = ("quantity", "financial_proxy_yen")


class Outcome(msgspec.Struct, frozen=True, kw_only=True):
    """One outcome of an SROI impact map.

    - ``quantity``: how many (people, tonnes, …) experience it per year, ≥ 0.
    - ``financial_proxy_yen``: yen value of one unit of the outcome for one year, ≥ 0.
    - ``deadweight``: share that would have happened anyway, [0, 1].
    - ``displacement``: share that merely displaces outcomes elsewhere, [0, 1].
    - ``attribution``: share due to other people or organisations, [0, 1].
    - ``drop_off``: yearly decline of the outcome after year 1, [0, 1].
    - ``years``: how many years the outcome lasts, integer ≥ 1.
    """

    name: str = ""
    quantity: float
    financial_proxy_yen: float
    deadweight: float = 0.0
    displacement: float = 0.0
    attribution: float = 0.0
    drop_off: float = 0.0
    years: int = 1


class Sensitivity(msgspec.Struct, frozen=True):
    """SROI ratio with one assumption moved down and up across every outcome.

    Share assumptions move ±10 percentage points (clipped to [0, 1]); quantity and financial
    proxy ±10 %; the discount rate ±1 percentage point; ``swing = |high − low|``.
    """

    assumption: str
    ratio_low: float
    ratio_high: float
    swing: float


class SroiResult(msgspec.Struct, frozen=True):
    """``present_value_yen`` of all outcomes; ``ratio = PV / investment``;
    ``net_ratio = (PV − investment) / investment``; ``sensitivity`` ranked by swing, largest first."""

    present_value_yen: float
    investment_yen: float
    ratio: float
    net_ratio: float
    most_sensitive: str
    sensitivity: tuple[Sensitivity, ...]


def _checked(outcomes: Sequence[Outcome]) -> list[Outcome]:
    if not outcomes:
        raise ImpactInputError("outcomes", "impact.empty")
    for i, o in enumerate(outcomes):
        if not isinstance(o, Outcome):
            raise ImpactInputError(f"outcomes[{i}]", "impact.wrong_type", "expected Outcome")
        v.non_negative(f"outcomes[{i}].quantity", o.quantity)
        v.money(f"outcomes[{i}].financial_proxy_yen", o.financial_proxy_yen)
        for name in SHARE_ASSUMPTIONS:
            v.share(f"outcomes[{i}].{name}", getattr(o, name))
        v.integer(f"outcomes[{i}].years", o.years, minimum=1)
    return list(outcomes)


def _present_value(outcomes: Sequence[Outcome], rate: float) -> float:
    # Year by year, exactly as an SROI impact map is laid out; the vectorised form uses the closed sum.
    total = 0.0
    for o in outcomes:
        base = o.quantity * o.financial_proxy_yen * (1 - o.deadweight) * (1 - o.displacement) * (1 - o.attribution)
        for t in range(1, o.years + 1):
            total += base * (1 - o.drop_off) ** (t - 1) / (1 + rate) ** t
    return total


def _moved(outcomes: Sequence[Outcome], name: str, sign: int) -> list[Outcome]:
    if name in SCALE_ASSUMPTIONS:
        return [msgspec.structs.replace(o, **{name: getattr(o, name) * (1 + 0.1 * sign)}) for o in outcomes]
    return [msgspec.structs.replace(o, **{name: min(1.0, max(0.0, getattr(o, name) + 0.1 * sign))}) for o in outcomes]


def sroi(outcomes: Sequence[Outcome], investment: float, discount_rate: float = DEFAULT_DISCOUNT_RATE) -> SroiResult:
    """SROI of a set of outcomes against the investment (yen).

    Value in year t of an outcome: ``q·p·(1−deadweight)(1−displacement)(1−attribution)·(1−drop_off)^(t−1)``,
    discounted by ``(1 + r)^t`` from year 1, summed over its ``years`` and over outcomes (yen).
    Source: Cabinet Office / SROI Network, *A Guide to Social Return on Investment* (2012), stages 4–5.

    >>> r = sroi([Outcome(quantity=10, financial_proxy_yen=100_000, deadweight=0.2, years=2, drop_off=0.5)],
    ...          investment=1_000_000, discount_rate=0.0)
    >>> r.present_value_yen, r.ratio        # 800,000 + 400,000
    (1200000.0, 1.2)
    """
    items = _checked(outcomes)
    inv = v.positive("investment", investment)
    rate = v.non_negative("discount_rate", discount_rate)
    pv = _present_value(items, rate)
    rows = []
    for name in (*SCALE_ASSUMPTIONS, *SHARE_ASSUMPTIONS):
        low, high = (_present_value(_moved(items, name, s), rate) / inv for s in (-1, 1))
        rows.append(Sensitivity(name, low, high, abs(high - low)))
    low, high = (_present_value(items, max(0.0, rate + d)) / inv for d in (-0.01, 0.01))
    rows.append(Sensitivity("discount_rate", low, high, abs(high - low)))
    # Rounded so that equal swings (quantity vs proxy) keep their declared order, not float noise.
    rows.sort(key=lambda s: -round(s.swing, 9))
    return SroiResult(
        present_value_yen=pv,
        investment_yen=inv,
        ratio=pv / inv,
        net_ratio=(pv - inv) / inv,
        most_sensitive=rows[0].assumption,
        sensitivity=tuple(rows),
    )


def sroi_vec(
    quantity: Any,
    financial_proxy_yen: Any,
    deadweight: Any,
    displacement: Any,
    attribution: Any,
    drop_off: Any,
    years: Any,
    investment: Any,
    discount_rate: Any = DEFAULT_DISCOUNT_RATE,
) -> tuple[FloatArray, FloatArray]:
    """Present value and SROI ratio for many projects at once.

    Outcome inputs are (projects × outcomes) arrays (or broadcast to it; 1-D means one outcome
    per project); ``investment`` and ``discount_rate`` are per project. Returns ``(pv_yen, ratio)``.
    Uses the closed geometric sum ``Σ_{t=1..n} g^(t−1)/(1+r)^t = (1 − gⁿ(1+r)^−n)/(1 + r − g)``
    with ``g = 1 − drop_off`` (and ``n/(1+r)`` when ``g = 1 + r``).
    """
    names = ("quantity", "financial_proxy_yen", "deadweight", "displacement", "attribution", "drop_off", "years")
    q = v.non_negative_array(names[0], quantity)
    p = v.money_array(names[1], financial_proxy_yen)
    dw, dp, at, do = (
        v.share_array(n, x) for n, x in zip(names[2:6], (deadweight, displacement, attribution, drop_off), strict=True)
    )
    n = v.array(names[6], years)
    if n.size and (n.min() < 1 or (n != np.round(n)).any()):
        raise ImpactInputError("years", "impact.out_of_range", "years must be whole numbers ≥ 1")
    q, p, dw, dp, at, do, n = v.broadcast(names, q, p, dw, dp, at, do, n)
    if q.ndim == 1:
        q, p, dw, dp, at, do, n = (a[:, np.newaxis] for a in (q, p, dw, dp, at, do, n))
    inv = v.positive_array("investment", investment, ndim=None)
    r = v.non_negative_array("discount_rate", discount_rate)
    inv, r = v.broadcast(("investment", "discount_rate"), inv, r)
    inv, r = np.broadcast_to(inv, q.shape[:1]), np.broadcast_to(r, q.shape[:1])
    r2 = r[:, np.newaxis]
    g = 1.0 - do
    denom = 1.0 + r2 - g
    flat = np.abs(denom) < 1e-12
    safe = np.where(flat, 1.0, denom)
    annuity = np.where(flat, n / (1.0 + r2), (1.0 - (g / (1.0 + r2)) ** n) / safe)
    pv = (q * p * (1 - dw) * (1 - dp) * (1 - at) * annuity).sum(axis=1)
    return pv, pv / inv
