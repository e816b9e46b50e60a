from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest

import matching
from matching._constraints import InvestorConstraints, ProjectConstraints
from matching._features import KIND_GAIN, FeatureSpace, encode_events


def test_model_beats_random_and_content_cosine_on_true_utility(
    market: matching.SyntheticMarket,
    split_at,
    model: matching.MatchModel,
    content: matching.ContentRanker,
) -> None:
    table = matching.evaluate(
        market.investors,
        market.projects,
        market.events,
        split_at=split_at,
        truth=market.truth,
        rankers={
            "learned": model,
            "content": content,
            "random": matching._evaluate.random_scorer(len(market.projects)),
        },
    )
    by = {r.ranker: r for r in table.rows}
    assert by["learned"].true_ndcg > 1.5 * by["content"].true_ndcg
    assert by["learned"].true_ndcg > 2 * by["random"].true_ndcg
    assert by["learned"].ndcg > by["content"].ndcg > by["random"].ndcg
    assert "learned" in matching.format_table(table)


def test_training_windows_take_features_before_and_labels_after_each_cut(market: matching.SyntheticMarket) -> None:
    inv_index = {i.id: r for r, i in enumerate(market.investors)}
    proj_index = {p.id: c for c, p in enumerate(market.projects)}
    inter = encode_events(market.events, inv_index, proj_index)
    m = matching.MatchModel(n_windows=2)
    cuts = m._cuts(inter.at)
    assert cuts[0][0] < cuts[0][1] == cuts[1][0] < cuts[1][1]
    t_cut, t_end = cuts[0]
    before, labels = inter.before(t_cut), inter.since(t_cut).before(t_end)
    assert before.at.max() < t_cut <= labels.at.min()
    # Features computed from the past are the same whatever happens after the cut.
    space = FeatureSpace(8, 4).fit(market.investors, market.projects)
    ids = [p.id for p in market.projects]
    pg_past = space.project_groups(market.projects, before)
    pg_all = space.project_groups(market.projects, inter.before(t_cut))
    for g in pg_past:
        np.testing.assert_array_equal(pg_past[g], pg_all[g])
    ag = space.investor_groups(market.investors, before, pg_past, ids)
    assert ag["hist_sector"].sum() > 0
    # Every positive label has an event in the label window and was not already backed before it.
    p_created = np.array([p.created_at.timestamp() for p in market.projects])
    ii, jj, y, _ = m._label_pairs(
        before,
        labels,
        InvestorConstraints.build(market.investors),
        ProjectConstraints.build(market.projects),
        p_created,
        t_end,
        np.random.default_rng(0),
    )
    n_p = len(market.projects)
    label_pos = set((labels.inv * n_p + labels.proj)[KIND_GAIN[labels.kind] > 0].tolist())
    past_pos = set((before.inv * n_p + before.proj)[KIND_GAIN[before.kind] > 0].tolist())
    keys = (ii * n_p + jj)[y > 0]
    assert len(keys) > 0
    assert set(keys.tolist()) <= label_pos
    assert not set(keys.tolist()) & past_pos


def test_too_few_events_raise_not_enough_data(market: matching.SyntheticMarket) -> None:
    with pytest.raises(matching.NotEnoughData) as err:
        matching.MatchModel().fit(market.investors[:20], market.projects[:20], market.events[:10])
    assert err.value.code == "matching.not_enough_data"
    assert "events" in err.value.counts
    assert err.value.counts["positive_events"] < 20
    assert "ContentRanker" in str(err.value)
    with pytest.raises(matching.NotEnoughData):
        matching.train(market.investors[:20], market.projects[:20], [])


def test_train_reports_metrics_and_refits_with_progress(market: matching.SyntheticMarket) -> None:
    small = matching.synthetic_market(n_investors=500, n_projects=250, seed=3)
    seen: list[float] = []
    result = matching.train(
        small.investors, small.projects, small.events, truth=small.truth, progress=lambda _msg, frac: seen.append(frac)
    )
    assert seen == sorted(seen)
    assert seen[-1] == 1.0
    assert "content cosine" in result.report
    assert "popularity" in result.report
    assert result.model.metrics_["rows"][0]["ranker"] == "learned"
    last = max(e.at for e in small.events)
    assert result.model.training_["last_event"] == last.isoformat()


def test_synthetic_market_is_deterministic_and_funnel_ordered() -> None:
    a = matching.synthetic_market(n_investors=150, n_projects=80, seed=4)
    b = matching.synthetic_market(n_investors=150, n_projects=80, seed=4)
    assert a.events == b.events
    assert a.investors == b.investors
    assert a.projects == b.projects
    first: dict[tuple[str, str, str], object] = {}
    for e in a.events:
        first.setdefault((e.investor_id, e.project_id, e.kind), e.at)
    for (i, p, kind), at in first.items():
        if kind in {"bookmark", "interest", "commit"}:
            assert first[(i, p, "view")] <= at  # type: ignore[operator]
    created = {p.id: p.created_at for p in a.projects}
    assert all(e.at >= created[e.project_id] for e in a.events)
    assert a.truth.relevance(np.arange(3)).shape == (3, 80)


def test_simulate_events_gives_a_demo_history_for_existing_records() -> None:
    m = matching.synthetic_market(n_investors=10, n_projects=30, seed=9)
    events = matching.simulate_events(m.investors, m.projects, seed=1)
    assert events
    assert {e.kind for e in events} >= {"view"}
    assert events == sorted(events, key=lambda e: e.at)
    assert max(e.at for e in events) <= max(p.created_at for p in m.projects) + timedelta(days=90)
