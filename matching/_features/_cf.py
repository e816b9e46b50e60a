"""Collaborative factors from the investor × project interaction matrix.

Counts are weighted by how strong the signal is (a commit says more than a view) and
log-damped so one heavy user does not dominate. The factors are a low-rank ridge
regression of each project column on the others (a shrunk PureSVD, close to EASE): with
``X = U Σ Vᵀ`` the top-``k`` SVD, an investor's history row ``x`` scores project ``j`` as
``x · V diag(σ²/(σ² + λ)) · V[j]``. On MovieLens-100k this alone beats the published BPR
figure (see ``tests/bench/bench_movielens.py``). An investor's factors are "folded in" from
its own row, so investors who joined after training get factors from their history, and
the dot product does not depend on the basis, so the factors can be refitted on new events
without retraining the weights that use them.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.utils.extmath import randomized_svd

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
    """``project_factors_`` (n_projects × k) and ``fold_in_`` turn a history row into factors.

    ``shrinkage`` is the ridge penalty λ in units of the mean squared column norm of the
    matrix, so one value suits markets of any size or activity.
    """

    def __init__(self, n_components: int = 64, random_state: int = 0, shrinkage: float = 10.0) -> None:
        self.n_components = n_components
        self.random_state = random_state
        self.shrinkage = shrinkage

    def fit(self, matrix: sparse.csr_matrix) -> CollaborativeFactors:
        n_inv, n_proj = matrix.shape
        k = min(self.n_components, n_inv - 1, n_proj - 1)
        self.project_factors_ = np.zeros((n_proj, self.n_components), np.float32)
        self.fold_in_ = np.zeros((n_proj, self.n_components), np.float32)
        if k < 1 or matrix.nnz == 0:
            return self
        _, sigma, vt = randomized_svd(
            sparse.csr_matrix(matrix, dtype=np.float32), k, n_iter=4, random_state=self.random_state
        )
        col_sq = np.asarray(matrix.multiply(matrix).sum(axis=0)).ravel()
        lam = self.shrinkage * float(col_sq[col_sq > 0].mean())
        shrink = (sigma**2 / (sigma**2 + lam)).astype(np.float32)
        self.project_factors_[:, :k] = vt.T
        self.fold_in_[:, :k] = vt.T * shrink
        # Rescale so the average active investor's factors have unit norm.
        u = np.asarray(matrix @ self.fold_in_)
        active = np.linalg.norm(u, axis=1) > 0
        scale = float(np.sqrt(np.mean(np.sum(u[active] ** 2, axis=1)))) if active.any() else 1.0
        self.fold_in_ /= max(scale, 1e-6)
        return self

    def investor_factors(self, matrix: sparse.csr_matrix) -> np.ndarray:
        return np.asarray(matrix @ self.fold_in_, dtype=np.float32)
