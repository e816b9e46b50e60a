"""Regional accounts: value added kept in the region, circulation rate, energy leakage, jobs, CO2."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec
import numpy as np

from . import _validate as v
from ._errors import ImpactInputError
from ._validate import FloatArray

VALUE_CHAIN_STAGES = ("planning_installation", "operation_maintenance", "operator", "other")
"""IÖW value-chain stages: one-off planning and installation, yearly operation and maintenance,
the operating company itself (its profit), anything else."""


class ValueChainStage(msgspec.Struct, frozen=True, kw_only=True):
    """Inputs for one value-chain stage, per year (or once, for planning/installation); yen.

    - ``profit_before_tax_yen``: pre-tax profit of the firms doing this stage.
    - ``local_ownership_share``: share of those firms' profit owned in the region, [0, 1].
    - ``profit_tax_rate``: taxes on profit (national + local), fraction of profit.
    - ``wages_yen``: gross payroll of this stage.
    - ``resident_employee_share``: share of the payroll paid to people living in the region.
    - ``employee_deduction_rate``: income tax + social contributions, fraction of gross pay.
    - ``local_tax_yen``: taxes received by the region's municipalities (住民税・法人住民税・
      固定資産税 …) from this stage.
    """

    stage: str
    profit_before_tax_yen: float = 0.0
    local_ownership_share: float = 1.0
    profit_tax_rate: float = 0.0
    wages_yen: float = 0.0
    resident_employee_share: float = 1.0
    employee_deduction_rate: float = 0.0
    local_tax_yen: float = 0.0


class StageValueAdded(msgspec.Struct, frozen=True):
    """Value added kept in the region by one stage, yen."""

    stage: str
    after_tax_profit_yen: float
    disposable_income_yen: float
    local_tax_yen: float
    total_yen: float


class RegionalValueAdded(msgspec.Struct, frozen=True):
    """「地域の稼ぎ」 over all stages, yen, with the per-stage breakdown."""

    total_yen: float
    after_tax_profit_yen: float
    disposable_income_yen: float
    local_tax_yen: float
    stages: tuple[StageValueAdded, ...]


def regional_value_added(stages: Sequence[ValueChainStage]) -> RegionalValueAdded:
    """Regional value added (kommunale Wertschöpfung / 地域の稼ぎ), per value-chain stage.

    For each stage: ``profit·(1 − tax)·local_ownership + wages·resident_share·(1 − deductions)
    + local_tax``, i.e. after-tax profits of local owners + disposable income of resident
    employees + taxes the municipalities receive. Yen.
    Sources: Hirschl, Aretz et al., *Kommunale Wertschöpfung durch Erneuerbare Energien*,
    IÖW Schriftenreihe 196/10 (2010); ラウパッハ・スミヤ・中山・諸富「地域付加価値創造分析」
    (環境省 地域経済循環分析).

    >>> stage = ValueChainStage(stage="operation_maintenance", profit_before_tax_yen=1_000_000,
    ...     profit_tax_rate=0.3, wages_yen=2_000_000, employee_deduction_rate=0.25, local_tax_yen=100_000)
    >>> regional_value_added([stage]).total_yen     # 700,000 + 1,500,000 + 100,000
    2300000.0
    """
    if not stages:
        raise ImpactInputError("stages", "impact.empty")
    rows = []
    for i, st in enumerate(stages):
        if not isinstance(st, ValueChainStage):
            raise ImpactInputError(f"stages[{i}]", "impact.wrong_type", "expected ValueChainStage")
        if st.stage not in VALUE_CHAIN_STAGES:
            raise ImpactInputError(f"stages[{i}].stage", "impact.out_of_range", f"one of {VALUE_CHAIN_STAGES}")
        profit = v.number(f"stages[{i}].profit_before_tax_yen", st.profit_before_tax_yen)
        own = v.share(f"stages[{i}].local_ownership_share", st.local_ownership_share)
        tax = v.share(f"stages[{i}].profit_tax_rate", st.profit_tax_rate)
        wages = v.money(f"stages[{i}].wages_yen", st.wages_yen)
        resident = v.share(f"stages[{i}].resident_employee_share", st.resident_employee_share)
        deduct = v.share(f"stages[{i}].employee_deduction_rate", st.employee_deduction_rate)
        local_tax = v.money(f"stages[{i}].local_tax_yen", st.local_tax_yen)
        # A loss is not taxed; it lowers what local owners take home one-for-one.
        after_tax = profit * (1.0 - tax) * own if profit > 0 else profit * own
        disposable = wages * resident * (1.0 - deduct)
        rows.append(StageValueAdded(st.stage, after_tax, disposable, local_tax, after_tax + disposable + local_tax))
    return RegionalValueAdded(
        total_yen=sum(r.total_yen for r in rows),
        after_tax_profit_yen=sum(r.after_tax_profit_yen for r in rows),
        disposable_income_yen=sum(r.disposable_income_yen for r in rows),
        local_tax_yen=sum(r.local_tax_yen for r in rows),
        stages=tuple(rows),
    )


def regional_value_added_vec(
    profit_before_tax_yen: Any,
    local_ownership_share: Any,
    profit_tax_rate: Any,
    wages_yen: Any,
    resident_employee_share: Any,
    employee_deduction_rate: Any,
    local_tax_yen: Any,
) -> FloatArray:
    """:func:`regional_value_added` for one stage per project, over arrays; yen."""
    names = (
        "profit_before_tax_yen",
        "local_ownership_share",
        "profit_tax_rate",
        "wages_yen",
        "resident_employee_share",
        "employee_deduction_rate",
        "local_tax_yen",
    )
    p = v.array(names[0], profit_before_tax_yen)
    own, tax = v.share_array(names[1], local_ownership_share), v.share_array(names[2], profit_tax_rate)
    wages = v.money_array(names[3], wages_yen)
    res, ded = v.share_array(names[4], resident_employee_share), v.share_array(names[5], employee_deduction_rate)
    lt = v.money_array(names[6], local_tax_yen)
    p, own, tax, wages, res, ded, lt = v.broadcast(names, p, own, tax, wages, res, ded, lt)
    after_tax = np.where(p > 0, p * (1.0 - tax), p) * own
    return after_tax + wages * res * (1.0 - ded) + lt


def circulation_rate(production: float, income: float) -> float:
    """RESAS 地域経済循環率 = production (value added produced in the region) / income
    (income received by residents), both yen per year; a fraction (×100 for %).

    Below 1 the region depends on money from outside (transfers, commuting income).
    Source: 内閣府・経済産業省 RESAS「地域経済循環マップ」; 環境省 地域経済循環分析.

    >>> round(circulation_rate(850, 1000), 3)
    0.85
    """
    return v.money("production", production) / v.positive("income", income)


def circulation_rate_vec(production: Any, income: Any) -> FloatArray:
    """:func:`circulation_rate` over arrays."""
    p, i = v.broadcast(
        ("production", "income"), v.money_array("production", production), v.positive_array("income", income)
    )
    return p / i


def energy_leakage_ratio(net_energy_outflow: float, grp: float) -> float:
    """Net payments for energy leaving the region as a share of gross regional product.

    Both yen per year (same unit); result a fraction. Source: 環境省 地域経済循環分析
    (エネルギー代金の域外流出額 / 地域内総生産).

    >>> round(energy_leakage_ratio(61e8, 1178e8) * 100, 2)     # 久慈市: 61億円 / 1,178億円
    5.18
    """
    return v.money("net_energy_outflow", net_energy_outflow) / v.positive("grp", grp)


def energy_leakage_ratio_vec(net_energy_outflow: Any, grp: Any) -> FloatArray:
    """:func:`energy_leakage_ratio` over arrays."""
    o, g = v.broadcast(
        ("net_energy_outflow", "grp"),
        v.money_array("net_energy_outflow", net_energy_outflow),
        v.positive_array("grp", grp),
    )
    return o / g


class Jobs(msgspec.Struct, frozen=True):
    """IRIS+ jobs: created (PI3687), maintained (PI5691), total (PI4874), in full-time equivalents."""

    created: float
    maintained: float
    total: float


def jobs(before: float, after: float) -> Jobs:
    """Jobs created, maintained and total from head counts (FTE) before and after the investment.

    ``created = max(after − before, 0)``, ``maintained = min(before, after)``, ``total = after``.
    Source: IRIS+ PI3687 (Jobs Created), PI5691 (Jobs Maintained), PI4874 (Jobs Total), GIIN.

    >>> jobs(10, 15)
    Jobs(created=5.0, maintained=10.0, total=15.0)
    """
    b = v.non_negative("jobs_before", before)
    a = v.non_negative("jobs_after", after)
    return Jobs(created=max(a - b, 0.0), maintained=min(a, b), total=a)


def jobs_vec(before: Any, after: Any) -> tuple[FloatArray, FloatArray, FloatArray]:
    """:func:`jobs` over arrays: ``(created, maintained, total)``."""
    b, a = v.broadcast(
        ("jobs_before", "jobs_after"),
        v.non_negative_array("jobs_before", before),
        v.non_negative_array("jobs_after", after),
    )
    return np.maximum(a - b, 0.0), np.minimum(a, b), a.astype(np.float64, copy=True)


def co2_avoided(energy_kwh: float, grid_factor_kg_per_kwh: float, own_factor_kg_per_kwh: float = 0.0) -> float:
    """CO2 avoided by supplying ``energy_kwh`` instead of the grid: ``kWh·(grid − own)``, kg-CO2.

    Factors in kg-CO2/kWh (Japan publishes them per utility: 環境省・経済産業省
    「電気事業者別排出係数」; the national default is about 0.43–0.45). Negative when the own
    supply is dirtier than the grid. Source: GHG Protocol Scope 2 Guidance (2015), avoided emissions.

    >>> co2_avoided(1_000_000, 0.45, 0.05)     # kg
    400000.0
    """
    e = v.non_negative("energy_kwh", energy_kwh)
    g = v.non_negative("grid_factor_kg_per_kwh", grid_factor_kg_per_kwh)
    o = v.non_negative("own_factor_kg_per_kwh", own_factor_kg_per_kwh)
    return e * (g - o)


def co2_avoided_vec(energy_kwh: Any, grid_factor_kg_per_kwh: Any, own_factor_kg_per_kwh: Any = 0.0) -> FloatArray:
    """:func:`co2_avoided` over arrays, kg-CO2."""
    names = ("energy_kwh", "grid_factor_kg_per_kwh", "own_factor_kg_per_kwh")
    values = (energy_kwh, grid_factor_kg_per_kwh, own_factor_kg_per_kwh)
    e, g, o = v.broadcast(names, *(v.non_negative_array(n, x) for n, x in zip(names, values, strict=True)))
    return e * (g - o)
