"""A readable 0–100 match score: the raw score mapped to a probability of interest.

The raw score is a margin in logit units and is not a probability (training samples its
negatives). :func:`calibrate` fits ``P(interest) = σ(a · score + b)`` (Platt scaling) on a
held-out period: for investors active after ``split_at``, each of its top ``candidates``
eligible, unseen projects is a pair, labelled 1 when the investor showed interest
(bookmark, interest, commit) after the split. It fits on half of those investors and
measures calibration on the other half (expected calibration error over ten bins, Brier
score), then stores ``a``, ``b`` and the figures in ``ranker.training_["calibration"]``,
which the artifact keeps::

    report = calibrate(model, investors, projects, events, split_at=t)
    report.ece, report.bins          # measured on investors the fit did not see
    model.rank_projects("inv-1")[0].match_score     # 0–100
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import msgspec
import numpy as np
from scipy import sparse

from ._constraints import InvestorConstraints, ProjectConstraints, eligible_mask
from ._features import KIND_GAIN, encode_events
from ._model import Ranker
from ._model._logistic import fit_logistic
from ._records import EventRecord, InvestorRecord, ProjectRecord
from ._topk import top_k_rows


class CalibrationBin(msgspec.Struct, frozen=True):
    predicted: float
    observed: float
    pairs: int


class CalibrationReport(msgspec.Struct, frozen=True):
    """``a``, ``b`` of ``σ(a·score + b)``; ``ece`` and ``brier`` on the held-out half."""

    a: float
    b: float
    ece: float
    brier: float
    base_rate: float
    fit_pairs: int
    check_pairs: int
    bins: list[CalibrationBin]


def calibrate(
    ranker: Ranker,
    investors: Sequence[InvestorRecord],
    projects: Sequence[ProjectRecord],
    events: Sequence[EventRecord],
    *,
    split_at: datetime,
    candidates: int = 50,
    max_investors: int = 2_000,
    seed: int = 0,
) -> CalibrationReport:
    """Fit and measure the match-score calibration of a ranker refreshed on events before
    ``split_at`` (see the module docstring); the ranker keeps the result."""
    inv_index = {inv.id: i for i, inv in enumerate(investors)}
    proj_index = {p.id: j for j, p in enumerate(projects)}
    inter = encode_events(events, inv_index, proj_index)
    t = split_at.timestamp()
    past, future = inter.before(t), inter.since(t)
    n_i, n_p = len(investors), len(projects)
    seen = sparse.csr_matrix((np.ones(len(past), bool), (past.inv, past.proj)), shape=(n_i, n_p), dtype=bool)
    pos = KIND_GAIN[future.kind] > 0
    rel = sparse.csr_matrix(
        (np.ones(int(pos.sum()), bool), (future.inv[pos], future.proj[pos])), shape=(n_i, n_p), dtype=bool
    )
    rows = np.unique(future.inv)
    rng = np.random.default_rng(seed)
    if len(rows) > max_investors:
        rows = np.sort(rng.choice(rows, max_investors, replace=False))
    icons, pcons = InvestorConstraints.build(investors), ProjectConstraints.build(projects)
    scores, labels, half = [], [], []
    for s in range(0, len(rows), 256):
        r = rows[s : s + 256]
        sc = np.where(eligible_mask(icons, r, pcons) & ~seen[r].toarray(), ranker.score_rows(r), -np.inf)
        top, val = top_k_rows(sc.astype(np.float32), candidates)
        ok = top >= 0
        scores.append(val[ok])
        labels.append(np.take_along_axis(rel[r].toarray(), np.maximum(top, 0), axis=1)[ok])
        half.append(np.broadcast_to((r % 2 == 0)[:, None], top.shape)[ok])
    x = np.concatenate(scores).astype(np.float32) if scores else np.zeros(0, np.float32)
    y = np.concatenate(labels).astype(np.float64) if labels else np.zeros(0)
    fit_half = np.concatenate(half) if half else np.zeros(0, bool)
    a, b = 1.0, 0.0
    if y[fit_half].sum() > 0 and (1 - y[fit_half]).sum() > 0:
        coef, b, _ = fit_logistic(x[fit_half, None], y[fit_half], np.ones(int(fit_half.sum())), C=1.0)
        a = float(coef[0])
    p = 1.0 / (1.0 + np.exp(-(a * x[~fit_half].astype(np.float64) + b)))
    yc = y[~fit_half]
    bins, ece = [], 0.0
    edges = np.quantile(p, np.linspace(0, 1, 11)) if len(p) else np.zeros(11)
    which = np.clip(np.searchsorted(edges[1:-1], p, side="right"), 0, 9)
    for k in range(10):
        m = which == k
        if m.any():
            bins.append(CalibrationBin(float(p[m].mean()), float(yc[m].mean()), int(m.sum())))
            ece += float(m.mean() * abs(p[m].mean() - yc[m].mean()))
    report = CalibrationReport(
        a=a,
        b=float(b),
        ece=ece,
        brier=float(np.mean((p - yc) ** 2)) if len(p) else float("nan"),
        base_rate=float(yc.mean()) if len(yc) else float("nan"),
        fit_pairs=int(fit_half.sum()),
        check_pairs=int((~fit_half).sum()),
        bins=bins,
    )
    training = dict(getattr(ranker, "training_", {}) or {})
    training["calibration"] = msgspec.to_builtins(report)
    ranker.training_ = training
    return report
