"""The learned matching model: logistic regression over field-by-field cross features.

Training walks forward in time. For each cut T, features (behaviour, collaborative
factors, popularity) use only events before T and labels only events in the window
after T, so behaviour never leaks into its own labels::

    model = MatchModel().fit(investors, projects, events)
    model.rank_projects("inv-1", k=10)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

import numpy as np
from sklearn.linear_model import LogisticRegression

from .._constraints import InvestorConstraints, ProjectConstraints, eligible_pairs
from .._errors import NotEnoughData
from .._features import (
    DECLINE,
    INVESTOR_GROUPS,
    KIND_GAIN,
    PROJECT_GROUPS,
    FeatureSpace,
    Interactions,
    encode_events,
)
from .._records import EventRecord, InvestorRecord, ProjectRecord
from ._blocks import COLD_PRIORS, EXPLORE, LEARNED_BLOCKS, Layout, n_weights, pair_features, unpack
from ._ranker import Ranker

Progress = Callable[[str, float], None]
MIN_COUNTS = {"events": 50, "positive_events": 20, "investors_with_positives": 5, "label_pairs": 20}


def _iso(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).isoformat()


class MatchModel(Ranker):
    """Learned ranker. Hyper-parameters are constructor arguments; learned state ends in ``_``.

    ``exploration_bonus`` (logit units) lifts projects nobody has viewed yet, shrinking as
    views accrue (bonus / (1 + views)). ``cold_start_weight`` adds that much to a new
    investor's score for its stated sectors and regions (shares of them, so at most that).
    ``n_windows`` forward-in-time training windows each take ``label_fraction`` of the
    event history as labels.
    """

    ranker_kind = "learned"

    def __init__(
        self,
        *,
        n_text_components: int = 32,
        n_cf_components: int = 32,
        C: float = 0.5,  # noqa: N803 - scikit-learn's name for inverse regularisation
        n_windows: int = 2,
        label_fraction: float = 0.2,
        negatives_per_positive: float = 4.0,
        random_negative_weight: float = 2.0,
        max_pairs: int = 150_000,
        exploration_bonus: float = 0.5,
        cold_start_weight: float = 2.0,
        random_state: int = 0,
    ) -> None:
        self.n_text_components = n_text_components
        self.n_cf_components = n_cf_components
        self.C = C
        self.n_windows = n_windows
        self.label_fraction = label_fraction
        self.negatives_per_positive = negatives_per_positive
        self.random_negative_weight = random_negative_weight
        self.max_pairs = max_pairs
        self.exploration_bonus = exploration_bonus
        self.cold_start_weight = cold_start_weight
        self.random_state = random_state

    def fit(
        self,
        investors: Iterable[InvestorRecord],
        projects: Iterable[ProjectRecord],
        events: Iterable[EventRecord],
        *,
        progress: Progress | None = None,
    ) -> MatchModel:
        """Learn from every event given (hold out test events yourself, or use :func:`train`).

        Raises :class:`NotEnoughData` when there are too few interactions to learn from.
        """
        say = progress or (lambda _msg, _frac: None)
        investors, projects, events = list(investors), list(projects), list(events)
        inv_index = {inv.id: i for i, inv in enumerate(investors)}
        proj_index = {p.id: j for j, p in enumerate(projects)}
        project_ids = [p.id for p in projects]
        inter = encode_events(events, inv_index, proj_index)
        self._check_enough(inter)
        rng = np.random.default_rng(self.random_state)
        say("fitting text and vocabularies", 0.05)
        space = FeatureSpace(self.n_text_components, self.n_cf_components, random_state=self.random_state)
        space.fit(investors, projects)
        dims = space.dims()
        icons, pcons = InvestorConstraints.build(investors), ProjectConstraints.build(projects)
        p_created = np.array([p.created_at.timestamp() for p in projects])
        cuts = self._cuts(inter.at)
        parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        for w, (t_cut, t_end) in enumerate(cuts):
            say(f"building window {w + 1}/{len(cuts)} (features before {_iso(t_cut)[:10]})", 0.1 + 0.5 * w / len(cuts))
            before = inter.before(t_cut)
            labels = inter.since(t_cut).before(t_end)
            space.fit_cf(before, project_ids, len(investors))
            pg = space.project_groups(projects, before)
            ag = space.investor_groups(investors, before, pg, project_ids)
            ii, jj, y, wt = self._label_pairs(before, labels, icons, pcons, p_created, t_end, rng)
            parts.append((pair_features(ag, pg, ii, jj, LEARNED_BLOCKS, dims), y, wt))
        x = np.vstack([p[0] for p in parts])
        y = np.concatenate([p[1] for p in parts])
        wt = np.concatenate([p[2] for p in parts])
        del parts
        if len(y) > self.max_pairs:
            keep = rng.choice(len(y), self.max_pairs, replace=False)
            x, y, wt = x[keep], y[keep], wt[keep]
        if y.sum() < MIN_COUNTS["label_pairs"] or (1 - y).sum() < MIN_COUNTS["label_pairs"]:
            raise NotEnoughData(
                {"label_positive_pairs": int(y.sum()), "label_negative_pairs": int((1 - y).sum())},
                {"label_positive_pairs": MIN_COUNTS["label_pairs"], "label_negative_pairs": MIN_COUNTS["label_pairs"]},
            )
        say(f"fitting logistic regression on {len(y):,} pairs × {x.shape[1]:,} features", 0.65)
        mean = x.mean(axis=0, dtype=np.float64).astype(np.float32)
        # Features are already on unit scales (one-hots, shares, unit text vectors); dividing by
        # each column's std would let rare crosses (e.g. a cold investor's sector) escape the
        # L2 penalty and blow up, so only centre them.
        std = np.ones_like(mean)
        x -= mean
        x /= std
        lr = LogisticRegression(C=self.C, max_iter=400, tol=1e-4)
        lr.fit(x, y, sample_weight=wt)
        coef = lr.coef_[0] / std
        self.weights_ = unpack(coef, LEARNED_BLOCKS, dims)
        self.weights_[EXPLORE.name] = np.array([self.exploration_bonus])
        self.bias_ = float(lr.intercept_[0] - coef @ mean)
        for b in COLD_PRIORS:
            self.weights_[b.name] = np.array([self.cold_start_weight])
        self.blocks_ = (*LEARNED_BLOCKS, *COLD_PRIORS, EXPLORE)
        self.n_features_ = int(sum(n_weights(b, dims) for b in LEARNED_BLOCKS))
        say("refitting behaviour features on all events", 0.9)
        space.fit_cf(inter, project_ids, len(investors))
        self.space_ = space
        self.layout_ = Layout(PROJECT_GROUPS, dims)
        self.inv_layout_ = Layout(INVESTOR_GROUPS, dims)
        self.training_ = {
            "events": len(inter),
            "investors": len(investors),
            "projects": len(projects),
            "pairs": len(y),
            "positive_pairs": int(y.sum()),
            "features": self.n_features_,
            "first_event": _iso(float(inter.at.min())),
            "last_event": _iso(float(inter.at.max())),
            "cuts": [_iso(c) for c, _ in cuts],
        }
        self.refresh(investors, projects, events)
        say("done", 1.0)
        return self

    def _check_enough(self, inter: Interactions) -> None:
        pos = KIND_GAIN[inter.kind] > 0
        counts = {
            "events": len(inter),
            "positive_events": int(pos.sum()),
            "investors_with_positives": len(np.unique(inter.inv[pos])),
        }
        required = {k: MIN_COUNTS[k] for k in counts}
        if any(counts[k] < required[k] for k in counts):
            raise NotEnoughData(counts, required)

    def _cuts(self, at: np.ndarray) -> list[tuple[float, float]]:
        # Cuts at event-count quantiles, so each label window holds a similar number of events.
        qs = [1.0 - self.label_fraction * (self.n_windows - w) for w in range(self.n_windows + 1)]
        edges = np.quantile(at, np.clip(qs, 0.05, 1.0))
        edges[-1] = at.max() + 1.0
        return [(float(edges[w]), float(edges[w + 1])) for w in range(self.n_windows)]

    def _label_pairs(
        self,
        before: Interactions,
        labels: Interactions,
        icons: InvestorConstraints,
        pcons: ProjectConstraints,
        p_created: np.ndarray,
        t_end: float,
        rng: np.random.Generator,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        n_p = len(p_created)
        known = np.unique(before.inv[KIND_GAIN[before.kind] > 0] * n_p + before.proj[KIND_GAIN[before.kind] > 0])
        key = labels.inv * n_p + labels.proj
        fresh = ~np.isin(key, known)  # a pair already backed before T teaches nothing new
        key, kind = key[fresh], labels.kind[fresh]
        pairs, inverse = np.unique(key, return_inverse=True)
        gain = np.zeros(len(pairs), np.float32)
        np.maximum.at(gain, inverse, KIND_GAIN[kind])
        declined = np.zeros(len(pairs), bool)
        declined[inverse[kind == DECLINE]] = True
        ii, jj = pairs // n_p, pairs % n_p
        y = (gain > 0).astype(np.float32)
        # Positives weigh by funnel depth; declines are hard negatives; plain views are negatives.
        wt = np.where(gain > 0, 1.0 + 0.5 * (gain - 1.0), np.where(declined, 1.5, 1.0)).astype(np.float32)
        # Random eligible negatives teach what a never-shown project looks like.
        pos_inv = ii[y > 0]
        n_rand = int(len(pos_inv) * self.negatives_per_positive)
        live = np.flatnonzero(p_created < t_end)
        # No project existed yet in this window: no random negatives; the label check that
        # follows then reports NotEnoughData instead of numpy failing on an empty choice.
        if n_rand and live.size:
            # Oversample, since many random pairs break a hard constraint and are dropped.
            ri = rng.choice(pos_inv, 4 * n_rand)
            rj = rng.choice(live, 4 * n_rand)
            ok = eligible_pairs(icons, ri, pcons, rj) & ~np.isin(ri * n_p + rj, pairs) & ~np.isin(ri * n_p + rj, known)
            ok &= np.cumsum(ok) <= n_rand
            ii = np.concatenate([ii, ri[ok]])
            jj = np.concatenate([jj, rj[ok]])
            y = np.concatenate([y, np.zeros(int(ok.sum()), np.float32)])
            wt = np.concatenate([wt, np.full(int(ok.sum()), self.random_negative_weight, np.float32)])
        return ii, jj, y, wt
