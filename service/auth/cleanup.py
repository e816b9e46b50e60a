"""Deleting what unauthenticated requests leave behind once it can no longer matter.

Sign-in attempts, sign-ups and OIDC round trips write rows before anyone is signed in; each is
useless once its window or lifetime has passed. :func:`purge_expired` deletes such rows in
batches of at most ``limit`` per table, in the caller's transaction; rows another transaction
holds are skipped (``FOR UPDATE SKIP LOCKED``), so replicas running it at once share the work
instead of waiting on each other::

    async with maker() as session, session.begin():
        counts = await purge_expired(session, settings, limit=500)
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.oidc_accounts import LINK_TTL
from service.auth.oidc_controllers import OIDC_PENDING_TTL
from service.auth.throttle import LOGIN, SIGNUP, purge_forgotten
from service.models import OIDCLinkPending, OIDCPending
from service.models import SignupRequest as PendingSignup
from service.settings import Settings


def _expired(now: datetime) -> dict[str, tuple[Any, Any, Any]]:
    """Table → (its table, its key column, the condition that says a row is past its use)."""
    return {
        # Verified or not, an expired sign-up can no longer be completed.
        "signup_request": (PendingSignup, PendingSignup.id, PendingSignup.expires_at <= now),
        "oidc_pending": (OIDCPending, OIDCPending.state, OIDCPending.created_at <= now - OIDC_PENDING_TTL),
        "oidc_link_pending": (
            OIDCLinkPending,
            OIDCLinkPending.session_id,
            OIDCLinkPending.created_at <= now - LINK_TTL,
        ),
    }


async def _purge(session: AsyncSession, model: Any, key: Any, condition: Any, limit: int) -> int:
    # The batch is a MATERIALIZED CTE so it is chosen (and locked) once: a LIMIT inside IN (…)
    # may be evaluated again by the plan and delete more than ``limit`` rows. The condition is
    # checked again on the locked row: a row changed since the scan is kept.
    batch = (
        select(key)
        .where(condition)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .cte("batch")
        .prefix_with("MATERIALIZED")
    )
    statement = delete(model).where(key.in_(select(batch.c[0])), condition).execution_options(synchronize_session=False)
    return int((await session.execute(statement)).rowcount)  # type: ignore[attr-defined]


async def purge_expired(session: AsyncSession, settings: Settings, *, limit: int) -> dict[str, int]:
    """Delete up to ``limit`` rows of each kind that is past its use; how many, by table."""
    now = (await session.execute(text("SELECT clock_timestamp()"))).scalar_one()
    counts = {table: await _purge(session, *what, limit) for table, what in _expired(now).items()}
    windows = {LOGIN: settings.login_window_seconds, SIGNUP: settings.signup_window_seconds}
    counts["rate_counter"] = await purge_forgotten(session, windows, limit=limit)
    return counts
