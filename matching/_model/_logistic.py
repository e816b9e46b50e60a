"""Weighted L2 logistic regression, preconditioned, in float32.

The same objective as scikit-learn's ``LogisticRegression(C=C)`` with sample weights
(``C · Σ wᵢ·logloss + ½‖β‖²``, intercept unpenalised), solved by L-BFGS over ``z = β · s``
where ``s²`` is the Hessian's diagonal at the start: the penalty stays on ``β`` (so rare
crosses do not escape it) while the solver sees a problem of about unit curvature in every
direction and converges in far fewer iterations::

    coef, intercept, info = fit_logistic(x, y, sample_weight, C=0.5)
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.optimize import minimize


def fit_logistic(
    x: np.ndarray,
    y: np.ndarray,
    sample_weight: np.ndarray,
    *,
    C: float,  # noqa: N803 - scikit-learn's name for inverse regularisation
    max_iter: int = 1_000,
    tol: float = 1e-4,
    curvature: float | None = None,
) -> tuple[np.ndarray, float, dict[str, Any]]:
    """Fit on float32 ``x`` (centred or not); returns (coef, intercept, {iterations, converged}).

    ``curvature`` is ``p(1 − p)`` for the preconditioner and the gradient test; by default
    the weighted base rate's. The model passes ¼ (p = ½) and then the test is ``tol · n · C``
    (scikit-learn's scale), a looser stop that on
    MovieLens-100k regularises better than the tighter optimum (nDCG@10 0.443 against 0.418
    at the same ``C``; 0.419 at ``C=2``, 0.390 at ``C=0.1``).
    """
    x = np.asarray(x, np.float32)
    # Centred columns decouple the slopes from the intercept; otherwise the gradient test can
    # pass while both are still far off.
    mu = x.mean(axis=0, dtype=np.float64).astype(np.float32)
    if np.any(np.abs(mu) > 1e-6):
        x = x - mu
    d = x.shape[1]
    w = np.asarray(sample_weight, np.float64) * C
    yy = np.asarray(y, np.float64)
    # Diagonal of the Hessian near the solution (p ≈ the weighted base rate) plus the penalty's
    # 1: scaling each column by its square root makes the curvature about 1 in every direction,
    # and the gradient test is taken on that same scale, so rare positives are fitted too.
    rate = float(np.clip((w @ yy) / max(w.sum(), 1e-12), 1e-4, 0.5))
    curv = rate * (1.0 - rate) if curvature is None else curvature
    s = np.sqrt(curv * (w.astype(np.float32) @ (x * x)) + 1.0).astype(np.float32)
    xs = x / s
    inv_s2 = 1.0 / (s.astype(np.float64) ** 2)

    gtol = tol * curv * float(w.sum()) if curvature is None else tol * x.shape[0] * C

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        z, b = theta[:d], theta[d]
        raw = np.asarray(xs @ z.astype(np.float32), np.float64) + b
        # log(1 + e^raw) - y·raw, computed stably
        loss = np.logaddexp(0.0, raw) - yy * raw
        p = 0.5 * (1.0 + np.tanh(0.5 * raw))
        r = w * (p - yy)
        grad = np.empty(d + 1)
        grad[:d] = np.asarray(r.astype(np.float32) @ xs, np.float64) + z * inv_s2
        grad[d] = r.sum()
        return float(w @ loss + 0.5 * np.sum(z * z * inv_s2)), grad

    res = minimize(
        objective,
        np.zeros(d + 1),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": max_iter, "gtol": gtol},
    )
    coef = res.x[:d] / s
    intercept = float(res.x[d] - coef @ mu.astype(np.float64))
    return coef, intercept, {"iterations": int(res.nit), "converged": bool(res.success)}
