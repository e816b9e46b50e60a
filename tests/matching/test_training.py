from __future__ import annotations

import warnings
from datetime import datetime, timedelta

import numpy as np
import pytest

import matching
from matching._features import encode_events


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


def test_training_holds_out_each_investors_latest_pairs_and_learns_from_the_rest(
    market: matching.SyntheticMarket,
) -> None:
    inv_index = {i.id: r for r, i in enumerate(market.investors)}
    proj_index = {p.id: c for c, p in enumerate(market.projects)}
    inter = encode_events(market.events, inv_index, proj_index)
    n_p = len(market.projects)
    m = matching.MatchModel(label_fraction=0.25)
    history, labels = m.split_history(inter, n_p, np.random.default_rng(0))
    assert len(history) + len(labels) == len(inter)
    # A pair is wholly history or wholly label, so behaviour never leaks into its own label.
    h_pairs = set((history.inv * n_p + history.proj).tolist())
    l_pairs = set((labels.inv * n_p + labels.proj).tolist())
    assert not h_pairs & l_pairs
    assert 0.18 < len(l_pairs) / len(h_pairs | l_pairs) < 0.32
    # Unlike one forward-in-time cut, most investors with labels also have a history to learn from.
    with_labels = np.unique(labels.inv)
    assert np.isin(with_labels, history.inv).mean() > 0.6
    # Each investor's labels are its most recent pairs (by first contact).
    first: dict[int, float] = {}
    for i, j, t in zip(inter.inv.tolist(), inter.proj.tolist(), inter.at.tolist(), strict=True):
        first[i * n_p + j] = min(first.get(i * n_p + j, t), t)
    latest_history: dict[int, float] = {}
    for key in h_pairs:
        latest_history[key // n_p] = max(latest_history.get(key // n_p, -1.0), first[key])
    assert all(first[key] >= latest_history.get(key // n_p, -1.0) for key in l_pairs)


def test_training_converges_without_warnings(model: matching.MatchModel) -> None:
    assert model.training_["converged"] is True
    assert model.training_["solver_iterations"] < 1_000


def test_too_few_events_raise_not_enough_data(market: matching.SyntheticMarket) -> None:
    with pytest.raises(matching.NotEnoughData) as err:
        matching.MatchModel().fit(market.investors[:20], market.projects[:20], market.events[:10])
    assert err.value.code == "matching.not_enough_data"
    assert "events" in err.value.counts
    assert err.value.counts["positive_events"] < 20
    assert "ContentRanker" in str(err.value)
    with pytest.raises(matching.NotEnoughData):
        matching.train(market.investors[:20], market.projects[:20], [])


def test_train_fits_once_reports_metrics_calibrates_and_serves_every_event(market: matching.SyntheticMarket) -> None:
    small = matching.synthetic_market(n_investors=500, n_projects=250, seed=3)
    seen: list[float] = []
    messages: list[str] = []

    def progress(msg: str, frac: float) -> None:
        seen.append(frac)
        messages.append(msg)

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. a solver that did not converge
        result = matching.train(small.investors, small.projects, small.events, truth=small.truth, progress=progress)
    # One fit: the weights are learned once, on the events before the split.
    assert sum(m.startswith("fitting logistic regression") for m in messages) == 1
    split = datetime.fromisoformat(result.model.training_["fitted_before"])
    assert result.model.training_["fit_events"] == sum(e.at < split for e in small.events)
    assert result.model.training_["events"] == len(small.events)
    # ... and the served catalogue knows every event.
    assert result.model.seen_.nnz == len({(e.investor_id, e.project_id) for e in small.events})
    assert {"learned", "content cosine", "popularity"} <= {r.ranker for r in result.metrics.rows}
    assert result.calibration.check_pairs > 0
    assert result.model.training_["calibration"]["a"] == result.calibration.a
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
