"""``Idempotency-Key`` for writes a client may retry: shared infrastructure any domain may use.

A handler opts in with ``opt={"idempotent": True}``; :class:`IdempotencyPlugin` (registered once
in ``service.app``) and :func:`idempotency_guard` (wrapped around every request transaction by
``service.db.engine.provide_session``) do the rest::

    @post("/", status_code=201, opt={"idempotent": True})
    async def create_project(self, data: ProjectCreate, db_session: AsyncSession, user: Principal) -> ProjectRead: ...

The same key and request from the same caller within 24 hours replays the first response
(status, body, content type, plus ``Idempotent-Replayed: true``); the response is stored in the
write's own transaction, so a crash between commit and response cannot make a retry write twice.

For JSON (or body-less) routes only: Litestar parses a multipart body from the stream without
keeping the bytes, so there is no body left to hash (evidence uploads are not opted in).
"""

from service.idempotency.guard import (
    KEY_TTL,
    IdempotentReplay,
    KeyInProgress,
    KeyReused,
    idempotency_guard,
    purge_expired,
)
from service.idempotency.keys import HEADER, lock_id, parse_key, request_hash
from service.idempotency.plugin import REPLAYED_HEADER, IdempotencyPlugin

__all__ = [
    "HEADER",
    "KEY_TTL",
    "REPLAYED_HEADER",
    "IdempotencyPlugin",
    "IdempotentReplay",
    "KeyInProgress",
    "KeyReused",
    "idempotency_guard",
    "lock_id",
    "parse_key",
    "purge_expired",
    "request_hash",
]
