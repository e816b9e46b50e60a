"""Model versions: train from the database's events, store the artifact (bytea + sha256),
activate one version, roll back to the previous one.

Exactly one version is ``active`` at a time (a partial unique index); activation retires the
previous one in the same transaction, and rollback re-activates the most recently activated
retired version. Services only flush; the caller's transaction commits.

**The gate** (service/matching/gate.py): every new version is judged on its held-out split and
stores the verdict (``gate_passed``, ``gate_reason``, ``gate``). Training activates it only if it
passed; a version that lost stays a ``candidate`` and whatever was served keeps serving.
Activating or rolling back to a version that failed is refused (409 ``model.gate_failed``)
unless the admin passes ``override=True``; the override is recorded on the version and in the
audit log. Training, activation and rollback are audited.
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
from service.audit.service import append as audit
from service.errors import Conflict, NotFound
from service.matching.gate import judge, reason_message
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
    margin: float = 0.01,
    actor_id: uuid.UUID | None = None,
) -> tuple[ModelVersion, matching.TrainResult]:
    """Train on every event in the database and store a new version, judged by the gate with
    ``margin``; it is activated when ``activate`` and it passed, else it stays a candidate.

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
    verdict = judge(result.metrics, margin=margin)
    version.gate_passed, version.gate_reason, version.gate = verdict.passed, verdict.reason, verdict.figures()
    session.add(version)
    await session.flush()
    await audit(
        session,
        actor_id=actor_id,
        action="model.train",
        object_type="model_version",
        object_id=version.id,
        payload={"version": version.version, "trained_by": version.trained_by, **_verdict_payload(version)},
    )
    if activate and verdict.passed:
        await activate_version(session, version.id, actor_id=actor_id)
        await session.refresh(version)
    return version, result


def _verdict_payload(row: Any) -> dict[str, Any]:
    return {"gate_passed": row.gate_passed, "gate_reason": row.gate_reason, "gate": _json_safe(dict(row.gate))}


async def list_versions(session: AsyncSession) -> list[Any]:
    rows = await session.execute(select(*SUMMARY_COLUMNS).order_by(MV.created_at.desc(), MV.id.desc()))
    return list(rows)


async def get_version(session: AsyncSession, version_id: uuid.UUID) -> Any:
    row = (await session.execute(select(*SUMMARY_COLUMNS).where(MV.id == version_id))).first()
    if row is None:
        raise MESSAGES.error(NotFound, "model_version.not_found")
    return row


async def activate_version(
    session: AsyncSession, version_id: uuid.UUID, *, override: bool = False, actor_id: uuid.UUID | None = None
) -> Any:
    """Make ``version_id`` the served model; the previously active one becomes ``retired``.

    A version that failed the gate is refused unless ``override`` (recorded on it and audited)."""
    target = await get_version(session, version_id)
    if target.status == ModelStatus.active:
        return target
    if target.gate_passed is not True and not override:
        raise MESSAGES.error(Conflict, "model.gate_failed", gate=reason_message(target.gate_reason, target.gate))
    gate = dict(target.gate)
    if target.gate_passed is not True:
        gate["overridden_at"] = utcnow().isoformat()
    await session.execute(
        update(ModelVersion.__table__).where(MV.status == ModelStatus.active.value).values(status="retired")
    )
    await session.execute(
        update(ModelVersion.__table__)
        .where(MV.id == version_id)
        .values(status=ModelStatus.active.value, activated_at=utcnow(), gate=gate)
    )
    await audit(
        session,
        actor_id=actor_id,
        action="model.activate",
        object_type="model_version",
        object_id=version_id,
        payload={"version": target.version, "override": "overridden_at" in gate, **_verdict_payload(target)},
    )
    return await get_version(session, version_id)


async def rollback_version(session: AsyncSession, *, override: bool = False, actor_id: uuid.UUID | None = None) -> Any:
    """Re-activate the version that was active before the current one, skipping versions that
    failed the gate unless ``override``."""
    active = await session.scalar(select(MV.id).where(MV.status == ModelStatus.active.value))
    statement = select(MV.id).where(
        MV.status == ModelStatus.retired.value, MV.activated_at.is_not(None), MV.id != active
    )
    if not override:
        statement = statement.where(MV.gate_passed.is_(True))
    previous = await session.scalar(statement.order_by(MV.activated_at.desc()).limit(1))
    if previous is None:
        raise MESSAGES.error(Conflict, "model.no_previous_version")
    return await activate_version(session, previous, override=override, actor_id=actor_id)


async def active_artifact(session: AsyncSession, version_id: uuid.UUID) -> tuple[bytes, str, str] | None:
    """(artifact, sha256, version label) of a version, or None when it is gone."""
    row = (await session.execute(select(MV.artifact, MV.sha256, MV.version).where(MV.id == version_id))).first()
    return None if row is None else (bytes(row.artifact), row.sha256, row.version)
