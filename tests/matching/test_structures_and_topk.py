"""Structured synthetic markets, and the candidate-first exact top-k."""

from __future__ import annotations

import numpy as np
import pytest

import matching
from matching._topk import top_k_allowed


@pytest.mark.parametrize("structure", matching.STRUCTURES)
def test_every_structured_market_is_deterministic_and_has_a_truth(structure: str) -> None:
    a = matching.structured_market(structure, 120, 80, seed=5)
    b = matching.structured_market(structure, 120, 80, seed=5)
    assert a.events == b.events
    assert a.investors == b.investors
    assert {e.kind for e in a.events} >= {"view", "bookmark"}
    rel = a.truth.relevance(np.arange(4))
    assert rel.shape == (4, 80)
    assert ((rel >= 0) & (rel <= 1)).all()
    created = {p.id: p.created_at for p in a.projects}
    assert all(e.at >= created[e.project_id] for e in a.events)


def test_structures_differ_in_what_drives_utility() -> None:
    geo = matching.structured_market("geography", 200, 150, seed=1)
    # In the geography market a project near an investor's home is worth more than a far one.
    u = geo.truth.utility(np.arange(200))
    home = geo.truth.a["home"]  # type: ignore[attr-defined]
    latlng = geo.truth.a["latlng"]  # type: ignore[attr-defined]
    near = np.linalg.norm(home[:, None, :] - latlng[None, :, :], axis=2) < 0.5
    assert u[near].mean() > u[~near].mean() + 1.0
    with pytest.raises(ValueError, match="unknown structure"):
        matching.structured_market("flat", 10, 10)


def test_top_k_allowed_equals_masking_everything_ties_included() -> None:
    rng = np.random.default_rng(0)
    scores = rng.integers(0, 20, (40, 3_000)).astype(np.float32)  # many ties
    allowed = rng.random((40, 3_000)) < 0.05  # sparse: many rows fall back
    allowed[:5] = rng.random((5, 3_000)) < 0.9
    idx, val = top_k_allowed(scores, 10, lambda r, c: allowed[r, c])
    ref_idx, ref_val = matching.top_k_rows(np.where(allowed, scores, -np.inf), 10)
    np.testing.assert_array_equal(idx, ref_idx)
    np.testing.assert_array_equal(val, ref_val)


def test_fast_ranking_paths_match_brute_force(model: matching.MatchModel) -> None:
    rows = np.arange(100)
    ok = model.eligible_rows(rows) & ~model.seen_[rows].toarray()
    ref, _ = matching.top_k_rows(np.where(ok, model.score_rows(rows), -np.inf), 10)
    idx, _ = model.recommend_all(k=10)
    np.testing.assert_array_equal(idx[:100], ref)
    for r in range(0, 100, 7):
        ids, _ = model.top_projects(model.investor_ids_[r], k=10)
        assert ids == [model.project_ids_[j] for j in ref[r] if j >= 0]
