"""Exposure and the view → bookmark → interest → commit funnel, with timestamps.

Exposure is a mix: popularity (a project's marketing reach, partly driven by quality),
search on the investor's *stated* preferences, and word of mouth that follows true
utility. Only pairs the platform would show (hard constraints) are ever viewed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import numpy as np

from .._constraints import ConstraintArrays
from .._features._space import SECTOR_INDEX
from .._records import EventKind, EventRecord, InvestorRecord, ProjectRecord
from ._truth import Truth, funnel_probabilities, sigmoid

DAY = 86_400.0
DELAY_DAYS = (2.0, 5.0, 10.0)  # mean wait before bookmark, interest, commit


def simulate_funnel(
    truth: Truth,
    investors: Sequence[InvestorRecord],
    projects: Sequence[ProjectRecord],
    *,
    end: datetime,
    mean_views: float,
    rng: np.random.Generator,
    popularity: np.ndarray,
    chunk: int = 512,
) -> list[EventRecord]:
    cons = ConstraintArrays.build(investors, projects)
    # Exposure can only happen while a project is listed, so drafts and rejects get none.
    listed = np.array([p.status in {"vetted", "funding", "funded", "closed"} for p in projects])
    t_end = end.timestamp()
    c_inv = np.array([inv.created_at.timestamp() for inv in investors])
    c_proj = np.array([p.created_at.timestamp() for p in projects])
    stated_sector = np.zeros((len(investors), truth.sector_affinity.shape[1]), bool)
    for r, inv in enumerate(investors):
        for s in inv.sectors:
            if s in SECTOR_INDEX:
                stated_sector[r, SECTOR_INDEX[s]] = True
    stated_pref = np.zeros((len(investors), 47), bool)
    for r, inv in enumerate(investors):
        for pc in inv.prefectures:
            stated_pref[r, pc - 1] = True
    proj_pref = np.array([p.prefecture for p in projects]) - 1
    activity = rng.lognormal(0.0, 0.8, len(investors))
    activity *= mean_views / activity.mean()
    pop = popularity / popularity.sum()

    inv_ids = [inv.id for inv in investors]
    proj_ids = [p.id for p in projects]
    kinds: tuple[EventKind, ...] = ("view", "bookmark", "interest", "commit")
    out: list[EventRecord] = []
    for first in range(0, len(investors), chunk):
        rows = np.arange(first, min(first + chunk, len(investors)))
        u = truth.utility(rows)
        ok = cons.mask(rows) & listed[None, :]
        overlap = np.clip(t_end - np.maximum(c_inv[rows][:, None], c_proj[None, :]), 0.0, None) / (t_end - c_inv.min())
        ok &= overlap > 0
        search = (1.0 + 3.0 * stated_sector[rows][:, truth.sector]) * (1.0 + 2.0 * stated_pref[rows][:, proj_pref])
        search /= search.sum(axis=1, keepdims=True)
        mouth = np.exp(np.clip(u, -10, 10))
        mouth /= mouth.sum(axis=1, keepdims=True)
        w = (0.45 * pop[None, :] + 0.35 * search + 0.20 * mouth) * overlap * ok
        for r, i in enumerate(rows):
            total = w[r].sum()
            n = rng.poisson(activity[i])
            if total <= 0 or n == 0:
                continue
            seen = np.unique(rng.choice(len(projects), size=n, p=w[r] / total))
            lo = np.maximum(c_inv[i], c_proj[seen])
            t = lo + rng.random(len(seen)) * (t_end - lo)
            probs = funnel_probabilities(u[r, seen])
            t_view = t.copy()
            alive = np.ones(len(seen), bool)
            bookmarked = np.zeros(len(seen), bool)
            for stage, kind in enumerate(kinds):
                if stage > 0:
                    alive &= rng.random(len(seen)) < probs[stage - 1]
                    t = t + rng.exponential(DELAY_DAYS[stage - 1] * DAY, len(seen))
                    alive &= t < t_end
                    if stage == 1:
                        bookmarked = alive.copy()
                out.extend(
                    EventRecord(
                        investor_id=inv_ids[i],
                        project_id=proj_ids[jj],
                        kind=kind,
                        at=datetime.fromtimestamp(float(tt), UTC),
                    )
                    for jj, tt in zip(seen[alive], t[alive], strict=True)
                )
            # Explicit declines: some poor fits are dismissed shortly after the view.
            dec = ~bookmarked & (rng.random(len(seen)) < 0.3 * sigmoid(-u[r, seen] + 0.5))
            td = np.minimum(t_end - 1.0, t_view[dec] + rng.exponential(DAY, int(dec.sum())))
            out.extend(
                EventRecord(
                    investor_id=inv_ids[i],
                    project_id=proj_ids[jj],
                    kind="decline",
                    at=datetime.fromtimestamp(float(tt), UTC),
                )
                for jj, tt in zip(seen[dec], td, strict=True)
            )
    out.sort(key=lambda e: e.at)
    return out
