"""The hidden side of a synthetic market: what each investor really values.

True utility of investor i for project j (eligible pairs only)::

    u = 2.0 · sector_affinity[i, sector_j]          (taste for the sector)
      + region_weight_i · exp(-(km(home_i, j)/300)²)  (care for nearby regions)
      + 0.6 · risk_fit(risk_i, stage_j)             (stage vs risk appetite)
      + 0.8 · theme_i · impact_j / |impact_j|       (impact alignment)
      + taste_i · taste_j                           (latent taste, rank 8)
      + quality_j + 0.4 · ticket_fit(i, j) - 2.5

``relevance = P(commit | viewed) = σ(1.2(u-1))·σ(1.2(u-1.5))·σ(1.2(u-2))``: the funnel's
own probabilities, which is the gain used for "true-utility NDCG".
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from .._geo import PREFECTURE_LATLNG, haversine_km
from .._records import SECTORS

# Where each stage sits on the risk scale 0 (low) … 2 (high).
STAGE_RISK = np.array([2.0, 1.5, 0.6, 1.0])
METRICS = ("KY-LM3", "KY-JOBS", "KY-CO2", "KY-SROI", "KY-RVA", "KY-COVERAGE", "KY-KANKEI")
THEMES = ("local_economy", "jobs", "decarbonisation", "social_return", "value_added", "access", "relation_population")
# Typical strength of each metric per sector (rows follow SECTORS, columns follow METRICS).
SECTOR_IMPACT = np.array(
    [
        [1.2, 0.6, 0.8, 0.8, 0.6, 1.5, 0.6],  # mobility
        [0.8, 0.8, 0.1, 1.2, 0.6, 1.5, 0.2],  # medical_care
        [0.9, 1.2, 0.1, 1.2, 0.6, 1.2, 0.2],  # elderly_care
        [1.5, 0.8, 0.2, 0.5, 1.0, 1.2, 0.3],  # retail
        [1.3, 0.6, 1.8, 0.6, 1.2, 0.5, 0.3],  # energy
        [0.8, 0.5, 0.4, 0.6, 0.8, 0.4, 1.5],  # vacant_houses
        [0.6, 0.5, 0.1, 1.4, 0.5, 1.0, 0.8],  # education
        [0.6, 0.7, 0.1, 1.4, 0.4, 1.2, 0.6],  # childcare
        [0.7, 0.6, 0.2, 0.7, 0.4, 1.4, 0.2],  # snow_removal
        [1.4, 1.0, 0.6, 0.5, 1.3, 0.3, 0.9],  # agriculture
        [1.2, 1.0, 0.3, 0.4, 1.2, 0.3, 1.6],  # tourism
        [0.6, 0.4, 0.5, 1.0, 0.4, 1.3, 0.3],  # disaster_resilience
        [0.9, 0.9, 0.6, 0.7, 1.0, 1.1, 0.9],  # digital
    ]
)
LATENT_DIM = 8


def sigmoid(x: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-x)))


class GroundTruth(Protocol):
    """What evaluation needs of a market's hidden truth (:class:`Truth` and the structured ones)."""

    def utility(self, rows: np.ndarray, cols: np.ndarray | None = None) -> np.ndarray: ...

    def relevance(self, rows: np.ndarray, cols: np.ndarray | None = None) -> np.ndarray: ...


class Truth:
    """Arrays of hidden preferences and project traits, row-aligned with the records."""

    def __init__(
        self,
        *,
        sector_affinity: np.ndarray,
        home: np.ndarray,
        region_weight: np.ndarray,
        risk: np.ndarray,
        theme: np.ndarray,
        taste_i: np.ndarray,
        ticket_lo: np.ndarray,
        ticket_hi: np.ndarray,
        sector: np.ndarray,
        latlng: np.ndarray,
        stage: np.ndarray,
        impact: np.ndarray,
        taste_j: np.ndarray,
        quality: np.ndarray,
        min_ticket: np.ndarray,
    ) -> None:
        self.sector_affinity, self.home, self.region_weight = sector_affinity, home, region_weight
        self.risk, self.theme, self.taste_i = risk, theme, taste_i
        self.ticket_lo, self.ticket_hi = ticket_lo, ticket_hi
        self.sector, self.latlng, self.stage, self.impact = sector, latlng, stage, impact
        self.taste_j, self.quality, self.min_ticket = taste_j, quality, min_ticket
        norms = np.linalg.norm(impact, axis=1, keepdims=True)
        self._impact_unit = impact / np.maximum(norms, 1e-9)

    def utility(self, rows: np.ndarray, cols: np.ndarray | None = None) -> np.ndarray:
        """True utility for investors ``rows`` against projects ``cols`` (all when None)."""
        c = slice(None) if cols is None else cols
        u = 2.0 * self.sector_affinity[rows][:, self.sector[c]]
        km = haversine_km(
            self.home[rows, 0][:, None],
            self.home[rows, 1][:, None],
            self.latlng[c, 0][None, :],
            self.latlng[c, 1][None, :],
        )
        u += self.region_weight[rows][:, None] * np.exp(-((km / 300.0) ** 2))
        u += 0.6 * (1.0 - np.abs(self.risk[rows][:, None] - STAGE_RISK[self.stage[c]][None, :]))
        u += 0.8 * self.theme[rows] @ self._impact_unit[c].T
        u += self.taste_i[rows] @ self.taste_j[c].T
        u += self.quality[c][None, :]
        # A project whose minimum ticket sits in the middle of the investor's range fits best.
        mid = (np.log10(self.ticket_lo[rows]) + np.log10(self.ticket_hi[rows])) / 2
        u += 0.4 * (1.0 - np.minimum(np.abs(np.log10(self.min_ticket[c])[None, :] - mid[:, None]), 2.0))
        return np.asarray(u - 2.5)

    def relevance(self, rows: np.ndarray, cols: np.ndarray | None = None) -> np.ndarray:
        return funnel_probabilities(self.utility(rows, cols)).prod(axis=0)


def funnel_probabilities(u: np.ndarray) -> np.ndarray:
    """P(bookmark | view), P(interest | bookmark), P(commit | interest), stacked on axis 0."""
    return np.stack([sigmoid(1.2 * (u - 1.0)), sigmoid(1.2 * (u - 1.5)), sigmoid(1.2 * (u - 2.0))])


def pref_latlng(prefs: np.ndarray) -> np.ndarray:
    return np.asarray(PREFECTURE_LATLNG[prefs - 1])


N_SECTORS = len(SECTORS)
