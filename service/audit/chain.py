"""How one audit entry is hashed and checked against its predecessor.

A keyed entry's ``hash`` is ``HMAC-SHA256(key[key_id], canonical JSON of {seq, at, actor, action,
object_type, object_id, payload, prev_hash, key_id})``; canonical JSON = sorted keys, no
spaces, UTF-8. A legacy entry (written before the key, ``key_id`` NULL) holds the plain sha256
of the same JSON without ``key_id``. Plain hashes prove nothing against someone who can write
the table (they recompute them), so verification accepts only keyed entries; legacy ones are
re-signed once by :func:`service.audit.rekey.rekey`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from service.audit.keys import AuditKeyring
from service.audit.messages import MESSAGES
from service.errors import Message
from service.models import AuditEntry

GENESIS_HASH = "0" * 64


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _body(entry: AuditEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "actor": str(entry.actor_id) if entry.actor_id else None,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "payload": json.loads(entry.payload),
        "prev_hash": entry.prev_hash,
    }


def plain_hash(entry: AuditEntry) -> str:
    """The legacy, unkeyed sha256 of an entry."""
    return hashlib.sha256(canonical_json(_body(entry)).encode()).hexdigest()


def keyed_hash(entry: AuditEntry, keyring: AuditKeyring, key_id: str) -> str:
    """The HMAC of an entry under ``key_id`` (``KeyError`` when the keyring lacks it)."""
    return keyring.sign(key_id, canonical_json({**_body(entry), "key_id": key_id}).encode())


@dataclass(frozen=True, slots=True)
class Problem:
    """Why an entry does not hold: ``kind`` is stable, ``ja``/``en`` say it to a person."""

    kind: str  # gap | link | unsigned | unknown_key | tampered
    ja: str
    en: str


def _problem(kind: str, text: Message) -> Problem:
    return Problem(kind, text.ja, text.en)


def check(entry: AuditEntry, *, expected_seq: int, prev_hash: str, keyring: AuditKeyring) -> Problem | None:
    """The first thing wrong with ``entry`` given the entry before it, or None."""
    if entry.seq != expected_seq:
        return _problem("gap", MESSAGES.text("audit.sequence_gap", expected_seq=expected_seq))
    if entry.prev_hash != prev_hash:
        return _problem("link", MESSAGES.text("audit.prev_hash_mismatch"))
    if entry.key_id is None:
        if plain_hash(entry) != entry.hash:
            return _problem("tampered", MESSAGES.text("audit.hash_mismatch"))
        return _problem("unsigned", MESSAGES.text("audit.unsigned"))
    if entry.key_id not in keyring.keys:
        return _problem("unknown_key", MESSAGES.text("audit.unknown_key", key_id=entry.key_id))
    if keyed_hash(entry, keyring, entry.key_id) != entry.hash:
        return _problem("tampered", MESSAGES.text("audit.keyed_hash_mismatch"))
    return None
