"""Input–output analysis: Leontief inverse, output multipliers and the regional ripple effect."""

from __future__ import annotations

from typing import Any, NamedTuple

import msgspec
import numpy as np

from . import _validate as v
from ._errors import ImpactInputError
from ._validate import FloatArray


class RippleResult(msgspec.Struct, frozen=True):
    """Regional ripple effect (経済波及効果), all money in the unit of ``demand`` (yen).

    ``direct`` is the in-region demand; ``first_indirect`` the extra output it induces
    through inter-industry purchases; ``second_indirect`` the output induced when the
    employee income so earned is spent; ``multiplier = total / direct`` (波及効果倍率).
    The ``*_by_sector`` tuples hold the same quantities per sector.
    """

    direct: float
    first_indirect: float
    second_indirect: float
    total: float
    multiplier: float
    direct_by_sector: tuple[float, ...]
    first_indirect_by_sector: tuple[float, ...]
    second_indirect_by_sector: tuple[float, ...]
    employee_income: float


def _square(field: str, a: Any) -> FloatArray:
    m = v.non_negative_array(field, a, ndim=2)
    if m.shape[0] != m.shape[1] or m.shape[0] == 0:
        raise ImpactInputError(field, "impact.shape_mismatch", f"expected a non-empty square matrix, got {m.shape}")
    return m


def technical_coefficients(Z: Any, x: Any) -> FloatArray:  # noqa: N803 — Miller & Blair's names
    """Input (technical) coefficients ``A = Z · diag(x)⁻¹``, i.e. ``a_ij = z_ij / x_j``.

    ``Z`` is the n×n inter-industry flow table (money, e.g. million yen; sales of row sector to
    column sector), ``x`` the n total outputs in the same unit, all > 0. ``A`` is dimensionless.
    Source: R. E. Miller & P. D. Blair, *Input–Output Analysis* (2nd ed., 2009), eq. 2.4.

    >>> technical_coefficients([[150, 500], [200, 100]], [1000, 2000]).tolist()
    [[0.15, 0.25], [0.2, 0.05]]
    """
    z = _square("Z", Z)
    out = v.positive_array("x", x, ndim=1)
    if out.shape[0] != z.shape[0]:
        raise ImpactInputError("x", "impact.shape_mismatch", f"{out.shape[0]} outputs for {z.shape[0]} sectors")
    return z / out[np.newaxis, :]


def _check_productive(field: str, a: FloatArray) -> None:
    # Hawkins–Simon: (I − A)⁻¹ ≥ 0 exists iff the spectral radius of A is below one.
    radius = float(np.max(np.abs(np.linalg.eigvals(a))))
    if radius >= 1.0 - 1e-12:
        code = "impact.singular_matrix" if abs(radius - 1.0) < 1e-9 else "impact.non_productive"
        raise ImpactInputError(field, code, f"spectral radius {radius:.4g} ≥ 1")


def leontief_inverse(A: Any) -> FloatArray:  # noqa: N803
    """Leontief inverse ``L = (I − A)⁻¹`` of a productive, non-negative coefficient matrix.

    ``L[i, j]`` is the output of sector i needed per unit of final demand for sector j
    (dimensionless). Raises if ``I − A`` is singular or ``A`` is not productive.
    Source: Miller & Blair (2009), eq. 2.10.

    >>> L = leontief_inverse([[0.15, 0.25], [0.2, 0.05]])
    >>> [round(float(x), 4) for x in L[0]]
    [1.2541, 0.33]
    """
    a = _square("A", A)
    _check_productive("A", a)
    inverse = np.asarray(np.linalg.inv(np.eye(a.shape[0]) - a), dtype=np.float64)
    return inverse


def output_multipliers(A: Any) -> FloatArray:  # noqa: N803
    """Simple output multipliers: the column sums of the Leontief inverse.

    Total output in all sectors per unit (yen) of final demand for each sector.
    Source: Miller & Blair (2009), §6.2.1.

    >>> [round(float(m), 4) for m in output_multipliers([[0.15, 0.25], [0.2, 0.05]])]
    [1.5182, 1.4521]
    """
    return leontief_inverse(A).sum(axis=0)


class _RegionalTable(NamedTuple):
    """A checked regional table, so the scalar and vectorised ripple share one validation."""

    s: FloatArray
    L: FloatArray
    w: FloatArray | None
    c: float
    h: FloatArray | None


def _regional_table(
    A: Any,  # noqa: N803
    self_sufficiency: Any,
    employee_income_coefficients: Any,
    consumption_propensity: float | None,
    consumption_structure: Any,
) -> _RegionalTable:
    a = _square("A", A)
    n = a.shape[0]
    s = v.share_array("self_sufficiency", self_sufficiency, ndim=1)
    if s.shape[0] != n:
        raise ImpactInputError("self_sufficiency", "impact.shape_mismatch", f"{s.shape[0]} values for {n} sectors")
    regional = s[:, np.newaxis] * a
    _check_productive("A", regional)
    inverse = np.asarray(np.linalg.inv(np.eye(n) - regional), dtype=np.float64)
    given = [x is not None for x in (employee_income_coefficients, consumption_propensity, consumption_structure)]
    if any(given) and not all(given):
        names = ("employee_income_coefficients", "consumption_propensity", "consumption_structure")
        missing = names[given.index(False)]
        raise ImpactInputError(missing, "impact.missing_input", "needed for the second round")
    if not all(given):
        return _RegionalTable(s=s, L=inverse, w=None, c=0.0, h=None)
    w = v.share_array("employee_income_coefficients", employee_income_coefficients, ndim=1)
    h = v.share_array("consumption_structure", consumption_structure, ndim=1)
    for field, vec in (("employee_income_coefficients", w), ("consumption_structure", h)):
        if vec.shape[0] != n:
            raise ImpactInputError(field, "impact.shape_mismatch", f"{vec.shape[0]} values for {n} sectors")
    if h.sum() > 1.0 + 1e-9:
        raise ImpactInputError("consumption_structure", "impact.shares_exceed_one", f"sum {h.sum():.4g}")
    c = v.share("consumption_propensity", consumption_propensity)
    return _RegionalTable(s=s, L=inverse, w=w, c=c, h=h)


def regional_ripple(
    A: Any,  # noqa: N803
    demand: Any,
    self_sufficiency: Any,
    *,
    employee_income_coefficients: Any = None,
    consumption_propensity: float | None = None,
    consumption_structure: Any = None,
) -> RippleResult:
    """Regional ripple effect as Japanese prefectures compute it (competitive-import model).

    1. direct: ``d = ŝ·f`` — final demand ``f`` (yen by sector) times self-sufficiency ``s``
       (県内自給率 = 1 − 移輸入率, fractions).
    2. first round: ``x₁ = [I − ŝA]⁻¹ d``; first indirect = ``x₁ − d``.
    3. second round (optional): employee income ``Y = w·x₁`` (``w`` = 雇用者所得係数), consumption
       ``C = Y·c`` (``c`` = 消費転換係数, e.g. ~0.6–0.7), spent by the household consumption
       structure ``h`` (shares of household spending by sector, sum ≤ 1):
       ``x₂ = [I − ŝA]⁻¹ ŝ h C``.
    4. total = ``x₁ + x₂``; multiplier = total / direct.

    Source: e.g. 鳥取県「産業連関表を利用した経済波及効果の計算方法」; 総務省 産業連関表 解説;
    Miller & Blair (2009) §3.

    >>> r = regional_ripple([[0.2]], [100], [0.5])
    >>> round(r.total, 3), round(r.multiplier, 4)
    (55.556, 1.1111)
    """
    t = _regional_table(
        A, self_sufficiency, employee_income_coefficients, consumption_propensity, consumption_structure
    )
    f = v.money_array("demand", demand, ndim=1)
    if f.shape[0] != t.s.shape[0]:
        raise ImpactInputError("demand", "impact.shape_mismatch", f"{f.shape[0]} values for {t.s.shape[0]} sectors")
    d = t.s * f
    x1 = t.L @ d
    income = 0.0
    x2 = np.zeros_like(d)
    if t.w is not None and t.h is not None:
        income = float(t.w @ x1)
        x2 = t.L @ (t.s * t.h * (income * t.c))
    direct = float(d.sum())
    total = float(x1.sum() + x2.sum())
    return RippleResult(
        direct=direct,
        first_indirect=float(x1.sum()) - direct,
        second_indirect=float(x2.sum()),
        total=total,
        multiplier=total / direct if direct > 0 else float("nan"),
        direct_by_sector=tuple(d.tolist()),
        first_indirect_by_sector=tuple((x1 - d).tolist()),
        second_indirect_by_sector=tuple(x2.tolist()),
        employee_income=income,
    )


def regional_ripple_vec(
    A: Any,  # noqa: N803
    demand: Any,
    self_sufficiency: Any,
    *,
    employee_income_coefficients: Any = None,
    consumption_propensity: float | None = None,
    consumption_structure: Any = None,
) -> dict[str, FloatArray]:
    """:func:`regional_ripple` for many projects sharing one regional table.

    ``demand`` is (projects × sectors); returns arrays of length ``projects`` under the keys
    ``direct``, ``first_indirect``, ``second_indirect``, ``total``, ``multiplier``.
    """
    t = _regional_table(
        A, self_sufficiency, employee_income_coefficients, consumption_propensity, consumption_structure
    )
    f = v.money_array("demand", demand, ndim=2)
    if f.shape[1] != t.s.shape[0]:
        raise ImpactInputError("demand", "impact.shape_mismatch", f"{f.shape[1]} columns for {t.s.shape[0]} sectors")
    d = f * t.s
    x1 = d @ t.L.T
    direct = d.sum(axis=1)
    second = np.zeros_like(direct)
    if t.w is not None and t.h is not None:
        # The second round is linear in income, so one column total per unit of consumption suffices.
        per_yen = float((t.L @ (t.s * t.h)).sum()) * t.c
        second = (x1 @ t.w) * per_yen
    total = x1.sum(axis=1) + second
    with np.errstate(divide="ignore", invalid="ignore"):
        multiplier = np.where(direct > 0, total / np.where(direct > 0, direct, 1.0), np.nan)
    return {
        "direct": direct,
        "first_indirect": x1.sum(axis=1) - direct,
        "second_indirect": second,
        "total": total,
        "multiplier": multiplier,
    }
