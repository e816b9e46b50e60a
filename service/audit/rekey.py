"""Re-sign the audit chain with the current key: once for rows from before the key, and to
retire an old key after a rotation.

It first checks the whole chain as it stands (legacy rows by their sha256, keyed rows by their
HMAC; legacy rows only as a prefix) and refuses to touch anything if a link is broken:
re-signing must never launder a tampered row. Then it re-signs every entry from the first one
not signed with the current key up to the head (a changed hash changes every later
``prev_hash``).

A chain turned wholly into "legacy" rows with recomputed sha256 hashes cannot be told from a
genuine old one, which is why ``kyoso serve`` re-signs automatically only once, on the first
start of an embedded data directory after the upgrade, and otherwise an operator runs
``kyoso audit verify`` (which reports every unsigned row) before ``kyoso audit rekey``.

It updates rows, so it must run as the table's owner (the migration role): the owner may
disable the append-only trigger for this one transaction; the app's role may not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from service.audit import keys
from service.audit.chain import GENESIS_HASH, check, keyed_hash
from service.audit.keys import AuditKeyring
from service.audit.schemas import ChainReport
from service.audit.service import AUDIT_LOCK_KEY, entries_in_order

_TRIGGER = "audit_entry_no_update_delete"


@dataclass(frozen=True, slots=True)
class RekeyResult:
    """``resigned`` entries out of ``entries``; ``refused`` is the broken link when nothing was done."""

    entries: int
    resigned: int
    key_id: str
    refused: ChainReport | None = None


async def rekey(session: AsyncSession, keyring: AuditKeyring | None = None) -> RekeyResult:
    """Re-sign, in the caller's transaction, every entry not yet signed with the current key."""
    ring = keyring or keys.resolve(session.info)
    await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_LOCK_KEY})
    expected_seq, old_prev, new_prev, count = 1, GENESIS_HASH, GENESIS_HASH, 0
    updates: list[dict[str, Any]] = []
    seen_keyed = False
    async for entry in entries_in_order(session):
        session.expunge(entry)
        problem = check(entry, expected_seq=expected_seq, prev_hash=old_prev, keyring=ring)
        # Legacy rows can only be a prefix: an unsigned row after a signed one was rewritten.
        if problem is not None and (problem.kind != "unsigned" or seen_keyed):
            report = ChainReport(
                ok=False,
                entries=count,
                head_seq=None,
                head_hash=None,
                broken_seq=entry.seq,
                problem_ja=f"seq {entry.seq}: {problem.ja}",
                problem_en=f"seq {entry.seq}: {problem.en}",
                problem_code=problem.kind,
            )
            return RekeyResult(entries=count, resigned=0, key_id=ring.current_id, refused=report)
        seen_keyed = seen_keyed or entry.key_id is not None
        old_prev = entry.hash
        if updates or entry.key_id != ring.current_id:
            entry.prev_hash, entry.key_id = new_prev, ring.current_id
            entry.hash = keyed_hash(entry, ring, ring.current_id)
            updates.append({"seq": entry.seq, "prev_hash": entry.prev_hash, "key_id": entry.key_id, "hash": entry.hash})
        new_prev, expected_seq, count = entry.hash, entry.seq + 1, count + 1
    if updates:
        await session.execute(text(f"ALTER TABLE audit_entry DISABLE TRIGGER {_TRIGGER}"))
        await session.execute(
            text("UPDATE audit_entry SET prev_hash = :prev_hash, key_id = :key_id, hash = :hash WHERE seq = :seq"),
            updates,
        )
        await session.execute(text(f"ALTER TABLE audit_entry ENABLE TRIGGER {_TRIGGER}"))
    return RekeyResult(entries=count, resigned=len(updates), key_id=ring.current_id)
