"""Whatever a caller sends, compute answers with a metric or an ImpactInputError — never a crash."""

from __future__ import annotations

from typing import Any

import pytest

import impact
from impact.catalogue import CATALOGUE

VALID: dict[str, Any] = {
    "clients_served": 100,
    "service_population": 5_000,
    "related_population": 300,
    "dual_residents": 12,
    "energy_kwh": 1e6,
    "renewable_energy_kwh": 5e5,
    "grid_factor_kg_per_kwh": 0.45,
    "own_factor_kg_per_kwh": 0.1,
    "jobs_before": 3,
    "jobs_after": 5,
    "lm3_r1_yen": 1000,
    "lm3_r2_yen": 500,
    "lm3_r3_yen": 200,
    "local_supplier_share": 0.3,
    "local_wage_share": 0.2,
    "supplier_respend_share": 0.4,
    "employee_respend_share": 0.5,
    "retained_amount_yen": 1e6,
    "retention_share": 0.5,
    "retention_rounds": 3,
    "mpc": 0.8,
    "local_consumption_share": 0.3,
    "tax_rate": 0.2,
    "io_coefficients": [[0.1, 0.2], [0.2, 0.1]],
    "io_final_demand_yen": [100, 50],
    "io_self_sufficiency": [0.5, 0.7],
    "io_employee_income_coefficients": [0.3, 0.2],
    "io_consumption_propensity": 0.7,
    "io_consumption_structure": [0.4, 0.6],
    "rva_profit_before_tax_yen": 1e6,
    "rva_local_ownership_share": 1.0,
    "rva_profit_tax_rate": 0.3,
    "rva_wages_yen": 2e6,
    "rva_resident_employee_share": 0.9,
    "rva_employee_deduction_rate": 0.2,
    "rva_local_tax_yen": 1e5,
    "regional_production_yen": 8e11,
    "regional_income_yen": 1e12,
    "net_energy_outflow_yen": 6.1e9,
    "grp_yen": 1.178e11,
    "sroi_outcomes": [{"quantity": 10, "financial_proxy_yen": 1e5, "years": 2}],
    "sroi_investment_yen": 1e6,
    "sroi_discount_rate": 0.035,
    "coverage_population": [100, 200],
    "coverage_points": [[35, 135], [35.5, 135.5]],
    "coverage_hubs": [[35, 135]],
    "coverage_threshold_km": 30,
    "le_customer_payments_yen": 4e8,
    "le_local_generation_share": 0.3,
    "le_local_wage_share": 0.05,
    "le_local_supplier_share": 0.04,
    "le_local_dividend_share": 0.01,
    "le_local_reinvestment_share": 0.02,
    "le_respend_generation": 0.5,
    "le_respend_wages": 0.6,
    "le_respend_suppliers": 0.5,
    "le_respend_dividends": 0.6,
    "le_respend_reinvestment": 0.8,
    "le_outside_utility_local_share": 0.03,
    "le_outside_utility_respend_share": 0.5,
    "serves_daily_life_needs": True,
    "depopulating_population_share": 0.4,
    "municipalities_served": 2,
    "local_cofinancing_share": 0.3,
}
GARBAGE: list[Any] = [
    "12",
    True,
    -1,
    -0.5,
    1.5,
    2,
    0,
    float("nan"),
    float("inf"),
    1e308,
    [],
    [1, "a"],
    [[1], [1, 2]],
    [[1, 2], [3, 4]],
    [1, 2, 3],
    {"a": 1},
    [{"quantity": -1, "financial_proxy_yen": 1}],
    ["1"],
]


def test_valid_inputs_cover_every_input_and_compute_every_metric() -> None:
    assert set(VALID) == set(impact.INPUTS)
    assert set(impact.compute_all(VALID)) == set(CATALOGUE)


@pytest.mark.parametrize("metric_id", sorted(CATALOGUE))
def test_garbage_in_any_input_is_a_named_input_error(metric_id: str) -> None:
    m = CATALOGUE[metric_id]
    for name in (*m.inputs, *m.optional_inputs):
        for junk in GARBAGE:
            error: impact.ImpactInputError | None = None
            try:
                impact.compute(metric_id, {**VALID, name: junk})
            except impact.ImpactInputError as e:
                error = e
            if error is not None:
                assert error.field
                assert error.code.startswith("impact.")


def test_an_overflowing_result_is_an_input_error_not_infinity() -> None:
    with pytest.raises(impact.ImpactInputError) as info:
        impact.compute("KY-RETAINED", {"retained_amount_yen": 1.7e308, "retention_share": 0.5})
    assert info.value.code == "impact.out_of_range"
