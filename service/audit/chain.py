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


def check(entry: AuditEntry, *, expected_seq: int, prev_hash: str, keyring: AuditKeyring) -> Problem | None:
    """The first thing wrong with ``entry`` given the entry before it, or None."""
    if entry.seq != expected_seq:
        return Problem("gap", f"連番が飛んでいます（{expected_seq} のはず）", f"sequence gap (expected {expected_seq})")
    if entry.prev_hash != prev_hash:
        return Problem("link", "直前のエントリのハッシュと一致しません", "prev_hash does not match the previous entry")
    if entry.key_id is None:
        if plain_hash(entry) != entry.hash:
            return Problem(
                "tampered", "内容がハッシュと一致しません（改ざん）", "the content does not match its hash (tampered)"
            )
        return Problem(
            "unsigned",
            "鍵で署名されていないエントリです（鍵の導入前の行、または改ざん）。"
            "`kyoso audit rekey` で署名し直してください",
            "the entry is not signed with the audit key (written before the key, or tampered); run `kyoso audit rekey`",
        )
    if entry.key_id not in keyring.keys:
        return Problem(
            "unknown_key",
            f"鍵 {entry.key_id} で署名されていますが、この検証にはその鍵がありません（KYOSO_AUDIT_KEY の誤り？）",
            f"signed with audit key {entry.key_id}, which this verifier does not have (wrong KYOSO_AUDIT_KEY?)",
        )
    if keyed_hash(entry, keyring, entry.key_id) != entry.hash:
        return Problem(
            "tampered",
            "内容が鍵付きハッシュと一致しません（改ざん）",
            "the content does not match its keyed hash (tampered)",
        )
    return None
