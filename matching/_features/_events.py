"""Events as integer arrays aligned to the investor and project lists in use."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import NamedTuple

import numpy as np

from .._records import EVENT_KINDS, EventRecord

VIEW, BOOKMARK, INTEREST, DECLINE, COMMIT = range(5)
KIND_CODE = {k: i for i, k in enumerate(EVENT_KINDS)}
# How much an event says about taste, for histories and collaborative factors.
KIND_WEIGHT = np.array([0.25, 1.0, 2.0, 0.0, 3.0], np.float32)
# Graded relevance of a label: view and decline are not relevant.
KIND_GAIN = np.array([0.0, 1.0, 2.0, 0.0, 3.0], np.float32)


class Interactions(NamedTuple):
    inv: np.ndarray
    proj: np.ndarray
    kind: np.ndarray
    at: np.ndarray  # POSIX seconds

    def where(self, mask: np.ndarray) -> Interactions:
        return Interactions(self.inv[mask], self.proj[mask], self.kind[mask], self.at[mask])

    def before(self, t: float) -> Interactions:
        return self.where(self.at < t)

    def since(self, t: float) -> Interactions:
        return self.where(self.at >= t)

    def __len__(self) -> int:
        return int(self.inv.shape[0])


def encode_events(
    events: Iterable[EventRecord], inv_index: Mapping[str, int], proj_index: Mapping[str, int]
) -> Interactions:
    """Events whose investor or project is not in the indexes are dropped."""
    inv, proj, kind, at = [], [], [], []
    for e in events:
        i = inv_index.get(e.investor_id)
        j = proj_index.get(e.project_id)
        if i is None or j is None:
            continue
        inv.append(i)
        proj.append(j)
        kind.append(KIND_CODE[e.kind])
        at.append(e.at.timestamp())
    return Interactions(
        np.array(inv, np.int64), np.array(proj, np.int64), np.array(kind, np.int8), np.array(at, np.float64)
    )


def timestamp(t: datetime | float) -> float:
    return t if isinstance(t, float) else t.timestamp()
