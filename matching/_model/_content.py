"""Content-based ranking: cosine of stated preferences and thesis against project content.

Needs no interaction data, so it is the fallback when :class:`NotEnoughData` is raised,
and a baseline in evaluation. Same interface as :class:`matching.MatchModel`::

    ranker = ContentRanker().fit(investors, projects, events)   # events: optional
    ranker.rank_projects("inv-1", k=10)        # Match.ranker == "content"
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .._features import INVESTOR_GROUPS, PROJECT_GROUPS, FeatureSpace
from .._records import EventRecord, InvestorRecord, ProjectRecord
from ._blocks import EXPLORE, Block, Layout
from ._ranker import Ranker

CONTENT_BLOCKS: tuple[Block, ...] = (
    Block("stated_sector", "stated_sector", "sector", "dot", "stated_sector"),
    Block("stated_block", "stated_block", "block", "dot", "stated_region"),
    Block("stated_pref", "stated_pref", "pref", "dot", "stated_region"),
    Block("thesis_text", "thesis", "text", "dot", "text"),
)
# Project side of each block above is a unit vector (one-hots and a unit text vector).
_PROJECT_NORM = float(np.sqrt(len(CONTENT_BLOCKS)))


class ContentRanker(Ranker):
    """Cosine similarity between an investor's stated profile and a project's content.

    The investor vector concatenates stated sectors, regional blocks, prefectures and the
    thesis' text factors; the project vector the matching one-hots and text factors. Both
    are normalised, so each block's dot product is its share of the cosine.
    """

    ranker_kind = "content"

    def __init__(self, *, n_text_components: int = 32, exploration_bonus: float = 0.0, random_state: int = 0) -> None:
        self.n_text_components = n_text_components
        self.exploration_bonus = exploration_bonus
        self.random_state = random_state

    def fit(
        self, investors: Iterable[InvestorRecord], projects: Iterable[ProjectRecord], events: Iterable[EventRecord] = ()
    ) -> ContentRanker:
        investors, projects = list(investors), list(projects)
        self.space_ = FeatureSpace(self.n_text_components, 1, random_state=self.random_state).fit(investors, projects)
        dims = self.space_.dims()
        self.layout_ = Layout(PROJECT_GROUPS, dims)
        self.inv_layout_ = Layout(INVESTOR_GROUPS, dims)
        self.blocks_ = (*CONTENT_BLOCKS, EXPLORE)
        self.weights_ = {b.name: np.ones(1) for b in CONTENT_BLOCKS}
        self.weights_[EXPLORE.name] = np.array([self.exploration_bonus])
        self.bias_ = 0.0
        self.training_ = {"investors": len(investors), "projects": len(projects)}
        return self.refresh(investors, projects, events)  # type: ignore[return-value]

    def _prepare(self, ag: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        used = [b.inv for b in CONTENT_BLOCKS]
        norm = np.sqrt(sum(np.sum(ag[g].astype(np.float64) ** 2, axis=1) for g in used))
        scale = (1.0 / np.maximum(norm * _PROJECT_NORM, 1e-12)).astype(np.float32)[:, None]
        out = dict(ag)
        for g in used:
            out[g] = ag[g] * scale
        return out
