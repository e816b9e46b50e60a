"""Ranking, explanation and the catalogue shared by the learned and content rankers.

Both rankers score a pair as ``u · v + bias`` where ``v`` is a project's row of the
catalogue matrix ``V_`` and ``u`` the investor's vector, so ranking one investor is one
matrix-vector product, and all investors are ranked chunk by chunk with an exact top-k.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from .._constraints import InvestorConstraints, ProjectConstraints, eligible_mask, eligible_pairs
from .._errors import ArtifactError, UnknownEntity
from .._features import FeatureSpace, Interactions, encode_events
from .._reasons import Match, build_reasons
from .._records import INSTRUMENTS, SECTORS, EventRecord, InvestorRecord, ProjectRecord
from .._topk import top_k_allowed, top_k_rows
from ._blocks import Block, Layout, contributions, investor_vectors


class Ranker:
    """Base class; see :class:`matching.MatchModel` and :class:`matching.ContentRanker`."""

    ranker_kind = "learned"
    space_: FeatureSpace
    layout_: Layout
    inv_layout_: Layout
    blocks_: tuple[Block, ...]
    weights_: dict[str, np.ndarray]
    bias_: float
    training_: dict[str, Any]
    model_version_: str
    metrics_: dict[str, Any]

    # Hooks -------------------------------------------------------------------------------
    def _prepare(self, ag: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Investor groups as the blocks consume them (the content ranker normalises here)."""
        return ag

    def _refit_behaviour(self, inter: Interactions, n_investors: int) -> None:
        """Refit what is fitted on behaviour alone (the learned model's collaborative factors)."""

    def _u(self, ag: dict[str, np.ndarray]) -> np.ndarray:
        return investor_vectors(self._prepare(ag), self.weights_, self.blocks_, self.layout_)

    # Catalogue ---------------------------------------------------------------------------
    def refresh(
        self,
        investors: Iterable[InvestorRecord],
        projects: Iterable[ProjectRecord],
        events: Iterable[EventRecord] = (),
    ) -> Ranker:
        """Rebuild the catalogue (who and what can be ranked, and behaviour) keeping the
        learned weights: call it when records or events change, no retraining needed::

            model.refresh(investors, projects, events)
        """
        investors, projects = list(investors), list(projects)
        self.investor_ids_ = [inv.id for inv in investors]
        self.project_ids_ = [p.id for p in projects]
        self.investor_index_ = {k: i for i, k in enumerate(self.investor_ids_)}
        self.project_index_ = {k: i for i, k in enumerate(self.project_ids_)}
        inter = encode_events(events, self.investor_index_, self.project_index_)
        self._refit_behaviour(inter, len(investors))
        pg = self.space_.project_groups(projects, inter)
        self.V_ = self.layout_.stack(pg)
        self.V_mean_ = self.V_.mean(axis=0) if len(projects) else np.zeros(self.layout_.width, np.float32)
        ag = self.space_.investor_groups(investors, inter, pg, self.project_ids_)
        self.A_ = self.inv_layout_.stack(ag)
        self.U_ = self._u(ag)
        self.pcons_ = ProjectConstraints.build(projects)
        self.icons_ = InvestorConstraints.build(investors)
        self.p_sector_ = np.array([SECTORS.index(p.sector) for p in projects], np.int64)
        self.p_prefecture_ = np.array([p.prefecture for p in projects], np.int64)
        self.p_municipality_ = [p.municipality_code or "" for p in projects]
        self.seen_ = sparse.csr_matrix(
            (np.ones(len(inter), bool), (inter.inv, inter.proj)),
            shape=(len(investors), len(projects)),
            dtype=bool,
        )
        return self

    def _investor_row(
        self, investor: str | InvestorRecord, history: Sequence[EventRecord] | None
    ) -> tuple[np.ndarray, dict[str, np.ndarray], InvestorConstraints, np.ndarray]:
        """(u, groups, constraints, seen project columns) for a catalogue id or a record."""
        if isinstance(investor, str):
            r = self.investor_index_.get(investor)
            if r is None:
                raise UnknownEntity(f"unknown investor id {investor!r}", f"投資家 {investor!r} が見つかりません")
            ag = {g: a[r : r + 1] for g, a in self.inv_layout_.split(self.A_).items()}
            return self.U_[r], ag, self.icons_.take(np.array([r])), self.seen_[r].indices
        inter = encode_events(history or (), {investor.id: 0}, self.project_index_)
        pg = self.layout_.split(self.V_)
        ag = self.space_.investor_groups([investor], inter, pg, self.project_ids_)
        return self._u(ag)[0], ag, InvestorConstraints.build([investor]), np.unique(inter.proj)

    def _project_col(self, project: str | ProjectRecord) -> tuple[np.ndarray, ProjectConstraints, int, int, str]:
        if isinstance(project, str):
            c = self.project_index_.get(project)
            if c is None:
                raise UnknownEntity(f"unknown project id {project!r}", f"プロジェクト {project!r} が見つかりません")
            pc = ProjectConstraints(
                self.pcons_.listed[c : c + 1], self.pcons_.instrument[c : c + 1], self.pcons_.min_ticket[c : c + 1]
            )
            return self.V_[c], pc, int(self.p_sector_[c]), int(self.p_prefecture_[c]), project
        known = self.project_index_.get(project.id)
        inter = encode_events((), {}, {})
        pg = self.space_.project_groups([project], inter)
        if known is not None:  # keep the behaviour-derived groups the catalogue already has
            for g in ("cf", "pop", "explore"):
                pg[g] = self.V_[known : known + 1, self.layout_.slices[g]]
        return (
            self.layout_.stack(pg)[0],
            ProjectConstraints.build([project]),
            SECTORS.index(project.sector),
            project.prefecture,
            project.id,
        )

    # Ranking -----------------------------------------------------------------------------
    def top_projects(
        self,
        investor: str | InvestorRecord,
        *,
        k: int = 10,
        history: Sequence[EventRecord] | None = None,
        exclude_seen: bool = True,
    ) -> tuple[list[str], np.ndarray]:
        """Fast path: ids and scores of the ``k`` best eligible projects, no explanations."""
        u, _, icons, seen = self._investor_row(investor, history)
        scores = self.V_ @ u
        scores += np.float32(self.bias_)
        skip = np.sort(np.asarray(seen, np.int64)) if exclude_seen else np.zeros(0, np.int64)

        def allowed(_rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
            ok = eligible_pairs(icons, np.zeros(len(cols), np.int64), self.pcons_, cols, check_listed=True)
            return ok & ~_member(cols, skip)

        idx, val = top_k_allowed(scores[None, :], k, allowed)
        keep = idx[0] >= 0
        return [self.project_ids_[j] for j in idx[0][keep]], val[0][keep]

    def rank_projects(
        self,
        investor: str | InvestorRecord,
        *,
        k: int = 10,
        history: Sequence[EventRecord] | None = None,
        exclude_seen: bool = True,
    ) -> list[Match]:
        """The ``k`` best eligible projects for an investor, each with reasons.

        Pass a catalogue id, or an :class:`InvestorRecord` (a new or edited profile) with
        optional ``history`` events; a record with no history is ranked cold, from its
        stated preferences and thesis::

            for m in model.rank_projects("inv-1", k=10):
                print(m.project_id, m.score, [r.ja for r in m.reasons])
        """
        ids, _ = self.top_projects(investor, k=k, history=history, exclude_seen=exclude_seen)
        return [self.explain(investor, pid, history=history) for pid in ids]

    def rank_investors(self, project: str | ProjectRecord, *, k: int = 10) -> list[Match]:
        """The ``k`` catalogue investors the project suits best, among those it is eligible for."""
        v, pcons, _, _, _ = self._project_col(project)
        if not pcons.listed[0]:
            return []
        scores = self.U_ @ v + np.float32(self.bias_)
        ok = eligible_mask(self.icons_, np.arange(len(self.investor_ids_)), pcons)[:, 0]
        scores[~ok] = -np.inf
        idx, _ = top_k_rows(scores[None, :], k)
        return [self.explain(self.investor_ids_[i], project) for i in idx[0] if i >= 0]

    def explain(
        self,
        investor: str | InvestorRecord,
        project: str | ProjectRecord,
        *,
        history: Sequence[EventRecord] | None = None,
    ) -> Match:
        """Score of one pair split into components; ``sum(components) + bias == score``."""
        _, ag, _, _ = self._investor_row(investor, history)
        v, pcons, sector, pref, pid = self._project_col(project)
        pg = {g: v[None, s] for g, s in self.layout_.slices.items()}
        prepared = self._prepare(ag)
        comps = contributions(prepared, pg, self.weights_, self.blocks_)
        score = float(self.bias_) + sum(comps.values())
        # Reasons rank each component's lift over an average catalogue project, so a term
        # every project shares (e.g. an accepted instrument) is not offered as a reason.
        typical = {g: self.V_mean_[None, s] for g, s in self.layout_.slices.items()}
        base = contributions(prepared, typical, self.weights_, self.blocks_)
        lift = {name: value - base[name] for name, value in comps.items()}
        reasons = build_reasons(
            lift,
            {b.name: b.reason for b in self.blocks_},
            sector=SECTORS[sector],
            instrument=INSTRUMENTS[int(pcons.instrument[0])],
            prefecture=pref,
        )
        iid = investor if isinstance(investor, str) else investor.id
        baseline = float(self.bias_) + sum(base.values())
        return Match(
            iid,
            pid,
            score,
            float(self.bias_),
            comps,
            reasons,
            self.ranker_kind,
            baseline=baseline,
            match_score=round(100.0 * float(self.probability(np.array([score]))[0])),
        )

    def probability(self, scores: np.ndarray) -> np.ndarray:
        """Calibrated probability of interest for raw scores (``σ(a·score + b)``, fitted by
        :func:`matching.calibrate`; ``σ(score)`` until the ranker is calibrated)."""
        cal = (getattr(self, "training_", None) or {}).get("calibration") or {}
        a, b = float(cal.get("a", 1.0)), float(cal.get("b", 0.0))
        return np.asarray(1.0 / (1.0 + np.exp(-(a * np.asarray(scores, np.float64) + b))))

    def score_rows(self, rows: np.ndarray) -> np.ndarray:
        """Raw scores of catalogue investors ``rows`` against every catalogue project."""
        return np.asarray(self.U_[rows] @ self.V_.T + np.float32(self.bias_))

    def eligible_rows(self, rows: np.ndarray) -> np.ndarray:
        return eligible_mask(self.icons_, rows, self.pcons_)

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Save to a directory (``model.json`` + ``arrays.npz``); see :func:`matching.load_model`."""
        from ._artifact import save_model

        return save_model(self, path)

    def to_bytes(self) -> bytes:
        from ._artifact import model_to_bytes

        return model_to_bytes(self)

    @classmethod
    def load(cls, source: str | os.PathLike[str] | bytes) -> Ranker:
        """Load a saved ranker (directory or bytes); refuses altered or unknown artifacts."""
        from ._artifact import load_model

        model = load_model(source)
        if not isinstance(model, cls):
            raise ArtifactError(
                f"artifact holds a {type(model).__name__}, not a {cls.__name__}", "モデルの種類が異なります"
            )
        return model

    def recommend_all(
        self, k: int = 10, *, exclude_seen: bool = True, chunk: int = 1024
    ) -> tuple[np.ndarray, np.ndarray]:
        """Exact top-k for every catalogue investor, ``chunk`` investors at a time.

        Returns (indices into ``project_ids_``, scores), both (n_investors × k); -1 pads
        investors with fewer than k eligible projects.
        """

        n, n_p = self.U_.shape[0], self.V_.shape[0]
        out_idx = np.empty((n, k), np.int64)
        out_val = np.empty((n, k), np.float32)
        for start in range(0, n, chunk):
            rows = np.arange(start, min(start + chunk, n))
            scores = self.U_[rows] @ self.V_.T
            scores += np.float32(self.bias_)

            seen = sparse.coo_matrix(self.seen_[rows]) if exclude_seen else None
            seen_keys = np.sort(seen.row.astype(np.int64) * n_p + seen.col) if seen is not None else None

            def allowed(r: np.ndarray, cols: np.ndarray, rows: np.ndarray = rows, keys: Any = seen_keys) -> np.ndarray:
                ok = eligible_pairs(self.icons_, rows[r], self.pcons_, cols, check_listed=True)
                if keys is not None:
                    ok &= ~_member(r.astype(np.int64) * n_p + cols, keys)
                return ok

            out_idx[rows], out_val[rows] = top_k_allowed(scores, k, allowed, first=64)
        return out_idx, out_val


def _member(q: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """``np.isin(q, sorted_keys)`` by binary search (``isin`` hashes the keys on every call)."""
    if not len(sorted_keys):
        return np.zeros(len(q), bool)
    pos = np.minimum(np.searchsorted(sorted_keys, q), len(sorted_keys) - 1)
    return np.asarray(sorted_keys[pos] == q)
