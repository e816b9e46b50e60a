"""LM3, the leaky bucket and the Keynesian multiplier against published worked examples."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import impact


def test_lm3_with_uniform_80_percent_retention_is_2_44() -> None:
    # Northumberland County Council, "Local Multiplier 3" guidance: £10 spent, £8 re-spent
    # locally, £6.40 re-spent again → (10 + 8 + 6.40) / 10 = 2.44.
    assert impact.lm3(10, 8, 6.40) == pytest.approx(2.44)


def test_lm3_with_uniform_20_percent_retention_is_1_24() -> None:
    # Same source: £10, £2, £0.40 → 12.40 / 10 = 1.24.
    assert impact.lm3(10, 2, 0.40) == pytest.approx(1.24)


def test_lm3_from_shares_reproduces_the_rounds() -> None:
    # 80 % to local suppliers who re-spend 80 % locally is the uniform-80 % case above.
    assert impact.lm3_from_shares(0.8, 0.0, 0.8, 0.0) == pytest.approx(2.44)
    assert impact.lm3_from_shares(0.2, 0.0, 0.2, 0.0) == pytest.approx(1.24)
    # Split channels by hand: income 1000; suppliers 30 % (re-spend 50 %), wages 20 % (re-spend 70 %).
    # R2 = 300 + 200 = 500; R3 = 150 + 140 = 290; LM3 = 1790 / 1000 = 1.79.
    r = impact.lm3_rounds(1000, 0.3, 0.2, 0.5, 0.7)
    assert (r.r2_yen, r.r3_yen) == (pytest.approx(500), pytest.approx(290))
    assert r.lm3 == pytest.approx(1.79)


def test_lm3_is_between_one_and_three() -> None:
    assert impact.lm3(100, 0, 0) == 1.0
    assert impact.lm3(100, 100, 100) == 3.0


def test_leaky_bucket_three_rounds_matches_lm3_rounds() -> None:
    # 10,000 yen at 80 % retention: 10,000 + 8,000 + 6,400 = 24,400 (the LM3 example in yen).
    assert impact.retained_total(10_000, 0.8, rounds=3) == pytest.approx(24_400)
    assert impact.retained_total(10_000, 0.8, rounds=1) == pytest.approx(10_000)


def test_leaky_bucket_infinite_sum_is_amount_over_leak() -> None:
    # 10,000 / (1 − 0.8) = 50,000.
    assert impact.retained_total(10_000, 0.8) == pytest.approx(50_000)


@pytest.mark.parametrize("retention", [0.0, 0.1, 0.5, 0.8, 0.95])
def test_leaky_bucket_with_many_rounds_approaches_the_infinite_sum(retention: float) -> None:
    infinite = impact.retained_total(1_000_000, retention)
    totals = [impact.retained_total(1_000_000, retention, rounds=n) for n in (1, 5, 50, 1000)]
    assert totals == sorted(totals)
    assert all(t <= infinite + 1e-6 for t in totals)
    assert totals[-1] == pytest.approx(infinite, rel=1e-9)


def test_leaky_bucket_with_full_retention_counts_every_round() -> None:
    assert impact.retained_total(500, 1.0, rounds=4) == 2000


def test_keynesian_multiplier_of_the_textbook_example() -> None:
    # Local consumption propensity 0.8 × local share 0.25 = 0.2 → k = 1/(1 − 0.2) = 1.25,
    # so a $32m injection yields $40m (Armstrong & Taylor, Regional Economics and Policy, ch. 2).
    k = impact.keynesian_multiplier(0.8, 0.25)
    assert k == pytest.approx(1.25)
    assert 32e6 * k == pytest.approx(40e6)


def test_keynesian_multiplier_with_tax() -> None:
    # 0.9 × 0.5 × (1 − 0.2) = 0.36 → 1 / 0.64 = 1.5625.
    assert impact.keynesian_multiplier(0.9, 0.5, 0.2) == pytest.approx(1.5625)


def test_vectorised_forms_agree_with_scalar_forms() -> None:
    rng = np.random.default_rng(7)
    n = 200
    r1 = rng.uniform(1, 1e6, n)
    r2 = r1 * rng.uniform(0, 1, n)
    r3 = r2 * rng.uniform(0, 1, n)
    ret = rng.uniform(0, 0.99, n)
    rounds = rng.integers(1, 20, n)
    mpc, share, tax = rng.uniform(0, 1, n), rng.uniform(0, 1, n), rng.uniform(0, 0.5, n)
    np.testing.assert_allclose(impact.lm3_vec(r1, r2, r3), [impact.lm3(*t) for t in zip(r1, r2, r3, strict=True)])
    np.testing.assert_allclose(
        impact.retained_total_vec(r1, ret), [impact.retained_total(a, r) for a, r in zip(r1, ret, strict=True)]
    )
    np.testing.assert_allclose(
        impact.retained_total_vec(r1, ret, rounds),
        [impact.retained_total(a, r, int(k)) for a, r, k in zip(r1, ret, rounds, strict=True)],
    )
    np.testing.assert_allclose(
        impact.keynesian_multiplier_vec(mpc, share, tax),
        [impact.keynesian_multiplier(*t) for t in zip(mpc, share, tax, strict=True)],
    )


@pytest.mark.parametrize(
    ("call", "field", "code"),
    [
        (lambda: impact.lm3(0, 0, 0), "r1", "impact.not_positive"),
        (lambda: impact.lm3(10, -1, 0), "r2", "impact.negative_money"),
        (lambda: impact.lm3(10, 11, 0), "r2", "impact.round_increases"),
        (lambda: impact.lm3(10, 8, 9), "r3", "impact.round_increases"),
        (lambda: impact.lm3(10, float("nan"), 0), "r2", "impact.not_finite"),
        (lambda: impact.lm3("10", 8, 0), "r1", "impact.wrong_type"),
        (lambda: impact.lm3(True, 0, 0), "r1", "impact.wrong_type"),
        (lambda: impact.lm3_vec([10, 10], [11, 1], [0, 0]), "r2", "impact.round_increases"),
        (lambda: impact.lm3_vec([10, 10], [1, 1, 1], [0, 0]), "r2", "impact.shape_mismatch"),
        (lambda: impact.lm3_rounds(100, 0.7, 0.5, 0.5, 0.5), "local_wage_share", "impact.shares_exceed_one"),
        (lambda: impact.lm3_from_shares(1.2, 0, 0, 0), "local_supplier_share", "impact.share_out_of_range"),
        (lambda: impact.retained_total(-1, 0.5), "amount", "impact.negative_money"),
        (lambda: impact.retained_total(100, 1.5), "retention", "impact.share_out_of_range"),
        (lambda: impact.retained_total(100, 1.0), "retention", "impact.non_convergent"),
        (lambda: impact.retained_total(100, 0.5, rounds=0), "rounds", "impact.out_of_range"),
        (lambda: impact.retained_total(100, 0.5, rounds=2.5), "rounds", "impact.wrong_type"),
        (lambda: impact.retained_total_vec([100], [0.5], [0]), "rounds", "impact.out_of_range"),
        (lambda: impact.keynesian_multiplier(1.0, 1.0), "mpc", "impact.non_convergent"),
        (lambda: impact.keynesian_multiplier(-0.1, 0.5), "mpc", "impact.share_out_of_range"),
        (lambda: impact.keynesian_multiplier(0.8, 0.5, 2), "tax_rate", "impact.share_out_of_range"),
        (lambda: impact.keynesian_multiplier_vec([0.5, 1.0], [0.5, 1.0]), "mpc", "impact.non_convergent"),
    ],
)
def test_impossible_multiplier_inputs_raise_one_named_error(call: Any, field: str, code: str) -> None:
    with pytest.raises(impact.ImpactInputError) as info:
        call()
    assert (info.value.field, info.value.code) == (field, code)
    assert info.value.message_ja
    assert info.value.message_en
    assert field in info.value.message_en
