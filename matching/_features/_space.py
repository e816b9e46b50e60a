"""Field-by-field features of investors and projects, grouped by what they describe.

A *group* is a small dense block (e.g. ``sector``: one-hot over the 13 sectors). The model
crosses investor groups with project groups, so the score stays an investor vector · a
project vector. Behaviour groups (``hist_*``) and collaborative factors come only from
the events passed in, which is how training keeps features before T and labels after T.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
from scipy import sparse

from .._geo import N_PREFECTURES, PREFECTURE_BLOCK, PREFECTURE_LATLNG, haversine_km
from .._records import INSTRUMENTS, RISK_TOLERANCES, SECTORS, STAGES, InvestorRecord, ProjectRecord
from ._cf import CollaborativeFactors, interaction_matrix
from ._events import DECLINE, KIND_WEIGHT, VIEW, Interactions
from ._text import TextEncoder

# Ticket sizes span ¥10k (individuals) to ¥1bn (funds): half-decade bins on log10(yen).
TICKET_EDGES = np.arange(4.0, 9.01, 0.5)
N_TICKET_BINS = len(TICKET_EDGES) + 1
NEAR_KM = 150.0  # a prefecture's width: beyond ~2 of these, "near" no longer applies
SECTOR_INDEX = {s: i for i, s in enumerate(SECTORS)}
INSTRUMENT_INDEX = {s: i for i, s in enumerate(INSTRUMENTS)}
STAGE_INDEX = {s: i for i, s in enumerate(STAGES)}
RISK_INDEX = {s: i for i, s in enumerate(RISK_TOLERANCES)}
N_BLOCKS = 8

PROJECT_GROUPS = (
    "one",
    "sector",
    "block",
    "pref",
    "near",
    "instrument",
    "min_ticket",
    "target",
    "stage",
    "impact",
    "text",
    "cf",
    "pop",
    "explore",
)
INVESTOR_GROUPS = (
    "one",
    "cold",
    "activity",
    "stated_sector",
    "stated_sector_cold",
    "stated_block",
    "stated_block_cold",
    "stated_pref",
    "instruments",
    "ticket",
    "risk",
    "themes",
    "thesis",
    "hist_sector",
    "hist_block",
    "hist_pref",
    "hist_instrument",
    "hist_stage",
    "hist_impact",
    "hist_text",
    "cf",
    "fit_sector",
    "fit_pref",
    "fit_instrument",
    "fit_ticket",
)
# Stated-preference trust: a stated field value is trusted fully unless the investor's own
# behaviour on projects with that value converts worse than its behaviour elsewhere
# (ignored views, declines). ``TRUST_PRIOR`` pseudo-views at the investor's own rate
# keep a few ignored views from overturning what the investor said.
TRUST_PRIOR = 4.0
DECLINE_AS_VIEWS = 2.0


def ticket_bin(yen: np.ndarray) -> np.ndarray:
    return np.searchsorted(TICKET_EDGES, np.log10(np.maximum(yen, 1).astype(np.float64)), side="right")


def _one_hot(codes: np.ndarray, n: int) -> np.ndarray:
    out = np.zeros((len(codes), n), np.float32)
    out[np.arange(len(codes)), codes] = 1.0
    return out


def _rows_normalised(x: np.ndarray) -> np.ndarray:
    s = x.sum(axis=1, keepdims=True)
    return np.asarray(np.where(s > 0, x / np.maximum(s, 1e-12), 0.0), dtype=np.float32)


class FeatureSpace:
    """Content transforms fitted once (vocabularies, metric scales, text) plus optional CF.

    ::

        space = FeatureSpace().fit(investors, projects)
        space.fit_cf(inter, len(investors), len(projects))      # events before T only
        P = space.project_groups(projects, inter)
        A = space.investor_groups(investors, inter, P)
    """

    def __init__(
        self,
        n_text_components: int = 32,
        n_cf_components: int = 32,
        max_themes: int = 32,
        max_metrics: int = 24,
        random_state: int = 0,
        cf_shrinkage: float = 10.0,
    ) -> None:
        self.cf_shrinkage = cf_shrinkage
        self.n_text_components = n_text_components
        self.n_cf_components = n_cf_components
        self.max_themes = max_themes
        self.max_metrics = max_metrics
        self.random_state = random_state

    def fit(self, investors: Sequence[InvestorRecord], projects: Sequence[ProjectRecord]) -> FeatureSpace:
        themes = Counter(t for inv in investors for t in set(inv.impact_themes))
        self.themes_ = sorted(t for t, _ in themes.most_common(self.max_themes))
        metrics = Counter(m for p in projects for m in p.impact)
        self.metrics_ = sorted(m for m, _ in metrics.most_common(self.max_metrics))
        raw = self._impact_raw(projects)
        # Scale each metric by a high percentile so one outlier does not flatten the rest.
        self.metric_scale_ = (
            np.maximum(np.percentile(np.abs(raw), 95, axis=0), 1e-6).astype(np.float32)
            if len(projects)
            else np.ones(len(self.metrics_), np.float32)
        )
        self.text_ = TextEncoder(self.n_text_components, random_state=self.random_state).fit(
            [inv.thesis for inv in investors] + [p.text for p in projects]
        )
        self.cf_: CollaborativeFactors | None = None
        self.cf_project_ids_: list[str] = []
        return self

    def fit_cf(self, inter: Interactions, project_ids: Sequence[str], n_investors: int) -> None:
        m = interaction_matrix(inter, n_investors, len(project_ids))
        self.cf_ = CollaborativeFactors(self.n_cf_components, self.random_state, self.cf_shrinkage).fit(m)
        self.cf_project_ids_ = list(project_ids)

    def dims(self) -> dict[str, int]:
        t, m, k, c = len(self.themes_), len(self.metrics_), self.n_text_components, self.n_cf_components
        return {
            "one": 1,
            "cold": 1,
            "activity": 1,
            "sector": len(SECTORS),
            "block": N_BLOCKS,
            "pref": N_PREFECTURES,
            "near": N_PREFECTURES,
            "instrument": len(INSTRUMENTS),
            "min_ticket": N_TICKET_BINS,
            "target": N_TICKET_BINS,
            "stage": len(STAGES),
            "impact": m,
            "text": k,
            "cf": c,
            "pop": 3,
            "explore": 1,
            "stated_sector": len(SECTORS),
            "stated_sector_cold": len(SECTORS),
            "stated_block": N_BLOCKS,
            "stated_block_cold": N_BLOCKS,
            "stated_pref": N_PREFECTURES,
            "instruments": len(INSTRUMENTS),
            "ticket": N_TICKET_BINS,
            "risk": len(RISK_TOLERANCES),
            "themes": t,
            "thesis": k,
            "fit_sector": len(SECTORS),
            "fit_pref": N_PREFECTURES,
            "fit_instrument": len(INSTRUMENTS),
            "fit_ticket": N_TICKET_BINS,
            "hist_sector": len(SECTORS),
            "hist_block": N_BLOCKS,
            "hist_pref": N_PREFECTURES,
            "hist_instrument": len(INSTRUMENTS),
            "hist_stage": len(STAGES),
            "hist_impact": m,
            "hist_text": k,
        }

    def _impact_raw(self, projects: Sequence[ProjectRecord]) -> np.ndarray:
        out = np.zeros((len(projects), len(self.metrics_)), np.float32)
        index = {m: i for i, m in enumerate(self.metrics_)}
        for r, p in enumerate(projects):
            for m, v in p.impact.items():
                c = index.get(m)
                if c is not None and np.isfinite(v):
                    out[r, c] = np.sign(v) * np.log1p(abs(v))
        return out

    def project_groups(self, projects: Sequence[ProjectRecord], inter: Interactions) -> dict[str, np.ndarray]:
        n = len(projects)
        pref = np.array([p.prefecture for p in projects], np.int64) - 1
        lat = np.array([p.lat if p.lat is not None else np.nan for p in projects], np.float64)
        lng = np.array([p.lng if p.lng is not None else np.nan for p in projects], np.float64)
        missing = np.isnan(lat) | np.isnan(lng)
        lat[missing], lng[missing] = PREFECTURE_LATLNG[pref[missing], 0], PREFECTURE_LATLNG[pref[missing], 1]
        dist = haversine_km(lat[:, None], lng[:, None], PREFECTURE_LATLNG[None, :, 0], PREFECTURE_LATLNG[None, :, 1])
        near = np.exp(-((dist / NEAR_KM) ** 2)).astype(np.float32)
        impact = np.clip(self._impact_raw(projects) / self.metric_scale_, -3.0, 3.0)
        views = np.bincount(inter.proj[inter.kind == 0], minlength=n).astype(np.float32)
        pos_w = np.bincount(inter.proj, weights=(inter.kind != 0) * (KIND_WEIGHT[inter.kind] > 0), minlength=n)
        pos = pos_w.astype(np.float32)
        # Beta-smoothed conversion keeps a project with 1 view and 1 interest from topping the list.
        conv = (pos + 0.5) / (views + 5.0)
        cf = np.zeros((n, self.n_cf_components), np.float32)
        if self.cf_ is not None:
            cf_index = {pid: r for r, pid in enumerate(self.cf_project_ids_)}
            rows = np.array([cf_index.get(p.id, -1) for p in projects], np.int64)
            known = rows >= 0
            cf[known] = self.cf_.project_factors_[rows[known]]
        return {
            "one": np.ones((n, 1), np.float32),
            "sector": _one_hot(np.array([SECTOR_INDEX[p.sector] for p in projects], np.int64), len(SECTORS)),
            "block": _one_hot(PREFECTURE_BLOCK[pref], N_BLOCKS),
            "pref": _one_hot(pref, N_PREFECTURES),
            "near": near,
            "instrument": _one_hot(
                np.array([INSTRUMENT_INDEX[p.instrument] for p in projects], np.int64), len(INSTRUMENTS)
            ),
            "min_ticket": _one_hot(ticket_bin(np.array([p.min_ticket_yen for p in projects])), N_TICKET_BINS),
            "target": _one_hot(ticket_bin(np.array([p.funding_target_yen for p in projects])), N_TICKET_BINS),
            "stage": _one_hot(np.array([STAGE_INDEX[p.stage] for p in projects], np.int64), len(STAGES)),
            "impact": impact.astype(np.float32),
            "text": self.text_.transform([p.text for p in projects]),
            "cf": cf,
            "pop": np.stack([np.log1p(views) / 3.0, np.log1p(pos) / 3.0, conv * 5.0], axis=1).astype(np.float32),
            "explore": (1.0 / (1.0 + views))[:, None].astype(np.float32),
        }

    def investor_groups(
        self,
        investors: Sequence[InvestorRecord],
        inter: Interactions,
        pg: dict[str, np.ndarray],
        project_ids: Sequence[str],
    ) -> dict[str, np.ndarray]:
        """``P`` and ``project_ids`` describe the projects that ``inter.proj`` indexes."""
        n = len(investors)
        stated_sector = np.zeros((n, len(SECTORS)), np.float32)
        stated_pref = np.zeros((n, N_PREFECTURES), np.float32)
        instruments = np.zeros((n, len(INSTRUMENTS)), np.float32)
        ticket = np.zeros((n, N_TICKET_BINS), np.float32)
        risk = np.zeros((n, len(RISK_TOLERANCES)), np.float32)
        themes = np.zeros((n, len(self.themes_)), np.float32)
        theme_index = {t: i for i, t in enumerate(self.themes_)}
        lo = ticket_bin(np.array([inv.ticket_min_yen for inv in investors]))
        hi = ticket_bin(np.array([inv.ticket_max_yen for inv in investors]))
        for r, inv in enumerate(investors):
            for s in inv.sectors:
                if s in SECTOR_INDEX:
                    stated_sector[r, SECTOR_INDEX[s]] = 1.0
            for pc in inv.prefectures:
                if 1 <= pc <= N_PREFECTURES:
                    stated_pref[r, pc - 1] = 1.0
            for s in inv.instruments:
                if s in INSTRUMENT_INDEX:
                    instruments[r, INSTRUMENT_INDEX[s]] = 1.0
            ticket[r, lo[r] : hi[r] + 1] = 1.0
            risk[r, RISK_INDEX[inv.risk_tolerance]] = 1.0
            for t in inv.impact_themes:
                if t in theme_index:
                    themes[r, theme_index[t]] = 1.0
        stated_block = _rows_normalised(stated_pref @ _one_hot(PREFECTURE_BLOCK, N_BLOCKS))

        w = KIND_WEIGHT[inter.kind]
        keep = w > 0
        h = sparse.csr_matrix(
            (w[keep], (inter.inv[keep], inter.proj[keep])), shape=(n, pg["sector"].shape[0]), dtype=np.float32
        )
        h.sum_duplicates()
        hn = sparse.csr_matrix(sparse.diags(1.0 / np.maximum(np.asarray(h.sum(axis=1)).ravel(), 1e-12)) @ h)
        activity = np.bincount(inter.inv, minlength=n).astype(np.float32)
        cold = (np.asarray(h.sum(axis=1)).ravel() == 0).astype(np.float32)[:, None]
        hist_text = np.asarray(hn @ pg["text"], np.float32)
        cf = np.zeros((n, self.n_cf_components), np.float32)
        if self.cf_ is not None:
            m = interaction_matrix(inter, n, pg["sector"].shape[0])
            if list(project_ids) != self.cf_project_ids_:
                # Map the caller's project columns onto the CF columns (new projects have none).
                cf_index = {pid: c for c, pid in enumerate(self.cf_project_ids_)}
                cols = np.array([cf_index.get(pid, -1) for pid in project_ids], np.int64)
                known = cols >= 0
                remap = sparse.csr_matrix(
                    (np.ones(int(known.sum()), np.float32), (np.flatnonzero(known), cols[known])),
                    shape=(m.shape[1], len(self.cf_project_ids_)),
                )
                m = sparse.csr_matrix(m @ remap)
            cf = self.cf_.investor_factors(m)
        trust = _StatedTrust(inter, n, pg["sector"].shape[0])
        return {
            "fit_sector": stated_sector * trust.of(pg["sector"], stated_sector),
            "fit_pref": stated_pref * trust.of(pg["pref"], stated_pref),
            "fit_instrument": instruments * trust.of(pg["instrument"], instruments),
            "fit_ticket": ticket,
            "one": np.ones((n, 1), np.float32),
            "cold": cold,
            "activity": (np.log1p(activity) / 3.0)[:, None].astype(np.float32),
            "stated_sector": _rows_normalised(stated_sector),
            "stated_sector_cold": _rows_normalised(stated_sector) * cold,
            "stated_block": stated_block,
            "stated_block_cold": stated_block * cold,
            "stated_pref": stated_pref,
            "instruments": instruments,
            "ticket": ticket,
            "risk": risk,
            "themes": themes,
            "thesis": self.text_.transform([inv.thesis for inv in investors]),
            "hist_sector": np.asarray(hn @ pg["sector"], np.float32),
            "hist_block": np.asarray(hn @ pg["block"], np.float32),
            "hist_pref": np.asarray(hn @ pg["pref"], np.float32),
            "hist_instrument": np.asarray(hn @ pg["instrument"], np.float32),
            "hist_stage": np.asarray(hn @ pg["stage"], np.float32),
            "hist_impact": np.asarray(hn @ pg["impact"], np.float32),
            "hist_text": hist_text,
            "cf": cf,
        }


class _StatedTrust:
    """How far each investor's behaviour bears out its stated values of a field (0–1).

    Two ways behaviour can say otherwise, and the trust is the smaller of the two:

    * conversion: for a value (a sector, say) the investor engaged with ``n`` projects of it
      and was interested in ``pos``; that rate, shrunk towards its own overall rate ``r``,
      over ``r`` (capped at 1) falls when it ignores or declines what it said it wanted;
    * agreement: the share of its interests that fall in any stated value of the field,
      shrunk towards 1 by ``TRUST_PRIOR`` pseudo-interests, falls when its interest lies
      elsewhere.

    A newcomer, or anyone whose behaviour does not contradict what it stated, trusts it fully.
    """

    def __init__(self, inter: Interactions, n_investors: int, n_projects: int) -> None:
        shape = (n_investors, n_projects)
        ones = np.ones(len(inter), np.float32)
        seen = sparse.csr_matrix((ones, (inter.inv, inter.proj)), shape=shape, dtype=np.float32)
        seen.data[:] = 1.0
        pos_ev = (KIND_WEIGHT[inter.kind] > 0) & (inter.kind != VIEW)  # a view alone is not interest
        pos = sparse.csr_matrix((ones[pos_ev], (inter.inv[pos_ev], inter.proj[pos_ev])), shape=shape, dtype=np.float32)
        pos.data[:] = 1.0
        dec_ev = inter.kind == DECLINE
        dec = sparse.csr_matrix((ones[dec_ev], (inter.inv[dec_ev], inter.proj[dec_ev])), shape=shape, dtype=np.float32)
        dec.data[:] = 1.0
        self.seen, self.pos, self.dec = seen, pos, dec
        n_all = np.asarray(seen.sum(axis=1)).ravel() + DECLINE_AS_VIEWS * np.asarray(dec.sum(axis=1)).ravel()
        self.n_pos = np.asarray(pos.sum(axis=1)).ravel()
        self.rate = ((self.n_pos + 1.0) / (n_all + 2.0)).astype(np.float32)[:, None]

    def of(self, onehot: np.ndarray, stated: np.ndarray) -> np.ndarray:
        n = np.asarray(self.seen @ onehot) + DECLINE_AS_VIEWS * np.asarray(self.dec @ onehot)
        pos = np.asarray(self.pos @ onehot)
        conv = (pos + TRUST_PRIOR * self.rate) / (n + TRUST_PRIOR)
        in_stated = (pos * (stated > 0)).sum(axis=1)
        agree = (TRUST_PRIOR + in_stated) / (TRUST_PRIOR + self.n_pos)
        return np.asarray(np.clip(np.minimum(conv / self.rate, agree[:, None]), 0.0, 1.0), np.float32)
