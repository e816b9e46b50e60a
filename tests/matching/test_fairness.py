from __future__ import annotations

import numpy as np

import matching


def test_fair_rerank_keeps_every_prefix_at_its_floor() -> None:
    rng = np.random.default_rng(1)
    groups = rng.integers(0, 4, 200)
    for _ in range(50):
        ranked = rng.permutation(200)[:40]
        shares = np.bincount(groups[ranked], minlength=4) / 40
        out = matching.fair_rerank(ranked, groups, shares, 10)
        assert len(set(out.tolist())) == 10
        assert set(out.tolist()) <= set(ranked.tolist())
        for pos in range(1, 11):
            counts = np.bincount(groups[out[:pos]], minlength=4)
            assert (counts >= np.floor(shares * pos + 1e-9)).all()


def test_fair_rerank_changes_nothing_when_floors_already_hold() -> None:
    groups = np.array([0, 1, 0, 1, 0, 1])
    ranked = np.arange(6)
    assert matching.fair_rerank(ranked, groups, np.array([0.5, 0.5]), 4).tolist() == [0, 1, 2, 3]


def test_fairness_report_lifts_under_exposed_regions(
    model: matching.MatchModel, market: matching.SyntheticMarket
) -> None:
    groups, names = matching.region_groups(model)
    report = matching.fairness_report(model, groups, names, rows=np.arange(300), k=10, pool=50)
    assert len(report.exposure_before) == 8
    assert abs(sum(report.exposure_after) - 1) < 1e-9
    # The total shortfall of exposure below each region's candidate share shrinks, at a small cost.
    share = np.array(report.candidate_share)
    short_before = np.maximum(share - np.array(report.exposure_before), 0).sum()
    short_after = np.maximum(share - np.array(report.exposure_after), 0).sum()
    assert short_after < short_before
    assert 0 <= report.ndcg_cost < 0.2
    dg, dn = matching.depopulating_groups(model, market.depopulating_municipalities)
    assert dn == ["other", "depopulating"]
    assert 0 < dg.mean() < 1
