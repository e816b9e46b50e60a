"""SROI: a hand-computed impact map, its sensitivity ranking and the vectorised form."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import impact

# Two outcomes, laid out as in an SROI impact map (Cabinet Office, A Guide to SROI, 2012):
#   A: 20 people × ¥50,000, deadweight 25 %, displacement 10 %, attribution 20 %, drop-off 50 %, 3 years
#      year-1 value = 1,000,000 × 0.75 × 0.9 × 0.8 = 540,000; year 2 = 270,000; year 3 = 135,000
#   B: 5 people × ¥200,000, deadweight 50 %, 1 year → 500,000
# Discounted at 3.5 % from year 1:
#   540,000/1.035 + 270,000/1.035² + 135,000/1.035³ + 500,000/1.035
#   = 521,739.13 + 252,047.89 + 121,762.27 + 483,091.79 = 1,378,641.07   (1.035² = 1.071225, 1.035³ = 1.108717875)
# Investment ¥1,000,000 → SROI 1.3786, net SROI 0.3786.
A = impact.Outcome(
    name="A",
    quantity=20,
    financial_proxy_yen=50_000,
    deadweight=0.25,
    displacement=0.10,
    attribution=0.20,
    drop_off=0.50,
    years=3,
)
B = impact.Outcome(name="B", quantity=5, financial_proxy_yen=200_000, deadweight=0.5, years=1)


def test_sroi_of_the_hand_computed_impact_map() -> None:
    r = impact.sroi([A, B], investment=1_000_000)
    assert r.present_value_yen == pytest.approx(1_378_641.07, abs=0.01)
    assert r.ratio == pytest.approx(1.3786, abs=1e-4)
    assert r.net_ratio == pytest.approx(0.3786, abs=1e-4)


def test_sroi_without_discounting_is_the_plain_sum() -> None:
    # 540,000 + 270,000 + 135,000 + 500,000 = 1,445,000.
    r = impact.sroi([A, B], investment=1_000_000, discount_rate=0.0)
    assert r.present_value_yen == pytest.approx(1_445_000)


def test_sensitivity_ranks_deadweight_first() -> None:
    # Deadweight ±10 pp moves A by ±0.1/0.75 = ±13.3 % (±119,407) and B by ±0.1/0.5 = ±20 % (±96,618):
    # swing (2 × 216,025) / 1,000,000 = 0.432, above quantity/proxy (±10 % of PV → 0.2757) and
    # attribution (A ±12.5 % → 223,885; B only upwards, 0 → 10 % → 48,309 → 0.272).
    r = impact.sroi([A, B], investment=1_000_000)
    swing = {s.assumption: s.swing for s in r.sensitivity}
    assert r.most_sensitive == "deadweight"
    assert swing["deadweight"] == pytest.approx(0.4320, abs=1e-3)
    assert swing["quantity"] == pytest.approx(0.2 * 1.3786, abs=1e-3)
    assert swing["attribution"] == pytest.approx(0.2722, abs=1e-3)
    ranked = [round(s.swing, 9) for s in r.sensitivity]
    assert ranked == sorted(ranked, reverse=True)
    assert set(swing) == {
        "quantity",
        "financial_proxy_yen",
        "deadweight",
        "displacement",
        "attribution",
        "drop_off",
        "discount_rate",
    }


def test_vectorised_sroi_agrees_with_the_year_by_year_sum() -> None:
    rng = np.random.default_rng(5)
    n, m = 60, 3
    cols = {
        "quantity": rng.uniform(0, 100, (n, m)),
        "financial_proxy_yen": rng.uniform(0, 1e5, (n, m)),
        "deadweight": rng.uniform(0, 1, (n, m)),
        "displacement": rng.uniform(0, 1, (n, m)),
        "attribution": rng.uniform(0, 1, (n, m)),
        "drop_off": rng.choice([0.0, 0.2, 0.5], (n, m)),
        "years": rng.integers(1, 8, (n, m)),
    }
    inv = rng.uniform(1e5, 1e7, n)
    rate = rng.choice([0.0, 0.035], n)
    pv, ratio = impact.sroi_vec(**cols, investment=inv, discount_rate=rate)
    for i in range(n):
        outs = [
            impact.Outcome(**{k: (int(c[i, j]) if k == "years" else float(c[i, j])) for k, c in cols.items()})
            for j in range(m)
        ]
        one = impact.sroi(outs, float(inv[i]), float(rate[i]))
        assert pv[i] == pytest.approx(one.present_value_yen, rel=1e-10)
        assert ratio[i] == pytest.approx(one.ratio, rel=1e-10)


@pytest.mark.parametrize(
    ("call", "field", "code"),
    [
        (lambda: impact.sroi([], 100), "outcomes", "impact.empty"),
        (lambda: impact.sroi([A], 0), "investment", "impact.not_positive"),
        (lambda: impact.sroi([A], 100, discount_rate=-0.01), "discount_rate", "impact.negative_value"),
        (
            lambda: impact.sroi([impact.Outcome(quantity=-1, financial_proxy_yen=1)], 100),
            "outcomes[0].quantity",
            "impact.negative_value",
        ),
        (
            lambda: impact.sroi([A, impact.Outcome(quantity=1, financial_proxy_yen=-5)], 100),
            "outcomes[1].financial_proxy_yen",
            "impact.negative_money",
        ),
        (
            lambda: impact.sroi([impact.Outcome(quantity=1, financial_proxy_yen=1, deadweight=1.1)], 100),
            "outcomes[0].deadweight",
            "impact.share_out_of_range",
        ),
        (
            lambda: impact.sroi([impact.Outcome(quantity=1, financial_proxy_yen=1, years=0)], 100),
            "outcomes[0].years",
            "impact.out_of_range",
        ),
        (lambda: impact.sroi([{"quantity": 1}], 100), "outcomes[0]", "impact.wrong_type"),
        (lambda: impact.sroi_vec([1], [1], [0], [0], [0], [0], [1.5], [100]), "years", "impact.out_of_range"),
        (
            lambda: impact.sroi_vec([1, 2], [1, 2, 3], [0], [0], [0], [0], [1], [100]),
            "financial_proxy_yen",
            "impact.shape_mismatch",
        ),
    ],
)
def test_impossible_sroi_inputs_raise_one_named_error(call: Any, field: str, code: str) -> None:
    with pytest.raises(impact.ImpactInputError) as info:
        call()
    assert (info.value.field, info.value.code) == (field, code)
