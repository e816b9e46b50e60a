"""Input–output analysis: Miller & Blair's two-sector example and a hand-checked ripple."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import impact

# Miller & Blair, Input–Output Analysis (2nd ed., 2009), §2.3, Table 2.3: two-sector economy.
Z = [[150, 500], [200, 100]]
X = [1000, 2000]


def test_technical_coefficients_of_the_two_sector_example() -> None:
    # a_ij = z_ij / x_j: 150/1000, 500/2000, 200/1000, 100/2000.
    np.testing.assert_allclose(impact.technical_coefficients(Z, X), [[0.15, 0.25], [0.20, 0.05]])


def test_leontief_inverse_matches_the_published_values() -> None:
    inverse = impact.leontief_inverse(impact.technical_coefficients(Z, X))
    np.testing.assert_allclose(inverse, [[1.2541, 0.3300], [0.2640, 1.1221]], atol=5e-5)


def test_output_multipliers_are_column_sums_of_the_inverse() -> None:
    m = impact.output_multipliers(impact.technical_coefficients(Z, X))
    np.testing.assert_allclose(m, [1.5182, 1.4521], atol=5e-5)


def test_full_self_sufficiency_ripple_equals_the_output_multiplier() -> None:
    # With no imports (s = 1) and demand of 100 for sector 1, total output = 100 × 1.5182.
    r = impact.regional_ripple(impact.technical_coefficients(Z, X), [100, 0], [1, 1])
    assert r.direct == pytest.approx(100)
    assert r.total == pytest.approx(151.82, abs=0.01)
    assert r.multiplier == pytest.approx(1.5182, abs=5e-5)
    assert r.second_indirect == 0


def test_one_sector_ripple_with_second_round_by_hand() -> None:
    # A = 0.2, demand 100, self-sufficiency 0.5:
    #   direct d = 50; first round x1 = 50 / (1 − 0.5·0.2) = 55.556 → first indirect 5.556.
    #   employee income 0.3 × 55.556 = 16.667; consumed × 0.8 = 13.333; all on this sector (h = 1),
    #   in-region 0.5 × 13.333 = 6.667; second round 6.667 / 0.9 = 7.407.
    #   total 55.556 + 7.407 = 62.963; multiplier 62.963 / 50 = 1.2593.
    r = impact.regional_ripple(
        [[0.2]],
        [100],
        [0.5],
        employee_income_coefficients=[0.3],
        consumption_propensity=0.8,
        consumption_structure=[1.0],
    )
    assert r.direct == pytest.approx(50)
    assert r.first_indirect == pytest.approx(5.5556, abs=1e-4)
    assert r.employee_income == pytest.approx(16.6667, abs=1e-4)
    assert r.second_indirect == pytest.approx(7.4074, abs=1e-4)
    assert r.total == pytest.approx(62.963, abs=1e-3)
    assert r.multiplier == pytest.approx(1.2593, abs=1e-4)
    assert r.total == pytest.approx(r.direct + r.first_indirect + r.second_indirect)


def test_lower_self_sufficiency_leaks_more() -> None:
    a = impact.technical_coefficients(Z, X)
    high = impact.regional_ripple(a, [100, 100], [0.9, 0.9])
    low = impact.regional_ripple(a, [100, 100], [0.5, 0.5])
    assert low.total < high.total
    assert low.multiplier < high.multiplier


def test_vectorised_ripple_agrees_with_scalar() -> None:
    rng = np.random.default_rng(3)
    a = rng.uniform(0, 0.15, (4, 4))
    s = rng.uniform(0.3, 1, 4)
    w = rng.uniform(0.1, 0.4, 4)
    h = rng.dirichlet(np.ones(4))
    demand = rng.uniform(0, 1e6, (50, 4))
    kw: dict[str, Any] = {"employee_income_coefficients": w, "consumption_propensity": 0.7, "consumption_structure": h}
    many = impact.regional_ripple_vec(a, demand, s, **kw)
    for i in range(len(demand)):
        one = impact.regional_ripple(a, demand[i], s, **kw)
        for key in ("direct", "first_indirect", "second_indirect", "total", "multiplier"):
            assert many[key][i] == pytest.approx(getattr(one, key), rel=1e-10)


@pytest.mark.parametrize(
    ("call", "field", "code"),
    [
        (lambda: impact.technical_coefficients([[1, 2], [3, 4]], [1, 0]), "x", "impact.not_positive"),
        (lambda: impact.technical_coefficients([[1, 2], [3, 4]], [1, 2, 3]), "x", "impact.shape_mismatch"),
        (lambda: impact.technical_coefficients([[1, 2, 3], [3, 4, 5]], [1, 2]), "Z", "impact.shape_mismatch"),
        (lambda: impact.technical_coefficients([[-1, 2], [3, 4]], [1, 2]), "Z", "impact.negative_value"),
        (lambda: impact.leontief_inverse([[1.0]]), "A", "impact.singular_matrix"),
        (lambda: impact.leontief_inverse([[0.5, 0.5], [0.5, 0.5]]), "A", "impact.singular_matrix"),
        (lambda: impact.leontief_inverse([[0.9, 0.6], [0.6, 0.9]]), "A", "impact.non_productive"),
        (lambda: impact.output_multipliers([[0.1, "x"], [0.1, 0.1]]), "A", "impact.wrong_type"),
        (lambda: impact.regional_ripple([[0.2]], [100, 1], [0.5]), "demand", "impact.shape_mismatch"),
        (lambda: impact.regional_ripple([[0.2]], [-100], [0.5]), "demand", "impact.negative_money"),
        (lambda: impact.regional_ripple([[0.2]], [100], [1.5]), "self_sufficiency", "impact.share_out_of_range"),
        (lambda: impact.regional_ripple([[0.2]], [100], [0.5, 0.5]), "self_sufficiency", "impact.shape_mismatch"),
        (
            lambda: impact.regional_ripple([[0.2]], [100], [0.5], employee_income_coefficients=[0.3]),
            "consumption_propensity",
            "impact.missing_input",
        ),
        (
            lambda: impact.regional_ripple(
                [[0.2]],
                [100],
                [0.5],
                employee_income_coefficients=[0.3],
                consumption_propensity=0.8,
                consumption_structure=[1.5],
            ),
            "consumption_structure",
            "impact.share_out_of_range",
        ),
        (
            lambda: impact.regional_ripple(
                [[0.1, 0.1], [0.1, 0.1]],
                [1, 1],
                [1, 1],
                employee_income_coefficients=[0.3, 0.3],
                consumption_propensity=0.8,
                consumption_structure=[0.6, 0.6],
            ),
            "consumption_structure",
            "impact.shares_exceed_one",
        ),
        (lambda: impact.regional_ripple_vec([[0.2]], [100], [0.5]), "demand", "impact.shape_mismatch"),
    ],
)
def test_impossible_input_output_inputs_raise_one_named_error(call: Any, field: str, code: str) -> None:
    with pytest.raises(impact.ImpactInputError) as info:
        call()
    assert (info.value.field, info.value.code) == (field, code)
