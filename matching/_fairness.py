"""Regional fairness: how exposure spreads over regions, and a re-rank with floors.

Exposure of a list is position-weighted (1/log2(rank+1), as in DCG). The re-rank keeps,
at every prefix of an investor's top-k, each group's count at least at
``floor(share × prefix length)``, where ``share`` is the group's share among that
investor's *relevant* candidates (its ``pool`` best-scored eligible projects)::

    groups, names = region_groups(model)            # or depopulating_groups(model, codes)
    report = fairness_report(model, groups, names, k=10)
    report.ndcg_before, report.ndcg_after, report.exposure_after
"""

from __future__ import annotations

from collections.abc import Callable, Collection

import msgspec
import numpy as np

from ._evaluate import ndcg_at_k
from ._geo import BLOCKS, PREFECTURE_BLOCK
from ._model import Ranker
from ._topk import top_k_rows


def region_groups(ranker: Ranker) -> tuple[np.ndarray, list[str]]:
    """Each catalogue project's regional block (index into :data:`matching.BLOCKS`)."""
    return PREFECTURE_BLOCK[ranker.p_prefecture_ - 1], list(BLOCKS)


def depopulating_groups(ranker: Ranker, depopulating: Collection[str]) -> tuple[np.ndarray, list[str]]:
    """1 for projects in a depopulating municipality (過疎地域; codes passed in), else 0."""
    codes = set(depopulating)
    return np.array([m in codes for m in ranker.p_municipality_], np.int64), ["other", "depopulating"]


def exposure_shares(top: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Position-weighted share of exposure per group, over all rows of ranked indices."""
    w = np.broadcast_to(1.0 / np.log2(np.arange(2, top.shape[1] + 2)), top.shape)
    ok = top >= 0
    totals = np.bincount(groups[top[ok]], weights=w[ok], minlength=n_groups)
    return totals / max(totals.sum(), 1e-12)


def fair_rerank(ranked: np.ndarray, groups: np.ndarray, shares: np.ndarray, k: int) -> np.ndarray:
    """Re-rank ``ranked`` (candidate indices, best first) into ``k`` items with prefix floors.

    Every prefix of length p holds at least ``floor(share × p)`` items of each group (capped
    by how many candidates the group has). The best remaining candidate is taken unless
    that would make a later floor unreachable; then the group whose floor falls due
    soonest supplies its best candidate (earliest-deadline-first, which always succeeds
    because the floors of all groups at p add up to at most p).
    """
    ranked = ranked[ranked >= 0]
    g = groups[ranked]
    n_groups = len(shares)
    avail = np.bincount(g, minlength=n_groups)
    want, k = k, min(k, len(ranked))
    floors = np.minimum(np.floor(np.outer(np.arange(k + 1), shares) + 1e-9).astype(np.int64), avail[None, :])
    taken = np.zeros(len(ranked), bool)
    counts = np.zeros(n_groups, np.int64)
    out: list[int] = []

    def feasible(c: np.ndarray, placed: int) -> bool:
        short = np.maximum(floors[placed:] - c[None, :], 0).sum(axis=1)
        return bool((short <= np.arange(k + 1 - placed)).all())

    for pos in range(1, k + 1):
        pick = int(np.flatnonzero(~taken)[0])
        trial = counts.copy()
        trial[g[pick]] += 1
        if not feasible(trial, pos):
            behind = floors[pos:] > counts[None, :]
            due = np.where(behind.any(axis=0), behind.argmax(axis=0), k + 1)
            due[avail - counts <= 0] = k + 1
            pick = int(np.flatnonzero(~taken & (g == int(np.argmin(due))))[0])
        taken[pick] = True
        counts[g[pick]] += 1
        out.append(int(ranked[pick]))
    return np.array(out + [-1] * (want - len(out)), np.int64)


class FairnessReport(msgspec.Struct, frozen=True):
    groups: list[str]
    candidate_share: list[float]
    exposure_before: list[float]
    exposure_after: list[float]
    ndcg_before: float
    ndcg_after: float

    @property
    def ndcg_cost(self) -> float:
        return self.ndcg_before - self.ndcg_after


def fairness_report(
    ranker: Ranker,
    groups: np.ndarray,
    names: list[str],
    *,
    rows: np.ndarray | None = None,
    k: int = 10,
    pool: int = 50,
    gains: Callable[[np.ndarray], np.ndarray] | None = None,
    chunk: int = 512,
) -> FairnessReport:
    """Exposure by group before and after :func:`fair_rerank`, and the NDCG@k it costs.

    ``gains(rows)`` gives the relevance of every project (e.g. held-out labels or a
    synthetic market's true relevance); without it the ranker's own sigmoid scores are
    the gains, which measures how much of its own preference order the re-rank gives up.
    """
    rows = np.arange(len(ranker.investor_ids_)) if rows is None else rows
    n_groups = len(names)
    before, after, cand, nd_b, nd_a = [], [], np.zeros(n_groups), [], []
    for s in range(0, len(rows), chunk):
        r = rows[s : s + chunk]
        scores = ranker.score_rows(r)
        allowed = ranker.eligible_rows(r) & ~ranker.seen_[r].toarray()
        scores = np.where(allowed, scores, -np.inf)
        top_pool, _ = top_k_rows(scores, pool)
        re = np.empty((len(r), k), np.int64)
        for q in range(len(r)):
            cp = top_pool[q][top_pool[q] >= 0]
            share = np.bincount(groups[cp], minlength=n_groups) / max(len(cp), 1)
            cand += share
            re[q] = fair_rerank(top_pool[q], groups, share, k)
        before.append(top_pool[:, :k])
        after.append(re)
        g = gains(r) if gains is not None else 1.0 / (1.0 + np.exp(-np.where(allowed, scores, 0.0)))
        nd_b.append(ndcg_at_k(top_pool[:, :k], g, allowed, k))
        nd_a.append(ndcg_at_k(re, g, allowed, k))
    tb, ta = np.vstack(before), np.vstack(after)
    return FairnessReport(
        groups=names,
        candidate_share=(cand / max(len(rows), 1)).tolist(),
        exposure_before=exposure_shares(tb, groups, n_groups).tolist(),
        exposure_after=exposure_shares(ta, groups, n_groups).tolist(),
        ndcg_before=float(np.concatenate(nd_b).mean()),
        ndcg_after=float(np.concatenate(nd_a).mean()),
    )
