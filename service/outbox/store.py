"""Writing to the outbox (in the caller's transaction) and draining it (after commit)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from service.models import OutboxMessage
from service.models.base import utcnow

_log = logging.getLogger("kyoso.outbox")

#: ``await handler(message_id, payload)`` delivers one message or raises; the message id is the
#: idempotency key to hand to the outside world (a mail's Message-ID, a Stripe key).
Handler = Callable[[uuid.UUID, dict[str, Any]], Awaitable[None]]

#: Payload keys named in this list are removed once the message is sent (one-time secrets).
REDACT_AFTER_SEND = "redact_after_send"
MAX_ATTEMPTS = 8
_RETRY_BASE_SECONDS = 30
_RETRY_CAP_SECONDS = 3600


async def enqueue(session: AsyncSession, kind: str, payload: dict[str, Any]) -> uuid.UUID:
    """Add a message in ``session``'s transaction: it is sent only if that transaction commits."""
    message = OutboxMessage(kind=kind, payload=payload)
    session.add(message)
    await session.flush()
    return message.id


def retry_delay(attempts: int) -> timedelta:
    """Wait before attempt ``attempts + 1``: 30 s, 60 s, 120 s, ... at most an hour."""
    return timedelta(seconds=min(_RETRY_CAP_SECONDS, _RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)))


async def _send_next(session: AsyncSession, handlers: Mapping[str, Handler], max_attempts: int) -> bool | None:
    """Send the oldest due message; None when there is none, else whether it was sent."""
    message = (
        await session.execute(
            select(OutboxMessage)
            .where(
                OutboxMessage.sent_at.is_(None),  # type: ignore[union-attr]
                OutboxMessage.available_at <= utcnow(),
                OutboxMessage.attempts < max_attempts,
            )
            .order_by(OutboxMessage.available_at)
            .limit(1)
            # Another replica's drainer skips the row this one holds: a message is sent once.
            .with_for_update(skip_locked=True)
        )
    ).scalar_one_or_none()
    if message is None:
        return None
    message.attempts += 1
    handler = handlers.get(message.kind)
    try:
        if handler is None:
            raise LookupError(f"no outbox handler for kind {message.kind!r}")
        await handler(message.id, dict(message.payload))
    except Exception as exc:
        message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        message.available_at = utcnow() + retry_delay(message.attempts)
        _log.warning("outbox %s (%s) attempt %d failed: %s", message.id, message.kind, message.attempts, exc)
        await session.flush()
        return False
    message.sent_at = utcnow()
    message.last_error = None
    secret_keys = message.payload.get(REDACT_AFTER_SEND) or []
    if secret_keys:
        message.payload = {k: v for k, v in message.payload.items() if k not in secret_keys}
    await session.flush()
    return True


async def drain_once(
    maker: async_sessionmaker[AsyncSession],
    handlers: Mapping[str, Handler],
    *,
    limit: int = 100,
    max_attempts: int = MAX_ATTEMPTS,
) -> int:
    """Send up to ``limit`` due messages, each in its own transaction; returns how many were sent.

    The row stays locked while its handler runs, so two drainers never send the same message;
    a failure is recorded and retried later with a growing delay, up to ``max_attempts``.
    """
    sent = 0
    for _ in range(limit):
        async with maker() as session, session.begin():
            outcome = await _send_next(session, handlers, max_attempts)
        if outcome is None:
            break
        sent += int(outcome)
    return sent
