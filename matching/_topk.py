"""Exact top-k without holding a full score matrix.

Rows are scored a chunk at a time; ``argpartition`` finds each row's k best in linear
time and only those k are sorted::

    idx, val = top_k_rows(scores, k=10)     # per row, best first; -1 where fewer than k
    idx, val = chunked_top_k(investor_vecs, project_vecs, k=10, mask=lambda rows: allowed[rows])
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def top_k_rows(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices and values of each row's ``k`` largest finite scores, best first.

    ``-inf`` marks excluded entries; rows with fewer than ``k`` allowed entries are padded
    with index ``-1`` and value ``-inf``. Ties break towards the lower index.
    """
    scores = np.atleast_2d(scores)
    n_rows, n = scores.shape
    kk = min(k, n)
    if kk == 0:
        return np.full((n_rows, k), -1, np.int64), np.full((n_rows, k), -np.inf, np.float32)
    part = np.argpartition(-scores, kk - 1, axis=1)[:, :kk] if kk < n else np.tile(np.arange(n), (n_rows, 1))
    vals = np.take_along_axis(scores, part, axis=1)
    # lexsort by (-value, index) so results are deterministic under ties
    order = np.lexsort((part, -vals), axis=1)
    idx = np.take_along_axis(part, order, axis=1)
    vals = np.take_along_axis(vals, order, axis=1)
    # A tie at the k-th place may have left a lower index outside the partition; fix rows that tie.
    kth = vals[:, -1:]
    tie_rows = np.flatnonzero(np.isfinite(kth[:, 0]) & ((scores == kth).sum(axis=1) > (vals == kth).sum(axis=1)))
    for r in tie_rows:
        better = np.flatnonzero(scores[r] > kth[r, 0])
        equal = np.flatnonzero(scores[r] == kth[r, 0])[: kk - len(better)]
        sel = np.concatenate([better[np.lexsort((better, -scores[r, better]))], equal])
        idx[r], vals[r] = sel, scores[r, sel]
    out_idx = np.full((n_rows, k), -1, np.int64)
    out_val = np.full((n_rows, k), -np.inf, np.float32)
    out_idx[:, :kk], out_val[:, :kk] = idx, vals
    out_idx[~np.isfinite(out_val)] = -1
    return out_idx, out_val


def chunked_top_k(
    queries: np.ndarray,
    items: np.ndarray,
    k: int,
    *,
    bias: np.ndarray | float = 0.0,
    mask: Callable[[np.ndarray], np.ndarray] | None = None,
    chunk: int = 1024,
) -> tuple[np.ndarray, np.ndarray]:
    """Top-k of ``queries @ items.T + bias`` per row of ``queries``, ``chunk`` rows at a time.

    ``mask(rows)`` returns a boolean (len(rows) × len(V)) array of allowed pairs.
    Memory is ``chunk × len(items)`` scores, never ``len(queries) × len(items)``.
    """
    n = queries.shape[0]
    out_idx = np.empty((n, k), np.int64)
    out_val = np.empty((n, k), np.float32)
    for s in range(0, n, chunk):
        rows = np.arange(s, min(s + chunk, n))
        scores = queries[rows] @ items.T
        scores += bias
        if mask is not None:
            scores[~mask(rows)] = -np.inf
        out_idx[rows], out_val[rows] = top_k_rows(scores, k)
    return out_idx, out_val


def top_k_allowed(
    scores: np.ndarray,
    k: int,
    allowed: Callable[[np.ndarray, np.ndarray], np.ndarray],
    *,
    first: int = 256,
) -> tuple[np.ndarray, np.ndarray]:
    """Like :func:`top_k_rows` on ``scores`` masked by ``allowed``, without building the mask.

    ``allowed(rows, cols)`` judges aligned pairs. Each row's ``first`` best entries are
    found with ``argpartition`` and only they are judged; the few rows where fewer than ``k``
    of them are allowed, or where a tie straddles the cut, fall back to the full mask. The
    result equals :func:`top_k_rows` on the masked scores, ties included::

        idx, val = top_k_allowed(u @ V.T, 10, lambda r, c: eligible_pairs(icons, r, pcons, c))
    """
    scores = np.atleast_2d(scores)
    n_rows, n = scores.shape
    m = min(max(first, 4 * k), n)
    if m >= n or k == 0:
        rows = np.repeat(np.arange(n_rows), n)
        ok = allowed(rows, np.tile(np.arange(n), n_rows)).reshape(n_rows, n)
        return top_k_rows(np.where(ok, scores, -np.inf), k)
    # Sorted, so ties among the candidates break towards the lower index as in top_k_rows.
    cand = np.sort(np.argpartition(-scores, m - 1, axis=1)[:, :m], axis=1)
    cut = np.take_along_axis(scores, cand, axis=1)
    ok = allowed(np.repeat(np.arange(n_rows), m), cand.ravel()).reshape(n_rows, m)
    vals = np.where(ok, cut, -np.inf)
    idx, val = top_k_rows(vals, k)
    out_idx = np.where(idx >= 0, np.take_along_axis(cand, np.maximum(idx, 0), axis=1), -1)
    # The m-th best score bounds everything outside the candidates: a row is exact when its
    # k-th allowed score is above that bound (a tie at the bound could hide a lower index).
    bound = cut.min(axis=1)
    redo = np.flatnonzero(~(val[:, -1] > bound))
    for r in redo:
        cols = np.arange(n)
        row_ok = allowed(np.full(n, r), cols)
        i1, v1 = top_k_rows(np.where(row_ok, scores[r], -np.inf)[None, :], k)
        out_idx[r], val[r] = i1[0], v1[0]
    return out_idx, val
