"""Offline evaluation on a temporal split, with baselines in the same run.

Events before ``split_at`` are the past (features, and what is excluded as already
seen); bookmark/interest/commit events at or after it are the relevant items::

    table = evaluate(investors, projects, events, split_at=t, rankers={"learned": model,
                     "content cosine": content}, truth=market.truth)
    print(format_table(table))

Rankers must have been fitted and refreshed on the same investor and project lists
with the events before ``split_at`` only. A plain callable ``rows -> scores`` (rows of
investors × all projects) is accepted too, which is how peer libraries are compared.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

import msgspec
import numpy as np
from scipy import sparse

from ._constraints import InvestorConstraints, ProjectConstraints, eligible_mask
from ._features import KIND_GAIN, KIND_WEIGHT, encode_events
from ._geo import BLOCKS, PREFECTURE_BLOCK
from ._model import Ranker
from ._records import EventRecord, InvestorRecord, ProjectRecord
from ._synthetic._truth import GroundTruth
from ._topk import top_k_rows

Scorer = Callable[[np.ndarray], np.ndarray]


class EvaluationRow(msgspec.Struct, frozen=True):
    """Metrics of one ranker; ``true_ndcg`` only on synthetic markets (else ``None``)."""

    ranker: str
    ndcg: float
    recall: float
    map: float
    coverage: float
    true_ndcg: float | None
    cold_project_recall: float
    cold_investor_ndcg: float
    region_recall: dict[str, float]


class EvaluationTable(msgspec.Struct, frozen=True):
    k: int
    split_at: str
    n_test_investors: int
    n_test_pairs: int
    n_cold_investors: int
    n_cold_projects: int
    rows: list[EvaluationRow]


def _dcg(gains: np.ndarray) -> np.ndarray:
    discounts = 1.0 / np.log2(np.arange(2, gains.shape[1] + 2))
    return np.asarray(gains @ discounts)


def ndcg_at_k(top: np.ndarray, gains: np.ndarray, allowed: np.ndarray, k: int) -> np.ndarray:
    """Per-row NDCG@k of ranked indices ``top`` against dense ``gains`` over ``allowed`` items."""
    g = np.where(top >= 0, np.take_along_axis(gains, np.maximum(top, 0), axis=1), 0.0)
    ideal = -np.sort(-np.where(allowed, gains, 0.0), axis=1)[:, :k]
    idcg = _dcg(ideal)
    return np.where(idcg > 0, _dcg(g) / np.maximum(idcg, 1e-12), 0.0)


def _ap_recall(top: np.ndarray, rel: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    hit = np.where(top >= 0, np.take_along_axis(rel, np.maximum(top, 0), axis=1), False)
    n_rel = rel.sum(axis=1)
    prec = np.cumsum(hit, axis=1) / np.arange(1, k + 1)
    ap = (prec * hit).sum(axis=1) / np.maximum(np.minimum(n_rel, k), 1)
    return ap, hit.sum(axis=1) / np.maximum(n_rel, 1)


def popularity_scorer(
    events_before: Sequence[EventRecord], investors: Sequence[InvestorRecord], projects: Sequence[ProjectRecord]
) -> Scorer:
    """Baseline: kind-weighted interaction counts before the split, the same for everyone."""
    inter = encode_events(
        events_before, {i.id: r for r, i in enumerate(investors)}, {p.id: c for c, p in enumerate(projects)}
    )
    pop = np.bincount(inter.proj, weights=KIND_WEIGHT[inter.kind], minlength=len(projects)).astype(np.float32)
    return lambda rows: np.tile(pop, (len(rows), 1))


def random_scorer(n_projects: int, seed: int = 0) -> Scorer:
    rng = np.random.default_rng(seed)
    return lambda rows: rng.random((len(rows), n_projects)).astype(np.float32)


def evaluate(
    investors: Sequence[InvestorRecord],
    projects: Sequence[ProjectRecord],
    events: Sequence[EventRecord],
    *,
    split_at: datetime,
    rankers: Mapping[str, Ranker | Scorer],
    truth: GroundTruth | None = None,
    k: int = 10,
    max_investors: int = 2_000,
    chunk: int = 512,
    seed: int = 0,
) -> EvaluationTable:
    """Score every ranker on the same held-out investors; see the module docstring."""
    inv_index = {inv.id: i for i, inv in enumerate(investors)}
    proj_index = {p.id: j for j, p in enumerate(projects)}
    inter = encode_events(events, inv_index, proj_index)
    t = split_at.timestamp()
    past, future = inter.before(t), inter.since(t)
    n_i, n_p = len(investors), len(projects)
    seen = sparse.csr_matrix((np.ones(len(past), bool), (past.inv, past.proj)), shape=(n_i, n_p), dtype=bool)
    pos = KIND_GAIN[future.kind] > 0
    # The deepest funnel step per pair is its gain (summing duplicates would overstate it).
    gain = _max_gain(future.inv[pos], future.proj[pos], KIND_GAIN[future.kind][pos], n_i, n_p)
    icons, pcons = InvestorConstraints.build(investors), ProjectConstraints.build(projects)
    cold_project = np.bincount(past.proj, minlength=n_p) == 0
    cold_investor = np.bincount(past.inv, minlength=n_i) == 0
    block = PREFECTURE_BLOCK[np.array([p.prefecture for p in projects]) - 1]

    # Test investors: anyone with a relevant, eligible, not-yet-seen project after the split.
    rows_all = np.unique(gain.nonzero()[0]).astype(np.int64)
    rng = np.random.default_rng(seed)
    if len(rows_all) > max_investors:
        rows_all = np.sort(rng.choice(rows_all, max_investors, replace=False))
    results: dict[str, dict[str, list[np.ndarray]]] = {name: {} for name in rankers}
    n_pairs = 0
    recommended: dict[str, set[int]] = {name: set() for name in rankers}
    for s in range(0, len(rows_all), chunk):
        rows = rows_all[s : s + chunk]
        allowed = eligible_mask(icons, rows, pcons) & ~seen[rows].toarray()
        g = gain[rows].toarray() * allowed
        keep = g.sum(axis=1) > 0
        rows, allowed, g = rows[keep], allowed[keep], g[keep]
        n_pairs += int((g > 0).sum())
        rel = g > 0
        true_gain = truth.relevance(rows) if truth is not None else None
        cold_allowed = allowed & cold_project[None, :]
        cold_rel = rel & cold_allowed
        for name, ranker in rankers.items():
            scores = ranker.score_rows(rows) if isinstance(ranker, Ranker) else ranker(rows)
            scores = np.where(allowed, scores, -np.inf).astype(np.float32)
            top, _ = top_k_rows(scores, k)
            recommended[name].update(top[top >= 0].ravel().tolist())
            ap, rec = _ap_recall(top, rel, k)
            r = results[name]
            r.setdefault("ndcg", []).append(ndcg_at_k(top, g, allowed, k))
            r.setdefault("recall", []).append(rec)
            r.setdefault("map", []).append(ap)
            r.setdefault("cold_inv", []).append(ndcg_at_k(top, g, allowed, k)[cold_investor[rows]])
            if true_gain is not None:
                r.setdefault("true", []).append(ndcg_at_k(top, true_gain, allowed, k))
            hit = np.zeros_like(rel)
            np.put_along_axis(hit, np.maximum(top, 0), top >= 0, axis=1)
            hit &= rel
            for b in range(len(BLOCKS)):
                in_b = block == b
                r.setdefault(f"hit{b}", []).append(np.array([hit[:, in_b].sum()]))
                r.setdefault(f"rel{b}", []).append(np.array([rel[:, in_b].sum()]))
            has_cold = cold_rel.sum(axis=1) > 0
            if has_cold.any():
                ctop, _ = top_k_rows(np.where(cold_allowed[has_cold], scores[has_cold], -np.inf), k)
                r.setdefault("cold_proj", []).append(_ap_recall(ctop, cold_rel[has_cold], k)[1])
    listed = int(pcons.listed.sum())
    rows_out = []
    for name in rankers:
        r = results[name]

        def mean(key: str, r: dict[str, list[np.ndarray]] = r) -> float:
            vals = np.concatenate(r.get(key, [np.zeros(0)]))
            return float(vals.mean()) if len(vals) else float("nan")

        region = {}
        for b, label in enumerate(BLOCKS):
            n_rel = float(np.concatenate(r.get(f"rel{b}", [np.zeros(1)])).sum())
            if n_rel:
                region[label] = float(np.concatenate(r[f"hit{b}"]).sum()) / n_rel
        rows_out.append(
            EvaluationRow(
                ranker=name,
                ndcg=mean("ndcg"),
                recall=mean("recall"),
                map=mean("map"),
                coverage=len(recommended[name]) / max(listed, 1),
                true_ndcg=mean("true") if truth is not None else None,
                cold_project_recall=mean("cold_proj"),
                cold_investor_ndcg=mean("cold_inv"),
                region_recall=region,
            )
        )
    n_eval = sum(len(x) for x in next(iter(results.values())).get("ndcg", [])) if results else 0
    return EvaluationTable(
        k=k,
        split_at=split_at.isoformat(),
        n_test_investors=n_eval,
        n_test_pairs=n_pairs,
        n_cold_investors=int(cold_investor[rows_all].sum()),
        n_cold_projects=int((cold_project & pcons.listed).sum()),
        rows=rows_out,
    )


def _max_gain(ii: np.ndarray, jj: np.ndarray, g: np.ndarray, n_i: int, n_p: int) -> sparse.csr_matrix:
    key = ii * n_p + jj
    uniq, inv = np.unique(key, return_inverse=True)
    best = np.zeros(len(uniq), np.float32)
    np.maximum.at(best, inv, g)
    return sparse.csr_matrix((best, (uniq // n_p, uniq % n_p)), shape=(n_i, n_p))


def format_table(table: EvaluationTable) -> str:
    """The table as fixed-width text, one ranker per line, then recall by region."""
    k = table.k
    head = (
        f"{'ranker':<22} {'NDCG@' + str(k):>8} {'recall@' + str(k):>9} {'MAP@' + str(k):>7} "
        f"{'coverage':>8} {'true-NDCG':>9} {'cold-proj R':>11} {'cold-inv N':>10}"
    )
    lines = [
        f"split {table.split_at[:10]}: {table.n_test_investors} test investors, {table.n_test_pairs} "
        f"relevant pairs, {table.n_cold_investors} cold investors, {table.n_cold_projects} cold projects",
        head,
        "-" * len(head),
    ]
    for r in table.rows:
        tn = f"{r.true_ndcg:9.4f}" if r.true_ndcg is not None else f"{'-':>9}"
        lines.append(
            f"{r.ranker:<22} {r.ndcg:8.4f} {r.recall:9.4f} {r.map:7.4f} {r.coverage:8.3f} {tn} "
            f"{r.cold_project_recall:11.4f} {r.cold_investor_ndcg:10.4f}"
        )
    blocks = [b for b in BLOCKS if any(b in r.region_recall for r in table.rows)]
    if blocks:
        lines.append(f"recall@{k} by project region: " + " ".join(f"{b:>6}" for b in blocks))
        for r in table.rows:
            lines.append(
                f"  {r.ranker:<22} " + " ".join(f"{r.region_recall.get(b, float('nan')):6.3f}" for b in blocks)
            )
    return "\n".join(lines)
