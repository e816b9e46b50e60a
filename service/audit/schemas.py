"""API shapes of the audit log."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import msgspec


class AuditEntryRead(msgspec.Struct):
    seq: int
    at: datetime
    actor_id: uuid.UUID | None
    action: str
    object_type: str
    object_id: str
    payload: dict[str, Any]
    prev_hash: str
    hash: str
    key_id: str | None = None


class ChainReport(msgspec.Struct):
    """``ok`` when every link holds; otherwise ``broken_seq`` is the first entry that does not,
    ``problem_code`` says what (gap, link, unsigned, unknown_key, tampered, truncated: the chain
    ends before, or differs at, the expected head given to the check) and
    ``problem_ja``/``problem_en`` say it to a person. ``key_ids``: the audit keys the verified
    entries were signed with, oldest first. ``head_seq``/``head_hash`` may be published to
    anchor the chain outside the database (that also catches a truncated tail)."""

    ok: bool
    entries: int
    head_seq: int | None
    head_hash: str | None
    broken_seq: int | None = None
    problem_ja: str | None = None
    problem_en: str | None = None
    problem_code: str | None = None
    key_ids: list[str] = msgspec.field(default_factory=list)
