"""The learned matching model: logistic regression over field-by-field cross features.

Training learns from every investor's history at once. Each investor's most recent
interactions (a ``label_fraction`` of its pairs) are held out as labels; features
(behaviour, collaborative factors, popularity) come from the rest, so behaviour never
leaks into its own labels, yet every investor with a history both teaches and is taught
(a single forward-in-time cut leaves most label events to investors with no history
before it, and the collaborative part then barely trains)::

    model = MatchModel().fit(investors, projects, events)
    model.rank_projects("inv-1", k=10)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

import numpy as np

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
from ._blocks import (
    EXPLORE,
    LEARNED_BLOCKS,
    STATED_PRIORS,
    Layout,
    investor_vectors,
    n_weights,
    pair_features,
    unpack,
)
from ._logistic import fit_logistic
from ._ranker import Ranker

Progress = Callable[[str, float], None]
# Blocks driven by behaviour: the investor's own history, others' (CF) and popularity.
BEHAVIOURAL = frozenset(
    b.name
    for b in LEARNED_BLOCKS
    if b.inv.startswith("hist_") or b.inv in {"cf", "activity"} or b.proj in {"pop", "cf"}
)
MIN_COUNTS = {"events": 50, "positive_events": 20, "investors_with_positives": 5, "label_pairs": 20}


def _iso(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).isoformat()


class MatchModel(Ranker):
    """Learned ranker. Hyper-parameters are constructor arguments; learned state ends in ``_``.

    ``exploration_bonus`` (logit units) lifts projects nobody has viewed yet, shrinking as
    views accrue (bonus / (1 + views)). ``label_fraction`` of each investor's pairs (its
    most recent ones, or random ones with ``holdout="random"``) are the training labels.
    ``stated_prior`` scales the stated-preference prior: at 1.0 a project fitting all four
    stated fields outscores one fitting none by the whole spread of the learned score.
    ``cf_shrinkage`` is the ridge penalty of the collaborative factors.
    """

    ranker_kind = "learned"

    def __init__(
        self,
        *,
        n_text_components: int = 32,
        n_cf_components: int = 64,
        cf_shrinkage: float = 10.0,
        C: float = 0.5,  # noqa: N803 - scikit-learn's name for inverse regularisation
        label_fraction: float = 0.25,
        holdout: str = "recent",
        negatives_per_positive: float = 4.0,
        random_negative_weight: float = 2.0,
        max_pairs: int = 120_000,
        exploration_bonus: float = 0.5,
        stated_prior: float = 1.0,
        random_state: int = 0,
    ) -> None:
        self.n_text_components = n_text_components
        self.n_cf_components = n_cf_components
        self.cf_shrinkage = cf_shrinkage
        self.C = C
        self.label_fraction = label_fraction
        self.holdout = holdout
        self.negatives_per_positive = negatives_per_positive
        self.random_negative_weight = random_negative_weight
        self.max_pairs = max_pairs
        self.exploration_bonus = exploration_bonus
        self.stated_prior = stated_prior
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
        space = FeatureSpace(
            self.n_text_components, self.n_cf_components, random_state=self.random_state, cf_shrinkage=self.cf_shrinkage
        )
        space.fit(investors, projects)
        dims = space.dims()
        icons, pcons = InvestorConstraints.build(investors), ProjectConstraints.build(projects)
        history, labels = self.split_history(inter, len(projects), rng)
        if self._positive_pairs(labels, len(projects)) < 2 * MIN_COUNTS["label_pairs"] and self.label_fraction < 0.5:
            # A small market (a demo, a first start): hold out half of each history instead.
            history, labels = self.split_history(inter, len(projects), rng, fraction=0.5)
        say("building features from each investor's earlier history", 0.2)
        space.fit_cf(history, project_ids, len(investors))
        pg = space.project_groups(projects, history)
        ag = space.investor_groups(investors, history, pg, project_ids)
        ii, jj, y, wt = self._label_pairs(inter, labels, icons, pcons, rng)
        if len(y) > self.max_pairs:
            keep = rng.choice(len(y), self.max_pairs, replace=False)
            ii, jj, y, wt = ii[keep], jj[keep], y[keep], wt[keep]
        if y.sum() < MIN_COUNTS["label_pairs"] or (1 - y).sum() < MIN_COUNTS["label_pairs"]:
            raise NotEnoughData(
                {"label_positive_pairs": int(y.sum()), "label_negative_pairs": int((1 - y).sum())},
                {"label_positive_pairs": MIN_COUNTS["label_pairs"], "label_negative_pairs": MIN_COUNTS["label_pairs"]},
            )
        x = pair_features(ag, pg, ii, jj, LEARNED_BLOCKS, dims)
        say(f"fitting logistic regression on {len(y):,} pairs × {x.shape[1]:,} features", 0.4)
        # Features are already on unit scales (one-hots, shares, unit text vectors); dividing by
        # each column's std would let rare crosses (e.g. a cold investor's sector) escape the
        # L2 penalty and blow up, so only centre them.
        mean = x.mean(axis=0, dtype=np.float64).astype(np.float32)
        x -= mean
        coef, intercept, solver = fit_logistic(x, y, wt, C=self.C, curvature=0.25)
        del x
        self.weights_ = unpack(coef, LEARNED_BLOCKS, dims)
        self.bias_ = float(intercept - coef @ mean)
        self.weights_[EXPLORE.name] = np.array([self.exploration_bonus])
        self.blocks_ = (*LEARNED_BLOCKS, *STATED_PRIORS, EXPLORE)
        self.space_ = space
        self.layout_ = Layout(PROJECT_GROUPS, dims)
        self.inv_layout_ = Layout(INVESTOR_GROUPS, dims)
        spread = self._learned_spread(ag, pg, rng)
        for b in STATED_PRIORS:
            self.weights_[b.name] = np.array([self.stated_prior * spread / len(STATED_PRIORS)])
        self.n_features_ = int(sum(n_weights(b, dims) for b in LEARNED_BLOCKS))
        self.training_ = {
            "events": len(inter),
            "investors": len(investors),
            "projects": len(projects),
            "pairs": len(y),
            "positive_pairs": int(y.sum()),
            "features": self.n_features_,
            "solver_iterations": solver["iterations"],
            "converged": solver["converged"],
            "learned_spread": spread,
            "first_event": _iso(float(inter.at.min())),
            "last_event": _iso(float(inter.at.max())),
        }
        say("building the catalogue from every event", 0.8)
        self.refresh(investors, projects, events)
        say("done", 1.0)
        return self

    def _refit_behaviour(self, inter: Interactions, n_investors: int) -> None:
        # The CF block is a single weight on a basis-free dot product, so refit on all events.
        self.space_.fit_cf(inter, self.project_ids_, n_investors)

    def _learned_spread(self, ag: dict[str, np.ndarray], pg: dict[str, np.ndarray], rng: np.random.Generator) -> float:
        """Range (max − min) of the learned score's content part over a sample of investor ×
        project pairs: what the stated prior must outweigh. The behavioural part (the
        investor's own history, collaborative factors, popularity) may still overrule it."""
        n_i, n_p = ag["one"].shape[0], pg["one"].shape[0]
        rows = rng.choice(n_i, min(n_i, 400), replace=False)
        cols = rng.choice(n_p, min(n_p, 2_000), replace=False)
        learned = tuple(b for b in LEARNED_BLOCKS if b.name not in BEHAVIOURAL)
        u = investor_vectors({g: a[rows] for g, a in ag.items()}, self.weights_, learned, self.layout_)
        v = self.layout_.stack({g: p[cols] for g, p in pg.items()})
        s = u @ v.T
        return float(np.max(s) - np.min(s)) if s.size else 0.0

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

    @staticmethod
    def _positive_pairs(inter: Interactions, n_projects: int) -> int:
        pos = KIND_GAIN[inter.kind] > 0
        return len(np.unique(inter.inv[pos] * n_projects + inter.proj[pos]))

    def split_history(
        self, inter: Interactions, n_projects: int, rng: np.random.Generator, *, fraction: float | None = None
    ) -> tuple[Interactions, Interactions]:
        """(history, labels): per investor, the last ``label_fraction`` of its pairs (by first
        contact; random pairs with ``holdout="random"``) with all their events are labels."""
        key = inter.inv * n_projects + inter.proj
        pairs, first_of = np.unique(key, return_inverse=True)
        first = np.full(len(pairs), np.inf)
        np.minimum.at(first, first_of, inter.at)
        order_key = rng.random(len(pairs)) if self.holdout == "random" else first
        pinv = pairs // n_projects
        order = np.lexsort((order_key, pinv))
        sorted_inv = pinv[order]
        starts = np.r_[0, np.flatnonzero(np.diff(sorted_inv)) + 1]
        counts = np.diff(np.r_[starts, len(order)])
        group = np.repeat(np.arange(len(starts)), counts)
        rank = np.arange(len(order)) - starts[group]
        # Stochastic rounding, so an investor with one pair is a label with that chance (which
        # is what teaches the model to rank for newcomers).
        f = self.label_fraction if fraction is None else fraction
        n_label = np.floor(f * counts + rng.random(len(counts))).astype(np.int64)
        is_label = np.zeros(len(pairs), bool)
        is_label[order] = rank >= (counts - n_label)[group]
        mask = is_label[first_of]
        return inter.where(~mask), inter.where(mask)

    def _label_pairs(
        self,
        inter: Interactions,
        labels: Interactions,
        icons: InvestorConstraints,
        pcons: ProjectConstraints,
        rng: np.random.Generator,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        n_p = len(pcons.listed)
        key = labels.inv * n_p + labels.proj
        pairs, inverse = np.unique(key, return_inverse=True)
        gain = np.zeros(len(pairs), np.float32)
        np.maximum.at(gain, inverse, KIND_GAIN[labels.kind])
        declined = np.zeros(len(pairs), bool)
        declined[inverse[labels.kind == DECLINE]] = True
        ii, jj = pairs // n_p, pairs % n_p
        y = (gain > 0).astype(np.float32)
        # Positives weigh by funnel depth; declines are hard negatives; plain views are negatives.
        wt = np.where(gain > 0, 1.0 + 0.5 * (gain - 1.0), np.where(declined, 1.5, 1.0)).astype(np.float32)
        # Random eligible negatives teach what a never-shown project looks like; any pair the
        # investor ever touched is excluded.
        touched = np.unique(inter.inv * n_p + inter.proj)
        pos_inv = ii[y > 0]
        n_rand = int(len(pos_inv) * self.negatives_per_positive)
        if n_rand and n_p:
            # Oversample, since many random pairs break a hard constraint and are dropped.
            ri = rng.choice(pos_inv, 4 * n_rand)
            rj = rng.integers(0, n_p, 4 * n_rand)
            ok = eligible_pairs(icons, ri, pcons, rj) & ~np.isin(ri * n_p + rj, touched)
            ok &= np.cumsum(ok) <= n_rand
            ii = np.concatenate([ii, ri[ok]])
            jj = np.concatenate([jj, rj[ok]])
            y = np.concatenate([y, np.zeros(int(ok.sum()), np.float32)])
            wt = np.concatenate([wt, np.full(int(ok.sum()), self.random_negative_weight, np.float32)])
        return ii, jj, y, wt
