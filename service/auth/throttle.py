"""Rate limits kept in the database, where checking and counting are one statement.

Each limit is a row of ``rate_counter`` keyed by (scope, key), changed only by one
``INSERT ... ON CONFLICT DO UPDATE ... WHERE ... RETURNING``: PostgreSQL locks the row for
the statement, so N parallel callers are admitted one after another and at most the limit
get through. Each call runs in its own short transaction (``maker``), committed before the
caller does the expensive work, so a request's rollback cannot undo its count and the lock is
never held while a password is hashed::

    decision = await reserve_login_attempt(maker, "hanako@example.jp", "203.0.113.7", policy)
    if not decision.allowed:
        raise ...  # 429, Retry-After: decision.retry_after
    ... evaluate the password; on success: await reset(session, LOGIN, key) ...
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from service.models import RateCounter
from service.net import rate_limit_bucket

__all__ = [
    "LOGIN",
    "SIGNUP",
    "BackoffPolicy",
    "Decision",
    "login_key",
    "purge_forgotten",
    "reserve_login_attempt",
    "reserve_window",
    "reset",
]

LOGIN = "login"
SIGNUP = "signup"


@dataclass(frozen=True, slots=True)
class BackoffPolicy:
    """``free`` attempts pass at once; after the n-th (n ≥ free) the next waits
    ``base · 2^(n − free)`` seconds, at most ``cap``; ``window`` seconds of quiet forget all."""

    free: int
    base_seconds: int
    cap_seconds: int
    window_seconds: int


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    retry_after: int = 0


def login_key(email: str, ip: str) -> str:
    """``ip`` is a :func:`service.net.rate_limit_bucket` (an IPv6 client's /64), so that the
    key is the same for every address one host can take."""
    return f"{email}|{rate_limit_bucket(ip)}"


# The attempt is counted before it is evaluated, and only when the row is not blocked. The
# exponent is clamped so the arithmetic cannot overflow however long an attack runs.
# clock_timestamp(), not now(): now() is when the transaction began, and a caller that began
# before another committed would see that one's fresh block as still in the future.
_RESERVE_BACKOFF = text(
    """
    INSERT INTO rate_counter AS c (scope, key, hits, window_started_at, blocked_until, updated_at)
    VALUES (:scope, :key, 1, clock_timestamp(), clock_timestamp() + CAST(:first_wait AS interval), clock_timestamp())
    ON CONFLICT (scope, key) DO UPDATE SET
        hits = CASE WHEN c.updated_at <= clock_timestamp() - CAST(:window AS interval) THEN 1 ELSE c.hits + 1 END,
        window_started_at = CASE WHEN c.updated_at <= clock_timestamp() - CAST(:window AS interval)
                                 THEN clock_timestamp() ELSE c.window_started_at END,
        blocked_until = CASE
            WHEN c.updated_at <= clock_timestamp() - CAST(:window AS interval)
                THEN clock_timestamp() + CAST(:first_wait AS interval)
            WHEN c.hits + 1 < CAST(:free AS integer) THEN clock_timestamp()
            ELSE clock_timestamp() + least(
                CAST(:cap AS interval),
                CAST(:base AS interval) * power(2, least(c.hits + 1 - CAST(:free AS integer), 30))
            )
        END,
        updated_at = clock_timestamp()
    WHERE c.blocked_until <= clock_timestamp() OR c.updated_at <= clock_timestamp() - CAST(:window AS interval)
    RETURNING c.hits
    """
)

_RESERVE_WINDOW = text(
    """
    INSERT INTO rate_counter AS c (scope, key, hits, window_started_at, blocked_until, updated_at)
    VALUES (:scope, :key, 1, clock_timestamp(), clock_timestamp(), clock_timestamp())
    ON CONFLICT (scope, key) DO UPDATE SET
        hits = CASE WHEN c.window_started_at <= clock_timestamp() - CAST(:window AS interval)
                    THEN 1 ELSE c.hits + 1 END,
        window_started_at = CASE WHEN c.window_started_at <= clock_timestamp() - CAST(:window AS interval)
                                 THEN clock_timestamp() ELSE c.window_started_at END,
        updated_at = clock_timestamp()
    WHERE c.window_started_at <= clock_timestamp() - CAST(:window AS interval) OR c.hits < CAST(:limit AS integer)
    RETURNING c.hits
    """
)


async def _blocked_for(session: AsyncSession, key: str) -> int:
    row = (
        await session.execute(
            select(RateCounter.blocked_until, text("clock_timestamp()")).where(
                RateCounter.scope == LOGIN, RateCounter.key == key
            )
        )
    ).first()
    if row is None:
        return 1
    return max(1, math.ceil((row[0] - row[1]).total_seconds()))


async def reserve_login_attempt(
    maker: async_sessionmaker[AsyncSession], email: str, ip: str, policy: BackoffPolicy
) -> Decision:
    """Count one password attempt for (account, IP) unless it must wait; commits at once."""
    key = login_key(email, ip)
    async with maker() as session, session.begin():
        params = {
            "scope": LOGIN,
            "key": key,
            "free": policy.free,
            "base": timedelta(seconds=policy.base_seconds),
            "cap": timedelta(seconds=policy.cap_seconds),
            "window": timedelta(seconds=policy.window_seconds),
            # The first failure already waits when no attempt is free.
            "first_wait": timedelta(seconds=policy.base_seconds if policy.free <= 1 else 0),
        }
        if (await session.execute(_RESERVE_BACKOFF, params)).first() is not None:
            return Decision(True)
        return Decision(False, await _blocked_for(session, key))


async def reserve_window(
    maker: async_sessionmaker[AsyncSession], scope: str, key: str, *, limit: int, window_seconds: int
) -> Decision:
    """Count one event for (scope, key) if fewer than ``limit`` happened in the current
    fixed window of ``window_seconds``; commits at once."""
    async with maker() as session, session.begin():
        params = {"scope": scope, "key": key, "limit": limit, "window": timedelta(seconds=window_seconds)}
        if (await session.execute(_RESERVE_WINDOW, params)).first() is not None:
            return Decision(True)
        # The window ends window_seconds after it started.
        row = (
            await session.execute(
                select(RateCounter.window_started_at, text("clock_timestamp()")).where(
                    RateCounter.scope == scope, RateCounter.key == key
                )
            )
        ).first()
        if row is None:
            return Decision(False, 1)
        elapsed = (row[1] - row[0]).total_seconds()
        return Decision(False, max(1, math.ceil(window_seconds - elapsed)))


async def reset(session: AsyncSession, scope: str, key: str) -> None:
    """Forget the counter (a correct password), in the caller's transaction."""
    await session.execute(delete(RateCounter).where(RateCounter.scope == scope, RateCounter.key == key))


# A counter untouched for a whole window is one both statements above start afresh (hits = 1, a
# new window, the first wait) as though it did not exist, so deleting it changes no decision.
# ``blocked_until`` is checked too: whatever the settings, a purge never shortens a running wait.
# A row a reserving transaction holds is skipped, and the outer WHERE checks again what was locked.
_PURGE = text(
    """
    WITH d AS MATERIALIZED (
        SELECT scope, key FROM rate_counter
        WHERE scope = :scope AND updated_at <= clock_timestamp() - CAST(:window AS interval)
          AND blocked_until <= clock_timestamp()
        LIMIT :limit FOR UPDATE SKIP LOCKED
    )
    DELETE FROM rate_counter AS c USING d
    WHERE c.scope = d.scope AND c.key = d.key
      AND c.updated_at <= clock_timestamp() - CAST(:window AS interval) AND c.blocked_until <= clock_timestamp()
    """
)


async def purge_forgotten(session: AsyncSession, windows: Mapping[str, int], *, limit: int) -> int:
    """Delete up to ``limit`` counters per scope that have been quiet for their scope's window
    (``{LOGIN: login_window_seconds, SIGNUP: signup_window_seconds}``); how many. Scopes not
    named are left alone."""
    deleted = 0
    for scope, window_seconds in windows.items():
        params = {"scope": scope, "window": timedelta(seconds=window_seconds), "limit": limit}
        deleted += int((await session.execute(_PURGE, params)).rowcount)  # type: ignore[attr-defined]
    return deleted
