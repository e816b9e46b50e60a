"""The ranker this process serves, kept in app state and rebuilt only when something changed.

Every matches request runs one tiny query (:func:`signature`): the active model version's id
(through the partial unique index on ``status = 'active'``) and the sums of the two version
counters in ``matching_change``, which triggers bump in the same transaction as any change to
projects, investor profiles or model versions (``catalogue``) and to interaction events
(``events``) — so the request scans nothing, and a change committed through one replica is
seen by every other replica on its next request. The served ranker is rebuilt when

* the active version changed (activation, rollback, a new ``kyoso train``): its artifact is
  loaded from the database, checked against its sha256, and refreshed with the current
  records;
* projects, investor profiles or model versions changed: ``ranker.refresh(...)`` (learned
  weights kept) or, with no active version, a new :class:`matching.ContentRanker`;
* new events arrived and the served catalogue is older than ``events_ttl`` seconds (60 s):
  behaviour features (popularity, collaborative factors) follow within a minute. A request for
  one investor always uses that investor's own latest events (``history=``), so its own views,
  bookmarks and declines count at once.

Each build also says which ranker it serves and why (:class:`Served` ``reason``): the active
version and its gate verdict, a newer version the gate turned down, or no model at all.

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

import anyio.to_thread
from litestar.datastructures import State
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

import matching
from service.errors import Message
from service.matching.candidates import CandidateIndex
from service.matching.gate import reason_message
from service.matching.messages import MESSAGES
from service.matching.records import Catalogue, load_catalogue
from service.matching.store import active_artifact
from service.models import ModelVersion
from service.models.matching import MatchingChange, ModelStatus

_log = logging.getLogger("kyoso.matching")
EVENTS_TTL_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class Signature:
    active_id: uuid.UUID | None
    catalogue: int
    events: int


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
    #: Why this ranker serves (the gate's verdict, or why there is no learned model): its code and text.
    reason_code: str
    reason: Message
    #: The catalogue's projects as arrays, for filtering candidates before ranking.
    candidates: CandidateIndex


async def signature(session: AsyncSession) -> Signature:
    """One round trip over eight tiny rows: the active version id and the change counters."""
    mv = ModelVersion.__table__.c  # type: ignore[attr-defined]
    mc = MatchingChange.__table__.c  # type: ignore[attr-defined]
    row = (
        await session.execute(
            select(
                select(mv.id).where(mv.status == ModelStatus.active.value).scalar_subquery(),
                func.coalesce(func.sum(mc.catalogue), 0),
                func.coalesce(func.sum(mc.events), 0),
            )
        )
    ).one()
    return Signature(active_id=row[0], catalogue=int(row[1]), events=int(row[2]))


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
        if old.active_id != sig.active_id or old.catalogue != sig.catalogue:
            return False
        return old.events == sig.events or time.monotonic() - served.built_at < self.events_ttl

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
        unloadable: str | None = None
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
                    unloadable = found[2] if found is not None else str(model_id)
        ranker = await anyio.to_thread.run_sync(_fit, catalogue, blob)
        if ranker is None or ranker.ranker_kind != "learned":
            if blob is not None:
                unloadable = version
            model_id, version = None, None
        kind = ranker.ranker_kind if ranker is not None else "content"
        code, reason = await _reason(session, model_id, unloadable)
        index = await anyio.to_thread.run_sync(CandidateIndex.build, catalogue, ranker)
        return Served(ranker, kind, version, model_id, catalogue, sig, time.monotonic(), code, reason, index)


async def _reason(session: AsyncSession, served_id: uuid.UUID | None, unloadable: str | None) -> tuple[str, Message]:
    """Why the served ranker serves: the active version's verdict, or why no learned model does."""
    mv = ModelVersion.__table__.c  # type: ignore[attr-defined]
    columns = (mv.id, mv.version, mv.status, mv.gate_passed, mv.gate_reason, mv.gate, mv.created_at)
    latest = (await session.execute(select(*columns).order_by(mv.created_at.desc(), mv.id.desc()).limit(1))).first()
    if unloadable is not None:
        return "model.serving.unloadable", MESSAGES.text("model.serving.unloadable", version=unloadable)
    rejected = latest if latest is not None and latest.gate_passed is not True and latest.id != served_id else None
    active = None
    if served_id is not None:
        active = (await session.execute(select(*columns).where(mv.id == served_id))).first()
    if active is None:
        if rejected is None:
            return "model.serving.no_model", MESSAGES.text("model.serving.no_model")
        gate = reason_message(rejected.gate_reason, rejected.gate)
        text = MESSAGES.text("model.serving.content_over_rejected", latest=rejected.version, gate=gate)
        return "model.serving.content_over_rejected", text
    if rejected is not None and rejected.created_at > active.created_at:
        gate = reason_message(rejected.gate_reason, rejected.gate)
        text = MESSAGES.text(
            "model.serving.previous_over_rejected", latest=rejected.version, gate=gate, version=active.version
        )
        return "model.serving.previous_over_rejected", text
    verdict = reason_message(active.gate_reason, active.gate)
    if active.gate_passed is not True:
        verdict = MESSAGES.text("model.gate.overridden", gate=verdict)
    return "model.serving.learned", MESSAGES.text("model.serving.learned", version=active.version, gate=verdict)


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
