"""The tamper-evident audit log: every entry is signed (HMAC-SHA256 with the audit key) over
its content and the hash of the one before it; see :mod:`service.audit.chain`.

Appends run inside the request's transaction and take a transaction-scoped advisory lock first,
so two concurrent requests cannot both extend the same head (the chain cannot fork). A trigger
(migration 0004) refuses UPDATE, DELETE and TRUNCATE on ``audit_entry``, and the app's database
role holds only SELECT and INSERT on it (``service.db.roles``). Someone who can still rewrite
rows (a superuser) cannot recompute the hashes without the key, which lives outside the database.
Deleting the newest entries leaves a chain that still links up; only a head kept outside the
database catches that (``verify_chain(..., expected_head=(seq, hash))``; ``kyoso audit verify``
keeps the last verified head in ``$KYOSO_DATA_DIR/audit-head``).

Append last in a request: the lock is held until commit, so an append followed by other row
locks could deadlock against a request doing the reverse.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from service.audit import keys
from service.audit.chain import GENESIS_HASH, canonical_json, check, keyed_hash
from service.audit.keys import AuditKeyring
from service.audit.messages import MESSAGES
from service.audit.schemas import ChainReport
from service.models import AuditEntry
from service.models.base import utcnow

__all__ = ["AUDIT_LOCK_KEY", "GENESIS_HASH", "append", "canonical_json", "entries_in_order", "page", "verify_chain"]

#: Key of the advisory lock serialising appends ("KYOSOAUD" as an int64).
AUDIT_LOCK_KEY = int.from_bytes(b"KYOSOAUD", "big") & 0x7FFF_FFFF_FFFF_FFFF
_BATCH = 1000


async def append(
    session: AsyncSession,
    *,
    actor_id: uuid.UUID | None,
    action: str,
    object_type: str,
    object_id: uuid.UUID | str,
    payload: dict[str, Any] | None = None,
    keyring: AuditKeyring | None = None,
) -> AuditEntry:
    """Append one entry to the chain inside the caller's transaction (flushes it), signed with
    the current audit key (``keyring``, else the session's or the process's, see ``keys.resolve``)."""
    ring = keyring or keys.resolve(session.info)
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
        key_id=ring.current_id,
    )
    entry.hash = keyed_hash(entry, ring, ring.current_id)
    session.add(entry)
    await session.flush()
    return entry


async def entries_in_order(session: AsyncSession) -> AsyncIterator[AuditEntry]:
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


def _truncated(count: int, expected: tuple[int, str], seen: str | None) -> ChainReport | None:
    """The report of a chain that ends before the anchored head, or whose entry at the anchored
    seq is not the anchored one (the tail was removed and written anew); None if it holds."""
    seq, expected_hash = expected
    if count >= seq and seen == expected_hash:
        return None
    if count < seq:
        text = MESSAGES.text("audit.truncated", expected_seq=seq, head_seq=count)
        broken = count + 1
    else:
        text = MESSAGES.text("audit.head_mismatch", expected_seq=seq)
        broken = seq
    return ChainReport(
        ok=False,
        entries=count,
        head_seq=None,
        head_hash=None,
        broken_seq=broken,
        problem_ja=f"seq {broken}: {text.ja}",
        problem_en=f"seq {broken}: {text.en}",
        problem_code="truncated",
    )


async def verify_chain(
    session: AsyncSession,
    keyring: AuditKeyring | None = None,
    *,
    expected_head: tuple[int, str] | None = None,
) -> ChainReport:
    """Walk the chain in order; report the first entry whose link or keyed hash does not hold.

    The chain alone cannot tell that its newest entries were deleted: what is left still links
    up. ``expected_head`` is a (seq, hash) published or stored earlier (a former report's
    ``head_seq``/``head_hash``): a chain that ends before it, or whose entry at that seq has
    another hash, is reported with ``problem_code="truncated"``."""
    ring = keyring or keys.resolve(session.info)
    expected_seq, prev_hash, count = 1, GENESIS_HASH, 0
    key_ids: list[str] = []
    hash_at_anchor: str | None = None
    async for entry in entries_in_order(session):
        problem = check(entry, expected_seq=expected_seq, prev_hash=prev_hash, keyring=ring)
        if problem:
            return ChainReport(
                ok=False,
                entries=count,
                head_seq=None,
                head_hash=None,
                broken_seq=entry.seq,
                problem_ja=f"seq {entry.seq}: {problem.ja}",
                problem_en=f"seq {entry.seq}: {problem.en}",
                problem_code=problem.kind,
                key_ids=key_ids,
            )
        if entry.key_id is not None and entry.key_id not in key_ids:
            key_ids.append(entry.key_id)
        if expected_head is not None and entry.seq == expected_head[0]:
            hash_at_anchor = entry.hash
        expected_seq, prev_hash, count = entry.seq + 1, entry.hash, count + 1
        session.expunge(entry)
    if expected_head is not None:
        truncated = _truncated(count, expected_head, hash_at_anchor)
        if truncated is not None:
            truncated.key_ids = key_ids
            return truncated
    return ChainReport(
        ok=True, entries=count, head_seq=count or None, head_hash=prev_hash if count else None, key_ids=key_ids
    )


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
