"""The ranker this process serves, kept in app state and rebuilt only when something changed.

Every matches request runs one small query (:func:`signature`): the active model version's id
(through the partial unique index on ``status = 'active'``) and the count and latest
``updated_at`` of projects and investor profiles. The served ranker is rebuilt when

* the active version changed (activation, rollback, a new ``kyoso train``): its artifact is
  loaded from the database, checked against its sha256, and refreshed with the current
  records — so every replica switches on its next request, no restart;
* projects or investor profiles changed: ``ranker.refresh(...)`` (learned weights kept) or, with
  no active version, a new :class:`matching.ContentRanker`;
* new events arrived and the served catalogue is older than ``events_ttl`` seconds (60 s):
  behaviour features (popularity, collaborative factors) follow within a minute. A request for
  one investor always uses that investor's own latest events (``history=``), so its own views,
  bookmarks and declines count at once.

The CPU work runs in a worker thread; the new ranker replaces the old one only when complete,
so concurrent requests keep using a consistent one.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import anyio.to_thread
from litestar.datastructures import State
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

import matching
from service.matching.records import Catalogue, load_catalogue
from service.matching.store import active_artifact
from service.models import InteractionEvent, InvestorProfile, ModelVersion, Project
from service.models.matching import ModelStatus

_log = logging.getLogger("kyoso.matching")
EVENTS_TTL_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class Signature:
    active_id: uuid.UUID | None
    records: tuple[Any, ...]
    last_event: datetime | None


@dataclass(frozen=True, slots=True)
class Served:
    """A fitted ranker (``None`` when there is nothing to rank) and the catalogue it holds."""

    ranker: matching.Ranker | None
    kind: str
    model_version: str | None
    model_id: uuid.UUID | None
    catalogue: Catalogue
    signature: Signature
    built_at: float


async def signature(session: AsyncSession) -> Signature:
    """One round trip: the active version id, and what the records and events look like now."""
    mv = ModelVersion.__table__.c  # type: ignore[attr-defined]
    prj, inv = Project.__table__, InvestorProfile.__table__  # type: ignore[attr-defined]
    evt = InteractionEvent.__table__.c  # type: ignore[attr-defined]
    row = (
        await session.execute(
            select(
                select(mv.id).where(mv.status == ModelStatus.active.value).scalar_subquery(),
                select(func.count()).select_from(prj).scalar_subquery(),
                select(func.max(prj.c.updated_at)).scalar_subquery(),
                select(func.count()).select_from(inv).scalar_subquery(),
                select(func.max(inv.c.updated_at)).scalar_subquery(),
                select(func.max(evt.at)).scalar_subquery(),
            )
        )
    ).one()
    return Signature(active_id=row[0], records=tuple(row[1:5]), last_event=row[5])


class MatchingRuntime:
    """Holds the served ranker for one process (see the module docstring for when it is rebuilt)."""

    def __init__(self, *, events_ttl: float = EVENTS_TTL_SECONDS) -> None:
        self.events_ttl = events_ttl
        self._served: Served | None = None
        self._artifact: tuple[uuid.UUID, bytes, str] | None = None
        self._lock = asyncio.Lock()

    def _fresh(self, served: Served | None, sig: Signature) -> bool:
        if served is None:
            return False
        old = served.signature
        if old.active_id != sig.active_id or old.records != sig.records:
            return False
        return old.last_event == sig.last_event or time.monotonic() - served.built_at < self.events_ttl

    async def current(self, session: AsyncSession) -> Served:
        sig = await signature(session)
        if self._fresh(self._served, sig):
            assert self._served is not None
            return self._served
        async with self._lock:
            if not self._fresh(self._served, sig):
                self._served = await self._build(session, sig)
            assert self._served is not None
            return self._served

    async def _build(self, session: AsyncSession, sig: Signature) -> Served:
        catalogue = await load_catalogue(session)
        model_id, version, blob = sig.active_id, None, None
        if model_id is not None:
            if self._artifact is not None and self._artifact[0] == model_id:
                blob, version = self._artifact[1], self._artifact[2]
            else:
                found = await active_artifact(session, model_id)
                if found is not None and hashlib.sha256(found[0]).hexdigest() == found[1]:
                    blob, version = found[0], found[2]
                    self._artifact = (model_id, blob, version)
                else:
                    _log.error("model version %s is missing or fails its sha256 check; serving content", model_id)
        ranker = await anyio.to_thread.run_sync(_fit, catalogue, blob)
        if ranker is None or ranker.ranker_kind != "learned":
            model_id, version = None, None
        kind = ranker.ranker_kind if ranker is not None else "content"
        return Served(ranker, kind, version, model_id, catalogue, sig, time.monotonic())


def _fit(catalogue: Catalogue, blob: bytes | None) -> matching.Ranker | None:
    records = (catalogue.investors, catalogue.projects, catalogue.events)
    if blob is not None:
        try:
            return matching.load_model(blob).refresh(*records)
        except matching.MatchingError:
            _log.exception("the active model cannot be loaded; serving the content ranker")
    if not catalogue.projects or not catalogue.investors:
        return None
    return matching.ContentRanker().fit(*records)


def runtime_of(state: State) -> MatchingRuntime:
    runtime: MatchingRuntime | None = state.get("matching")
    if runtime is None:
        runtime = MatchingRuntime()
        state.matching = runtime
    return runtime
