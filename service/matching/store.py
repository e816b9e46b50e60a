"""Model versions: train from the database's events, store the artifact (bytea + sha256),
activate one version, roll back to the previous one.

Exactly one version is ``active`` at a time (a partial unique index); activation retires the
previous one in the same transaction, and rollback re-activates the most recently activated
retired version. Services only flush; the caller's transaction commits.
"""

from __future__ import annotations

import hashlib
import math
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

import msgspec
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

import matching
from service.errors import Conflict, NotFound
from service.matching.messages import MESSAGES
from service.matching.records import load_catalogue
from service.models import ModelVersion
from service.models.base import utcnow
from service.models.matching import ModelStatus

MV = ModelVersion.__table__.c  # type: ignore[attr-defined]
#: Every column but the artifact, for lists and status changes.
SUMMARY_COLUMNS = tuple(c for c in ModelVersion.__table__.c if c.name != "artifact")  # type: ignore[attr-defined]


def _json_safe(value: Any) -> Any:
    """Metrics as JSON: NaN (a metric with no cases, e.g. no cold investors) becomes null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    return value


def _when(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None


async def train_and_store(
    session: AsyncSession,
    *,
    trained_by: str,
    activate: bool = True,
    progress: Callable[[str, float], None] | None = None,
    params: dict[str, Any] | None = None,
) -> tuple[ModelVersion, matching.TrainResult]:
    """Train on every event in the database and store a new version (active unless told not).

    Raises :class:`matching.NotEnoughData` (nothing stored) when there are too few events.
    """
    catalogue = await load_catalogue(session)
    result = matching.train(catalogue.investors, catalogue.projects, catalogue.events, progress=progress, params=params)
    blob = result.model.to_bytes()
    stored = matching.load_model(blob)  # what replicas will load: check it loads, and read its label
    training = stored.training_
    version = ModelVersion(
        version=stored.model_version_,
        ranker=stored.ranker_kind,
        trained_by=trained_by[:200],
        window_start=_when(training.get("first_event")),
        window_end=_when(training.get("last_event")),
        n_events=int(training.get("events", len(catalogue.events))),
        n_investors=len(catalogue.investors),
        n_projects=len(catalogue.projects),
        metrics=_json_safe(msgspec.to_builtins(result.metrics)),
        report=result.report,
        artifact=blob,
        artifact_size=len(blob),
        sha256=hashlib.sha256(blob).hexdigest(),
    )
    session.add(version)
    await session.flush()
    if activate:
        await activate_version(session, version.id)
        await session.refresh(version)
    return version, result


async def list_versions(session: AsyncSession) -> list[Any]:
    rows = await session.execute(select(*SUMMARY_COLUMNS).order_by(MV.created_at.desc(), MV.id.desc()))
    return list(rows)


async def get_version(session: AsyncSession, version_id: uuid.UUID) -> Any:
    row = (await session.execute(select(*SUMMARY_COLUMNS).where(MV.id == version_id))).first()
    if row is None:
        raise MESSAGES.error(NotFound, "model_version.not_found")
    return row


async def activate_version(session: AsyncSession, version_id: uuid.UUID) -> Any:
    """Make ``version_id`` the served model; the previously active one becomes ``retired``."""
    target = await get_version(session, version_id)
    if target.status == ModelStatus.active:
        return target
    await session.execute(
        update(ModelVersion.__table__).where(MV.status == ModelStatus.active.value).values(status="retired")
    )
    await session.execute(
        update(ModelVersion.__table__)
        .where(MV.id == version_id)
        .values(status=ModelStatus.active.value, activated_at=utcnow())
    )
    return await get_version(session, version_id)


async def rollback_version(session: AsyncSession) -> Any:
    """Re-activate the version that was active before the current one."""
    active = await session.scalar(select(MV.id).where(MV.status == ModelStatus.active.value))
    previous = await session.scalar(
        select(MV.id)
        .where(MV.status == ModelStatus.retired.value, MV.activated_at.is_not(None), MV.id != active)
        .order_by(MV.activated_at.desc())
        .limit(1)
    )
    if previous is None:
        raise MESSAGES.error(Conflict, "model.no_previous_version")
    return await activate_version(session, previous)


async def active_artifact(session: AsyncSession, version_id: uuid.UUID) -> tuple[bytes, str, str] | None:
    """(artifact, sha256, version label) of a version, or None when it is gone."""
    row = (await session.execute(select(MV.artifact, MV.sha256, MV.version).where(MV.id == version_id))).first()
    return None if row is None else (bytes(row.artifact), row.sha256, row.version)
