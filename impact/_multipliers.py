"""Local spending multipliers: NEF LM3, the leaky bucket and the Keynesian regional multiplier."""

from __future__ import annotations

from typing import Any

import msgspec
import numpy as np

from . import _validate as v
from ._errors import ImpactInputError
from ._validate import FloatArray


class Lm3Rounds(msgspec.Struct, frozen=True):
    """The three rounds of spending in yen and the resulting LM3 (dimensionless)."""

    r1_yen: float
    r2_yen: float
    r3_yen: float
    lm3: float


def lm3(r1: float, r2: float, r3: float) -> float:
    """NEF Local Multiplier 3: ``LM3 = (R1 + R2 + R3) / R1``.

    - ``r1``: income of the organisation studied (round 1), yen, > 0.
    - ``r2``: of that, what it spends in the local area (suppliers, local staff), yen.
    - ``r3``: what the round-2 recipients re-spend in the local area, yen.

    A round can never exceed the one before it. Result is dimensionless, in [1, 3].
    Source: J. Sacks, *The Money Trail*, New Economics Foundation (2002).

    >>> round(lm3(10, 8, 6.4), 2)     # 80 % retained at each round (Northumberland CC LM3 material)
    2.44
    """
    a = v.positive("r1", r1)
    b = v.money("r2", r2)
    c = v.money("r3", r3)
    if b > a:
        raise ImpactInputError("r2", "impact.round_increases", f"r2={b:g} > r1={a:g}")
    if c > b:
        raise ImpactInputError("r3", "impact.round_increases", f"r3={c:g} > r2={b:g}")
    return (a + b + c) / a


def lm3_rounds(
    income_yen: float,
    local_supplier_share: float,
    local_wage_share: float,
    supplier_respend_share: float,
    employee_respend_share: float,
) -> Lm3Rounds:
    """LM3 built from shares instead of measured rounds.

    ``R1 = income``; ``R2 = R1·(s + w)``; ``R3 = R1·(s·s' + w·w')`` where ``s`` is the share of
    income spent with local suppliers, ``w`` the share paid as wages to staff living locally,
    ``s'`` and ``w'`` the shares of what suppliers and staff receive that they re-spend locally.
    All shares are fractions in [0, 1]; ``s + w ≤ 1``. Money in yen.
    Source: Sacks (NEF 2002), LM3 survey structure (supplier and employee questionnaires).

    >>> round(lm3_rounds(10, 0.8, 0.0, 0.8, 0.0).lm3, 2)     # the uniform 80 % case
    2.44
    """
    r1 = v.positive("income_yen", income_yen)
    s = v.share("local_supplier_share", local_supplier_share)
    w = v.share("local_wage_share", local_wage_share)
    s2 = v.share("supplier_respend_share", supplier_respend_share)
    w2 = v.share("employee_respend_share", employee_respend_share)
    if s + w > 1.0 + 1e-12:
        raise ImpactInputError("local_wage_share", "impact.shares_exceed_one", f"supplier {s:g} + wage {w:g}")
    r2 = r1 * (s + w)
    r3 = r1 * (s * s2 + w * w2)
    return Lm3Rounds(r1_yen=r1, r2_yen=r2, r3_yen=r3, lm3=(r1 + r2 + r3) / r1)


def lm3_from_shares(
    local_supplier_share: float, local_wage_share: float, supplier_respend_share: float, employee_respend_share: float
) -> float:
    """LM3 from shares alone (it does not depend on the income): ``1 + s + w + s·s' + w·w'``.

    Shares as in :func:`lm3_rounds`, fractions in [0, 1]. Source: Sacks, *The Money Trail* (NEF 2002).

    >>> round(lm3_from_shares(0.2, 0.0, 0.2, 0.0), 2)     # 20 % retained: £10, £2, £0.40
    1.24
    """
    return lm3_rounds(1.0, local_supplier_share, local_wage_share, supplier_respend_share, employee_respend_share).lm3


def lm3_vec(r1: Any, r2: Any, r3: Any) -> FloatArray:
    """:func:`lm3` over arrays of projects (broadcasting); same checks, same formula."""
    a = v.positive_array("r1", r1)
    b = v.money_array("r2", r2)
    c = v.money_array("r3", r3)
    a, b, c = v.broadcast(("r1", "r2", "r3"), a, b, c)
    if (b > a).any():
        raise ImpactInputError("r2", "impact.round_increases", f"{int((b > a).sum())} projects with r2 > r1")
    if (c > b).any():
        raise ImpactInputError("r3", "impact.round_increases", f"{int((c > b).sum())} projects with r3 > r2")
    return (a + b + c) / a


def retained_total(amount: float, retention: float, rounds: int | None = None) -> float:
    """The leaky bucket: total local spending from ``amount`` re-spent at rate ``retention``.

    ``amount·(1 − rⁿ)/(1 − r)`` over ``n = rounds`` rounds, the first round (the amount
    itself) included; with ``rounds=None`` the infinite sum ``amount/(1 − r)`` (needs r < 1).
    ``amount`` in yen (result in the same unit), ``retention`` a fraction in [0, 1].
    Source: NEF, *Plugging the Leaks* (2002); Sacks, *The Money Trail* (2002).

    >>> round(retained_total(10_000, 0.8, rounds=3), 6)      # 10,000 + 8,000 + 6,400
    24400.0
    >>> round(retained_total(10_000, 0.8), 6)      # 10,000 / 0.2
    50000.0
    """
    a = v.money("amount", amount)
    r = v.share("retention", retention)
    if rounds is None:
        if r >= 1.0:
            raise ImpactInputError("retention", "impact.non_convergent", "retention 1 with infinite rounds")
        return a / (1.0 - r)
    n = v.integer("rounds", rounds, minimum=1)
    if r == 1.0:
        return a * n
    return a * (1.0 - r**n) / (1.0 - r)


def retained_total_vec(amount: Any, retention: Any, rounds: Any = None) -> FloatArray:
    """:func:`retained_total` over arrays; ``rounds`` is None (infinite) or an array of ints ≥ 1."""
    a = v.money_array("amount", amount)
    r = v.share_array("retention", retention)
    if rounds is None:
        a, r = v.broadcast(("amount", "retention"), a, r)
        if (r >= 1.0).any():
            raise ImpactInputError("retention", "impact.non_convergent", "retention 1 with infinite rounds")
        return a / (1.0 - r)
    n = v.array("rounds", rounds)
    if n.size and (n.min() < 1 or (n != np.round(n)).any()):
        raise ImpactInputError("rounds", "impact.out_of_range", "rounds must be whole numbers ≥ 1")
    a, r, n = v.broadcast(("amount", "retention", "rounds"), a, r, n)
    one = r == 1.0
    safe = np.where(one, 0.5, r)  # any r < 1 keeps the division finite where the closed form is unused
    return np.where(one, a * n, a * (1.0 - safe**n) / (1.0 - safe))


def keynesian_multiplier(mpc: float, local_share: float, tax_rate: float = 0.0) -> float:
    """Regional Keynesian multiplier ``k = 1 / (1 − mpc · local_share · (1 − tax_rate))``.

    - ``mpc``: marginal propensity to consume, fraction in [0, 1].
    - ``local_share``: share of that consumption spent on local goods and services, [0, 1].
    - ``tax_rate``: share of income taken as tax before spending, [0, 1].

    Result dimensionless (≥ 1); multiply an injection in yen to get total local income in yen.
    Source: H. Armstrong & J. Taylor, *Regional Economics and Policy* (3rd ed., 2000), ch. 2
    (the simple regional income multiplier).

    >>> round(keynesian_multiplier(0.8, 0.25), 6)   # $32m injection → $40m
    1.25
    """
    c = v.share("mpc", mpc)
    s = v.share("local_share", local_share)
    t = v.share("tax_rate", tax_rate)
    leak = 1.0 - c * s * (1.0 - t)
    if leak <= 0.0:
        raise ImpactInputError("mpc", "impact.non_convergent", "mpc·local_share·(1−tax_rate) = 1")
    return 1.0 / leak


def keynesian_multiplier_vec(mpc: Any, local_share: Any, tax_rate: Any = 0.0) -> FloatArray:
    """:func:`keynesian_multiplier` over arrays of projects."""
    c = v.share_array("mpc", mpc)
    s = v.share_array("local_share", local_share)
    t = v.share_array("tax_rate", tax_rate)
    c, s, t = v.broadcast(("mpc", "local_share", "tax_rate"), c, s, t)
    leak = 1.0 - c * s * (1.0 - t)
    if (leak <= 0.0).any():
        raise ImpactInputError("mpc", "impact.non_convergent", "mpc·local_share·(1−tax_rate) = 1")
    return 1.0 / leak
