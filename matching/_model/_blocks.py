"""Cross features between an investor group and a project group, and their factorisation.

A block crosses investor group ``a`` with project group ``p``:

* ``full``: every pair of fields, weight matrix ``W`` (|a| × |p|): contributes ``a W pᵀ``;
* ``diag``: matching dimensions only, weight vector ``w`` (|p|): ``Σ a·w·p``;
* ``dot``: one weight for the dot product: ``w · (a·p)``.

Each is linear in ``a ⊗ p``, so logistic regression learns the weights from pair rows,
and at serving time the investor side folds into one vector: score = u · v + bias.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


class Block(NamedTuple):
    name: str
    inv: str
    proj: str
    kind: str  # "full" | "diag" | "dot"
    reason: str


LEARNED_BLOCKS: tuple[Block, ...] = (
    Block("stated_sector", "stated_sector", "sector", "full", "stated_sector"),
    Block("stated_sector_cold", "stated_sector_cold", "sector", "full", "stated_sector"),
    Block("hist_sector", "hist_sector", "sector", "full", "hist_sector"),
    Block("stated_block", "stated_block", "block", "full", "stated_region"),
    Block("stated_block_cold", "stated_block_cold", "block", "full", "stated_region"),
    Block("stated_pref", "stated_pref", "pref", "dot", "stated_region"),
    Block("hist_block", "hist_block", "block", "full", "near"),
    Block("hist_near", "hist_pref", "near", "dot", "near"),
    Block("instrument", "instruments", "instrument", "full", "instrument"),
    Block("hist_instrument", "hist_instrument", "instrument", "full", "instrument"),
    Block("ticket_min", "ticket", "min_ticket", "full", "ticket"),
    Block("ticket_target", "ticket", "target", "full", "ticket"),
    Block("risk_stage", "risk", "stage", "full", "risk"),
    Block("hist_stage", "hist_stage", "stage", "full", "risk"),
    Block("themes_impact", "themes", "impact", "full", "impact"),
    Block("hist_impact", "hist_impact", "impact", "diag", "impact"),
    Block("thesis_text", "thesis", "text", "diag", "text"),
    Block("hist_text", "hist_text", "text", "diag", "similar_backed"),
    # One weight on the collaborative dot product: it does not depend on the factors' basis,
    # so the factors can be refitted on new events without retraining (see _features/_cf.py).
    Block("cf", "cf", "cf", "dot", "similar_investors"),
    Block("popularity", "one", "pop", "full", "popular"),
    Block("activity_popularity", "activity", "pop", "full", "popular"),
    Block("sector_prior", "one", "sector", "full", "popular"),
    Block("stage_prior", "one", "stage", "full", "quality"),
    Block("impact_prior", "one", "impact", "full", "quality"),
    Block("activity", "activity", "one", "full", "activity"),
)
# Not learned: a fixed bonus so projects nobody has seen yet get seen.
EXPLORE = Block("new_project", "one", "explore", "dot", "new_project")
# Not learned: stated preferences as a strong prior. Each stated field a project fits (sector,
# prefecture, instrument, ticket) adds the same weight, scaled per value by how far the
# investor's behaviour bears the stated value out (1 unless it says otherwise), and the weight
# is set after training so that fitting all four outweighs every learned difference.
STATED_PRIORS = (
    Block("prior_sector", "fit_sector", "sector", "dot", "stated_sector"),
    Block("prior_region", "fit_pref", "pref", "dot", "stated_region"),
    Block("prior_instrument", "fit_instrument", "instrument", "dot", "instrument"),
    Block("prior_ticket", "fit_ticket", "min_ticket", "dot", "ticket"),
)


def n_weights(block: Block, dims: dict[str, int]) -> int:
    a, p = dims[block.inv], dims[block.proj]
    return a * p if block.kind == "full" else p if block.kind == "diag" else 1


def pair_features(
    ag: dict[str, np.ndarray],
    pg: dict[str, np.ndarray],
    ii: np.ndarray,
    jj: np.ndarray,
    blocks: tuple[Block, ...],
    dims: dict[str, int],
) -> np.ndarray:
    """Rows of cross features for pairs (``ii[r]``, ``jj[r]``), blocks side by side."""
    width = sum(n_weights(b, dims) for b in blocks)
    x = np.empty((len(ii), width), np.float32)
    c = 0
    for b in blocks:
        a, p = ag[b.inv][ii], pg[b.proj][jj]
        w = n_weights(b, dims)
        if b.kind == "full":
            x[:, c : c + w] = (a[:, :, None] * p[:, None, :]).reshape(len(ii), w)
        elif b.kind == "diag":
            x[:, c : c + w] = a * p
        else:
            x[:, c] = np.einsum("ij,ij->i", a, p)
        c += w
    return x


def unpack(coef: np.ndarray, blocks: tuple[Block, ...], dims: dict[str, int]) -> dict[str, np.ndarray]:
    """Split a flat coefficient vector into each block's weights (matrix, vector or scalar)."""
    out, c = {}, 0
    for b in blocks:
        w = n_weights(b, dims)
        chunk = np.asarray(coef[c : c + w], np.float64)
        out[b.name] = chunk.reshape(dims[b.inv], dims[b.proj]) if b.kind == "full" else chunk
        c += w
    return out


def side_term(block: Block, a: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The investor side of one block, in the project group's coordinates (rows × |p|)."""
    if block.kind == "full":
        return np.asarray(a @ w)
    if block.kind == "diag":
        return np.asarray(a * w[None, :])
    return np.asarray(a * w[0])


class Layout:
    """Where each project group sits in the project matrix ``V``."""

    def __init__(self, groups: tuple[str, ...], dims: dict[str, int]) -> None:
        self.groups = groups
        self.slices: dict[str, slice] = {}
        c = 0
        for g in groups:
            self.slices[g] = slice(c, c + dims[g])
            c += dims[g]
        self.width = c

    def stack(self, pg: dict[str, np.ndarray]) -> np.ndarray:
        return np.ascontiguousarray(np.hstack([pg[g] for g in self.groups]), dtype=np.float32)

    def split(self, vmat: np.ndarray) -> dict[str, np.ndarray]:
        return {g: vmat[:, s] for g, s in self.slices.items()}


def investor_vectors(
    ag: dict[str, np.ndarray],
    weights: dict[str, np.ndarray],
    blocks: tuple[Block, ...],
    layout: Layout,
) -> np.ndarray:
    n = next(iter(ag.values())).shape[0]
    umat = np.zeros((n, layout.width), np.float64)
    for b in blocks:
        umat[:, layout.slices[b.proj]] += side_term(b, ag[b.inv], weights[b.name])
    return umat.astype(np.float32)


def contributions(
    ag: dict[str, np.ndarray],
    pg: dict[str, np.ndarray],
    weights: dict[str, np.ndarray],
    blocks: tuple[Block, ...],
) -> dict[str, float]:
    """Each block's share of the score for one pair (A and P hold a single row each)."""
    out: dict[str, float] = {}
    for b in blocks:
        term = side_term(b, ag[b.inv].astype(np.float64), weights[b.name])
        out[b.name] = out.get(b.name, 0.0) + float(term[0] @ pg[b.proj][0].astype(np.float64))
    return out
