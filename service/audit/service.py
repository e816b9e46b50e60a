"""The tamper-evident audit log: every entry stores the hash of the one before it.

``hash = sha256(canonical JSON of {seq, at, actor, action, object_type, object_id, payload,
prev_hash})``; canonical JSON = sorted keys, no spaces, UTF-8. Appends run inside the request's
transaction and take a transaction-scoped advisory lock first, so two concurrent requests cannot
both extend the same head (the chain cannot fork). A trigger (migration 0004) refuses UPDATE,
DELETE and TRUNCATE on ``audit_entry``.

Append last in a request: the lock is held until commit, so an append followed by other row
locks could deadlock against a request doing the reverse.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from service.audit.messages import MESSAGES
from service.audit.schemas import ChainReport
from service.errors import Message
from service.models import AuditEntry
from service.models.base import utcnow

GENESIS_HASH = "0" * 64
#: Key of the advisory lock serialising appends ("KYOSOAUD" as an int64).
AUDIT_LOCK_KEY = int.from_bytes(b"KYOSOAUD", "big") & 0x7FFF_FFFF_FFFF_FFFF
_BATCH = 1000


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def entry_hash(
    *,
    seq: int,
    at: str,
    actor: str | None,
    action: str,
    object_type: str,
    object_id: str,
    payload: Any,
    prev_hash: str,
) -> str:
    body = {
        "seq": seq,
        "at": at,
        "actor": actor,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "payload": payload,
        "prev_hash": prev_hash,
    }
    return hashlib.sha256(canonical_json(body).encode()).hexdigest()


def _hash_of(entry: AuditEntry) -> str:
    return entry_hash(
        seq=entry.seq,
        at=entry.at.isoformat(),
        actor=str(entry.actor_id) if entry.actor_id else None,
        action=entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        payload=json.loads(entry.payload),
        prev_hash=entry.prev_hash,
    )


async def append(
    session: AsyncSession,
    *,
    actor_id: uuid.UUID | None,
    action: str,
    object_type: str,
    object_id: uuid.UUID | str,
    payload: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the chain inside the caller's transaction (flushes it)."""
    await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_LOCK_KEY})
    head = (
        await session.execute(select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1))
    ).first()
    seq, prev_hash = (head.seq + 1, head.hash) if head else (1, GENESIS_HASH)
    # Through JSON once, so what is hashed is exactly what verification will read back.
    body = json.loads(canonical_json(payload or {}))
    entry = AuditEntry(
        seq=seq,
        at=utcnow(),
        actor_id=actor_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        payload=canonical_json(body),
        prev_hash=prev_hash,
        hash="",
    )
    entry.hash = _hash_of(entry)
    session.add(entry)
    await session.flush()
    return entry


async def _entries(session: AsyncSession) -> AsyncIterator[AuditEntry]:
    after = 0
    while True:
        batch = list(
            (
                await session.execute(
                    select(AuditEntry).where(AuditEntry.seq > after).order_by(AuditEntry.seq).limit(_BATCH)
                )
            ).scalars()
        )
        for entry in batch:
            yield entry
        if len(batch) < _BATCH:
            return
        after = batch[-1].seq


async def verify_chain(session: AsyncSession) -> ChainReport:
    """Walk the chain in order; report the first entry whose link or hash does not hold."""
    expected_seq, prev_hash, count = 1, GENESIS_HASH, 0
    async for entry in _entries(session):
        problem: Message | None = None
        if entry.seq != expected_seq:
            problem = MESSAGES.text("audit.sequence_gap", seq=entry.seq, expected_seq=expected_seq)
        elif entry.prev_hash != prev_hash:
            problem = MESSAGES.text("audit.prev_hash_mismatch", seq=entry.seq)
        elif _hash_of(entry) != entry.hash:
            problem = MESSAGES.text("audit.hash_mismatch", seq=entry.seq)
        if problem:
            return ChainReport(
                ok=False,
                entries=count,
                head_seq=None,
                head_hash=None,
                broken_seq=entry.seq,
                problem_ja=problem.ja,
                problem_en=problem.en,
            )
        expected_seq, prev_hash, count = entry.seq + 1, entry.hash, count + 1
        session.expunge(entry)
    return ChainReport(ok=True, entries=count, head_seq=count or None, head_hash=prev_hash if count else None)


async def page(
    session: AsyncSession, *, object_type: str | None, object_id: str | None, limit: int, offset: int
) -> tuple[list[AuditEntry], int]:
    where = []
    if object_type is not None:
        where.append(AuditEntry.object_type == object_type)
    if object_id is not None:
        where.append(AuditEntry.object_id == object_id)
    total = (await session.execute(select(func.count()).select_from(AuditEntry).where(*where))).scalar_one()
    rows = (
        await session.execute(
            select(AuditEntry).where(*where).order_by(AuditEntry.seq.desc()).limit(limit).offset(offset)
        )
    ).scalars()
    return list(rows), int(total)
