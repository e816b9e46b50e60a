"""The database side: claim a key at the start of the request's transaction, store the response
at its end, in that same transaction.

Requests of one caller with one key are serialised by a transaction-scoped advisory lock taken
with ``pg_try_advisory_xact_lock``: a second request while the first is in flight cannot take it
and gets 409 ``idempotency.in_progress`` at once (no waiting on a lock, no state in Python). Once
the first commits, its row is there and a retry replays it; if the first fails, its transaction
rolls back and leaves no row, so the retry runs afresh.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from litestar import Request
from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from service.errors import Conflict
from service.idempotency.keys import lock_id, parse_key, request_hash
from service.idempotency.messages import MESSAGES
from service.models import IdempotencyKey
from service.models.base import utcnow

#: How long a stored response is replayed; after that the key may be used again.
KEY_TTL = timedelta(hours=24)
#: Expired rows deleted by each stored response (bounded work; no separate cleaner needed).
PURGE_BATCH = 100
#: Seconds a client is told to wait when the same key is still in flight.
RETRY_AFTER_SECONDS = 1
#: ``request.state`` slot where the response class leaves the encoded response.
CAPTURED = "idempotency_captured"

_table = IdempotencyKey.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class StoredResponse:
    status_code: int
    content_type: str
    body: bytes


class IdempotentReplay(Exception):
    """Not a failure: the request was already answered under this key, so answer the same again."""

    def __init__(self, stored: StoredResponse) -> None:
        super().__init__("replay")
        self.stored = stored


class KeyReused(Conflict):
    """The key was used for a different request."""


class KeyInProgress(Conflict):
    """The same key is still in flight; raised with ``retry_after``."""


@dataclass(frozen=True, slots=True)
class _Claim:
    user_id: uuid.UUID
    key: str
    request_hash: str
    method: str
    path: str


def is_idempotent(request: Request[Any, Any, Any]) -> bool:
    """Whether the matched route opted in with ``opt={"idempotent": True}``."""
    return bool(request.route_handler.opt.get("idempotent"))


@asynccontextmanager
async def idempotency_guard(request: Request[Any, Any, Any], session: AsyncSession) -> AsyncIterator[None]:
    """Wrap a request's transaction: replay or refuse before the handler, store after it.

    Does nothing unless the route opted in, the request carries the header and a caller is
    signed in (without one the handler answers 401 itself). Raises :class:`IdempotentReplay`,
    :class:`KeyReused` or :class:`KeyInProgress` instead of running the handler.
    """
    claim = await _claim(request, session) if is_idempotent(request) else None
    yield
    if claim is not None:
        await _store(request, session, claim)


async def _claim(request: Request[Any, Any, Any], session: AsyncSession) -> _Claim | None:
    raw = request.headers.get("idempotency-key")
    principal = request.state.get("principal")
    if raw is None or principal is None:
        return None
    key = parse_key(raw)
    user_id: uuid.UUID = principal.user_id
    path = request.scope["path"]
    fingerprint = request_hash(
        request.method, path, request.scope.get("query_string", b"").decode("latin-1"), await request.body()
    )
    if not await session.scalar(select(func.pg_try_advisory_xact_lock(lock_id(user_id, key)))):
        raise MESSAGES.error(KeyInProgress, "idempotency.in_progress", retry_after=RETRY_AFTER_SECONDS)
    row = (
        await session.execute(
            select(
                _table.c.request_hash, _table.c.status_code, _table.c.content_type, _table.c.body, _table.c.expires_at
            ).where(_table.c.user_id == user_id, _table.c.key == key)
        )
    ).first()
    if row is not None and row.expires_at <= utcnow():
        await session.execute(delete(_table).where(_table.c.user_id == user_id, _table.c.key == key))
        row = None
    if row is not None:
        if row.request_hash != fingerprint:
            raise MESSAGES.error(KeyReused, "idempotency.key_reused")
        raise IdempotentReplay(StoredResponse(row.status_code, row.content_type, bytes(row.body)))
    return _Claim(user_id=user_id, key=key, request_hash=fingerprint, method=request.method, path=path)


async def _store(request: Request[Any, Any, Any], session: AsyncSession, claim: _Claim) -> None:
    captured: StoredResponse | None = request.state.get(CAPTURED)
    if captured is None:
        # Committing the write without its response would make a retry write twice.
        raise RuntimeError(f"{request.method} {claim.path} is idempotent but its response was not captured")
    now = utcnow()
    await session.execute(
        insert(_table).values(
            user_id=claim.user_id,
            key=claim.key,
            request_hash=claim.request_hash,
            method=claim.method,
            path=claim.path[:2048],
            status_code=captured.status_code,
            content_type=captured.content_type,
            body=captured.body,
            created_at=now,
            expires_at=now + KEY_TTL,
        )
    )
    await purge_expired(session, now=now)


async def purge_expired(session: AsyncSession, *, now: datetime | None = None, limit: int = PURGE_BATCH) -> int:
    """Delete up to ``limit`` expired rows (skipping rows another transaction holds); how many."""
    result = await session.execute(
        text(
            # A MATERIALIZED batch is chosen once: a LIMIT inside IN (…) may be evaluated again.
            "WITH batch AS MATERIALIZED (SELECT ctid FROM idempotency_key"
            " WHERE expires_at <= :now LIMIT :limit FOR UPDATE SKIP LOCKED)"
            " DELETE FROM idempotency_key WHERE ctid IN (SELECT ctid FROM batch) AND expires_at <= :now"
        ),
        {"now": now or utcnow(), "limit": limit},
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
