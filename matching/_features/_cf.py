"""Collaborative factors from the investor × project interaction matrix.

Counts are weighted by how strong the signal is (a commit says more than a view) and
log-damped so one heavy user does not dominate; TruncatedSVD then gives project factors.
An investor's factors are "folded in" from its own row, so investors who joined after
training still get factors from their history without refitting.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.decomposition import TruncatedSVD

from ._events import KIND_WEIGHT, Interactions


def interaction_matrix(inter: Interactions, n_investors: int, n_projects: int) -> sparse.csr_matrix:
    """log1p of the kind-weighted counts; declines carry no weight here (they are labels)."""
    w = KIND_WEIGHT[inter.kind]
    keep = w > 0
    m = sparse.csr_matrix(
        (w[keep], (inter.inv[keep], inter.proj[keep])), shape=(n_investors, n_projects), dtype=np.float32
    )
    m.sum_duplicates()
    m.data = np.log1p(m.data)
    return m


class CollaborativeFactors:
    """``project_factors_`` (n_projects × k) and ``fold_in_`` turn a history row into factors."""

    def __init__(self, n_components: int = 32, random_state: int = 0) -> None:
        self.n_components = n_components
        self.random_state = random_state

    def fit(self, matrix: sparse.csr_matrix) -> CollaborativeFactors:
        n_inv, n_proj = matrix.shape
        k = min(self.n_components, n_inv - 1, n_proj - 1)
        self.project_factors_ = np.zeros((n_proj, self.n_components), np.float32)
        self.fold_in_ = np.zeros((n_proj, self.n_components), np.float32)
        if k < 1 or matrix.nnz == 0:
            return self
        svd = TruncatedSVD(n_components=k, random_state=self.random_state, algorithm="randomized")
        svd.fit(matrix)
        sigma = np.maximum(svd.singular_values_, 1e-6)
        # Split sigma evenly between the two sides so u·v reconstructs the matrix and both
        # sides have comparable scale for the learned per-factor weights.
        self.project_factors_[:, :k] = svd.components_.T * np.sqrt(sigma)
        self.fold_in_[:, :k] = svd.components_.T / np.sqrt(sigma)
        # Rescale so the average active investor's factors have unit norm.
        u = np.asarray(matrix @ self.fold_in_)
        active = np.linalg.norm(u, axis=1) > 0
        scale = float(np.sqrt(np.mean(np.sum(u[active] ** 2, axis=1)))) if active.any() else 1.0
        self.fold_in_ /= max(scale, 1e-6)
        self.project_factors_ *= max(scale, 1e-6)
        return self

    def investor_factors(self, matrix: sparse.csr_matrix) -> np.ndarray:
        return np.asarray(matrix @ self.fold_in_, dtype=np.float32)
