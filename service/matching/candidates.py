"""Candidates before ranking: the served catalogue's projects as arrays, so a matches request
masks out what it must not show (status, hard constraints, the caller's filters, declines) in a
few vectorised operations and ranks only what is left, taking just the page it needs.

::

    index = CandidateIndex.build(catalogue, ranker)        # once per served ranker
    keep = index.mask(sectors={"energy"}, instruments=set(), prefecture=31) & eligible & ~declined
    columns, total = index.page(scores, keep, offset=0, limit=20)

The arrays follow ``ranker.project_ids_`` (the ranker's columns); the version counter rebuilds
the index with the ranker on any project change.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

import matching
from service.matching.records import Catalogue


@dataclass(frozen=True)
class CandidateIndex:
    sector: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int16))
    instrument: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int16))
    #: Bit ``code - 1`` set for each of the project's prefectures (47 fit in an int64).
    prefectures: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    sectors: dict[str, int] = field(default_factory=dict)
    instruments: dict[str, int] = field(default_factory=dict)
    #: Per investor id: (number of events, time of the last) in the ranker's catalogue, to tell
    #: whether a request's fresh history is still the one the catalogue was built with.
    histories: dict[str, tuple[int, datetime]] = field(default_factory=dict)

    @classmethod
    def build(cls, catalogue: Catalogue, ranker: matching.Ranker | None) -> CandidateIndex:
        if ranker is None:
            return cls()
        facts = catalogue.project_facts
        rows = [facts[pid] for pid in ranker.project_ids_]
        sectors = {s: i for i, s in enumerate(sorted({f.sector for f in rows}))}
        instruments = {s: i for i, s in enumerate(sorted({f.instrument for f in rows}))}
        bits = np.zeros(len(rows), np.int64)
        for j, f in enumerate(rows):
            for code in f.prefecture_codes:
                if 1 <= code <= 47:
                    bits[j] |= 1 << (code - 1)
        histories: dict[str, tuple[int, datetime]] = {}
        for e in catalogue.events:  # sorted by time
            histories[e.investor_id] = (histories.get(e.investor_id, (0, e.at))[0] + 1, e.at)
        return cls(
            histories=histories,
            sector=np.array([sectors[f.sector] for f in rows], np.int16),
            instrument=np.array([instruments[f.instrument] for f in rows], np.int16),
            prefectures=bits,
            sectors=sectors,
            instruments=instruments,
        )

    def mask(self, *, sectors: Collection[str], instruments: Collection[str], prefecture: int | None) -> np.ndarray:
        """Projects that pass the caller's filters (an empty filter passes everything); whether
        they are open and the pair is eligible is the ranker's part (``ranker.eligible_rows``)."""
        keep = np.ones(len(self.sector), bool)
        if sectors:
            keep &= np.isin(self.sector, [self.sectors[s] for s in sectors if s in self.sectors])
        if instruments:
            keep &= np.isin(self.instrument, [self.instruments[i] for i in instruments if i in self.instruments])
        if prefecture is not None:
            keep &= (self.prefectures & np.int64(1 << (prefecture - 1))) != 0
        return keep

    def same_history(self, investor_id: str, history: Sequence[matching.EventRecord]) -> bool:
        """Whether ``history`` (the investor's events now, by time) is what the catalogue holds."""
        seen = self.histories.get(investor_id)
        if seen is None:
            return not history
        return len(history) == seen[0] and history[-1].at == seen[1]

    @staticmethod
    def page(scores: np.ndarray, keep: np.ndarray, *, offset: int, limit: int) -> tuple[np.ndarray, int]:
        """Column indices of ranks ``offset … offset + limit`` among ``keep`` by descending score
        (ties by column), and how many are kept: a partial sort of only what the page needs."""
        cand = np.flatnonzero(keep)
        total = len(cand)
        want = min(offset + limit, total)
        if want == 0:
            return cand[:0], total
        s = scores[cand]
        if want < total:
            # Everything scoring at least the want-th best: ties at the cut stay deterministic.
            kth = -np.partition(-s, want - 1)[want - 1]
            cand, s = cand[s >= kth], s[s >= kth]
        order = np.lexsort((cand, -s))
        return cand[order][offset : offset + limit], total
