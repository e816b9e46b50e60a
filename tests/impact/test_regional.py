"""Regional value added, circulation rate, energy leakage, jobs and CO2 avoided."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import impact


def test_energy_leakage_of_kuji_city() -> None:
    # 環境省 地域経済循環分析, 久慈市: energy payments leaving 61億円 against GRP 1,178億円 → 5.18 %.
    assert impact.energy_leakage_ratio(61e8, 1178e8) * 100 == pytest.approx(5.18, abs=0.005)


def test_circulation_rate_is_production_over_income() -> None:
    # A region producing 8,500億円 of value added whose residents receive 1兆円: 85 %.
    assert impact.circulation_rate(8500e8, 1e12) == pytest.approx(0.85)


def test_jobs_when_a_business_grows_from_10_to_15() -> None:
    # IRIS+ guidance: a business growing from 10 to 15 employees created 5 (PI3687),
    # maintained 10 (PI5691) and has 15 in total (PI4874).
    assert impact.jobs(10, 15) == impact.Jobs(created=5, maintained=10, total=15)


def test_jobs_when_a_business_shrinks_creates_none() -> None:
    assert impact.jobs(15, 10) == impact.Jobs(created=0, maintained=10, total=10)


def test_co2_avoided_is_energy_times_factor_difference() -> None:
    # 1,000,000 kWh × (0.45 − 0.05) kg/kWh = 400,000 kg = 400 t.
    assert impact.co2_avoided(1_000_000, 0.45, 0.05) == pytest.approx(400_000)
    assert impact.co2_avoided(1_000, 0.4, 0.5) == pytest.approx(-100)


def test_regional_value_added_per_stage_by_hand() -> None:
    install = impact.ValueChainStage(
        stage="planning_installation",
        profit_before_tax_yen=2_000_000,
        local_ownership_share=0.5,
        profit_tax_rate=0.3,
        wages_yen=4_000_000,
        resident_employee_share=0.25,
        employee_deduction_rate=0.2,
        local_tax_yen=50_000,
    )
    operate = impact.ValueChainStage(
        stage="operation_maintenance",
        profit_before_tax_yen=-100_000,
        local_ownership_share=1.0,
        profit_tax_rate=0.3,
        wages_yen=1_000_000,
        local_tax_yen=20_000,
    )
    r = impact.regional_value_added([install, operate])
    # install: 2,000,000 × 0.7 × 0.5 = 700,000; 4,000,000 × 0.25 × 0.8 = 800,000; + 50,000 = 1,550,000
    # operate: loss −100,000 (untaxed, all local); 1,000,000; + 20,000 = 920,000
    assert [s.total_yen for s in r.stages] == [pytest.approx(1_550_000), pytest.approx(920_000)]
    assert r.total_yen == pytest.approx(2_470_000)
    assert r.after_tax_profit_yen == pytest.approx(600_000)
    assert r.disposable_income_yen == pytest.approx(1_800_000)
    assert r.local_tax_yen == pytest.approx(70_000)


def test_vectorised_regional_forms_agree_with_scalar() -> None:
    rng = np.random.default_rng(11)
    n = 100
    before, after = rng.integers(0, 50, n).astype(float), rng.integers(0, 50, n).astype(float)
    created, maintained, total = impact.jobs_vec(before, after)
    for i in range(n):
        j = impact.jobs(before[i], after[i])
        assert (created[i], maintained[i], total[i]) == (j.created, j.maintained, j.total)
    e, g, o = rng.uniform(0, 1e6, n), rng.uniform(0.3, 0.6, n), rng.uniform(0, 0.3, n)
    np.testing.assert_allclose(
        impact.co2_avoided_vec(e, g, o), [impact.co2_avoided(*t) for t in zip(e, g, o, strict=True)]
    )
    p, inc = rng.uniform(0, 1e9, n), rng.uniform(1, 1e9, n)
    np.testing.assert_allclose(
        impact.circulation_rate_vec(p, inc), [impact.circulation_rate(a, b) for a, b in zip(p, inc, strict=True)]
    )
    np.testing.assert_allclose(
        impact.energy_leakage_ratio_vec(p, inc),
        [impact.energy_leakage_ratio(a, b) for a, b in zip(p, inc, strict=True)],
    )
    cols = (
        rng.uniform(-1e6, 1e7, n),
        rng.uniform(0, 1, n),
        rng.uniform(0, 0.4, n),
        rng.uniform(0, 1e7, n),
        rng.uniform(0, 1, n),
        rng.uniform(0, 0.3, n),
        rng.uniform(0, 1e5, n),
    )
    names = (
        "profit_before_tax_yen",
        "local_ownership_share",
        "profit_tax_rate",
        "wages_yen",
        "resident_employee_share",
        "employee_deduction_rate",
        "local_tax_yen",
    )
    scalar = [
        impact.regional_value_added(
            [impact.ValueChainStage(stage="operator", **{k: float(c[i]) for k, c in zip(names, cols, strict=True)})]
        ).total_yen
        for i in range(n)
    ]
    np.testing.assert_allclose(impact.regional_value_added_vec(*cols), scalar)


@pytest.mark.parametrize(
    ("call", "field", "code"),
    [
        (lambda: impact.energy_leakage_ratio(-1, 100), "net_energy_outflow", "impact.negative_money"),
        (lambda: impact.energy_leakage_ratio(1, 0), "grp", "impact.not_positive"),
        (lambda: impact.circulation_rate(100, 0), "income", "impact.not_positive"),
        (lambda: impact.circulation_rate(-5, 10), "production", "impact.negative_money"),
        (lambda: impact.circulation_rate_vec([1, 2], [1, 2, 3]), "income", "impact.shape_mismatch"),
        (lambda: impact.jobs(-1, 3), "jobs_before", "impact.negative_value"),
        (lambda: impact.jobs(1, "3"), "jobs_after", "impact.wrong_type"),
        (lambda: impact.co2_avoided(100, -0.1), "grid_factor_kg_per_kwh", "impact.negative_value"),
        (lambda: impact.co2_avoided(float("inf"), 0.4), "energy_kwh", "impact.not_finite"),
        (lambda: impact.regional_value_added([]), "stages", "impact.empty"),
        (
            lambda: impact.regional_value_added([impact.ValueChainStage(stage="x")]),
            "stages[0].stage",
            "impact.out_of_range",
        ),
        (
            lambda: impact.regional_value_added([impact.ValueChainStage(stage="operator", wages_yen=-1)]),
            "stages[0].wages_yen",
            "impact.negative_money",
        ),
        (
            lambda: impact.regional_value_added([impact.ValueChainStage(stage="operator", profit_tax_rate=1.3)]),
            "stages[0].profit_tax_rate",
            "impact.share_out_of_range",
        ),
    ],
)
def test_impossible_regional_inputs_raise_one_named_error(call: Any, field: str, code: str) -> None:
    with pytest.raises(impact.ImpactInputError) as info:
        call()
    assert (info.value.field, info.value.code) == (field, code)
