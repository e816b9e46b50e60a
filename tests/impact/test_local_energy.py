"""The regional power company fund-circulation model and its ローカルエナジー illustration."""

from __future__ import annotations

from typing import Any

import msgspec
import numpy as np
import pytest

import impact


def test_illustrative_local_energy_by_hand() -> None:
    # R1 = ¥400m (press expectation for sales, DEMO_FACTS.md).
    # R2 = 400m × (0.30 + 0.05 + 0.04 + 0.01 + 0.02) = 400m × 0.42 = 168m
    # R3 = 400m × (0.30·0.5 + 0.05·0.6 + 0.04·0.5 + 0.01·0.6 + 0.02·0.8) = 400m × 0.222 = 88.8m
    # LM3 = 1 + 0.42 + 0.222 = 1.642; retained = 256.8m a year.
    # Outside utility: 400m × 0.03 = 12m, re-spent half → 6m; retained 18m, LM3 1.045.
    r = impact.local_energy_circulation(impact.LOCAL_ENERGY_ILLUSTRATIVE)
    assert r.r2_yen == pytest.approx(168e6)
    assert r.r3_yen == pytest.approx(88.8e6)
    assert r.lm3 == pytest.approx(1.642)
    assert r.retained_yen == pytest.approx(256.8e6)
    assert r.counterfactual_retained_yen == pytest.approx(18e6)
    assert r.counterfactual_lm3 == pytest.approx(1.045)
    assert r.additional_retained_yen == pytest.approx(238.8e6)
    assert sum(r.r2_by_channel_yen.values()) == pytest.approx(r.r2_yen)


def test_local_energy_lm3_is_the_nef_lm3_of_its_rounds() -> None:
    r = impact.local_energy_circulation(impact.LOCAL_ENERGY_ILLUSTRATIVE)
    assert r.lm3 == pytest.approx(impact.lm3(r.r1_yen, r.r2_yen, r.r3_yen))


def test_illustrative_inputs_are_labelled_and_grounded() -> None:
    le = impact.local_energy_illustrative()
    assert le is impact.LOCAL_ENERGY_ILLUSTRATIVE
    assert le.label == "illustrative"
    assert le.customer_payments_yen == 400_000_000
    text = " ".join(le.sources)
    for fact in ("No published LM3", "400 million", "450 public facilities", "10,000 households", "5 jobs"):
        assert fact in text
    assert impact.local_energy_circulation(le).label == "illustrative"


def test_five_years_of_illustrative_circulation_are_the_order_of_the_press_expectation() -> None:
    # The press expected ¥1.6bn of fund circulation after five years (an expectation, not a result);
    # five flat years of the illustrative model should be the same order of magnitude, not 10× off.
    five = 5 * impact.local_energy_circulation(impact.LOCAL_ENERGY_ILLUSTRATIVE).retained_yen
    assert 0.5e9 < five < 3.2e9


def test_vectorised_local_energy_agrees_with_scalar() -> None:
    rng = np.random.default_rng(2)
    n = 40
    r1 = rng.uniform(1e7, 1e9, n)
    shares = rng.dirichlet(np.ones(6), n)[:, :5]
    respend = rng.uniform(0, 1, (n, 5))
    cf, cfr = rng.uniform(0, 0.1, n), rng.uniform(0, 1, n)
    many = impact.local_energy_circulation_vec(r1, shares, respend, cf, cfr)
    keys = (
        "local_generation_share",
        "local_wage_share",
        "local_supplier_share",
        "local_dividend_share",
        "local_reinvestment_share",
    )
    rkeys = ("respend_generation", "respend_wages", "respend_suppliers", "respend_dividends", "respend_reinvestment")
    for i in range(n):
        one = impact.local_energy_circulation(
            impact.LocalEnergyInputs(
                customer_payments_yen=float(r1[i]),
                **dict(zip(keys, shares[i].tolist(), strict=True)),
                **dict(zip(rkeys, respend[i].tolist(), strict=True)),
                outside_utility_local_share=float(cf[i]),
                outside_utility_respend_share=float(cfr[i]),
            )
        )
        assert many["lm3"][i] == pytest.approx(one.lm3)
        assert many["retained_yen"][i] == pytest.approx(one.retained_yen)
        assert many["additional_retained_yen"][i] == pytest.approx(one.additional_retained_yen)


def _with(**changes: Any) -> impact.LocalEnergyInputs:
    return msgspec.structs.replace(impact.LOCAL_ENERGY_ILLUSTRATIVE, **changes)


@pytest.mark.parametrize(
    ("call", "field", "code"),
    [
        (
            lambda: impact.local_energy_circulation(_with(customer_payments_yen=0)),
            "customer_payments_yen",
            "impact.not_positive",
        ),
        (
            lambda: impact.local_energy_circulation(_with(local_wage_share=-0.1)),
            "local_wage_share",
            "impact.share_out_of_range",
        ),
        (
            lambda: impact.local_energy_circulation(_with(local_generation_share=0.99)),
            "local_generation_share",
            "impact.shares_exceed_one",
        ),
        (
            lambda: impact.local_energy_circulation(_with(respend_dividends=2)),
            "respend_dividends",
            "impact.share_out_of_range",
        ),
        (
            lambda: impact.local_energy_circulation(_with(outside_utility_local_share="small")),
            "outside_utility_local_share",
            "impact.wrong_type",
        ),
        (
            lambda: impact.local_energy_circulation_vec([1e8], [[0.1] * 4], [[0.5] * 5], 0.0, 0.0),
            "local_shares",
            "impact.shape_mismatch",
        ),
        (
            lambda: impact.local_energy_circulation_vec([1e8], [[0.3] * 5], [[0.5] * 5], 0.0, 0.0),
            "local_shares",
            "impact.shares_exceed_one",
        ),
    ],
)
def test_impossible_local_energy_inputs_raise_one_named_error(call: Any, field: str, code: str) -> None:
    with pytest.raises(impact.ImpactInputError) as info:
        call()
    assert (info.value.field, info.value.code) == (field, code)
