"""The periodic clean-up deletes rows of unauthenticated requests once they are past their use,
in bounded batches, and never a counter that still decides an answer (an active login backoff)."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from service.app import create_app
from service.auth.throttle import LOGIN, SIGNUP, BackoffPolicy, login_key, reserve_login_attempt
from service.db import create_engine, session_factory
from service.maintenance import Maintenance
from service.models import AuthSession, OIDCLinkPending, OIDCPending, RateCounter, User
from service.models import SignupRequest as PendingSignup
from service.models.base import utcnow
from tests.support.scratch_db import scratch_database


def counter(scope: str, key: str, *, quiet: timedelta, blocked_for: timedelta = timedelta(0)) -> RateCounter:
    """A counter last touched ``quiet`` ago, blocked until ``blocked_for`` from now."""
    now = utcnow()
    return RateCounter(
        scope=scope,
        key=key,
        hits=4,
        window_started_at=now - quiet,
        updated_at=now - quiet,
        blocked_until=now + blocked_for,
    )


def pending_signup(email: str, *, expires_in: timedelta) -> PendingSignup:
    return PendingSignup(
        email=email,
        password_hash="x",
        display_name="山田 花子",
        preferred_language="ja",
        token_hash=uuid.uuid4().hex + uuid.uuid4().hex,
        expires_at=utcnow() + expires_in,
    )


def oidc_pending(state: str, *, age: timedelta) -> OIDCPending:
    return OIDCPending(
        state=state, nonce="n", code_verifier="v", authorization_url="https://idp.example/", created_at=utcnow() - age
    )


async def kept(session: AsyncSession, column) -> set:
    return set((await session.execute(select(column))).scalars())


async def test_only_rows_past_their_window_or_lifetime_are_deleted(db, session_maker, settings):
    window = timedelta(seconds=settings.login_window_seconds)
    signup_window = timedelta(seconds=settings.signup_window_seconds)
    user = User(email="owner@example.jp", display_name="山田 花子", password_hash="x")
    db.add(user)
    await db.flush()
    old_session = AuthSession(user_id=user.id, method="password", expires_at=utcnow() + timedelta(hours=1))
    new_session = AuthSession(user_id=user.id, method="password", expires_at=utcnow() + timedelta(hours=1))
    db.add_all([old_session, new_session])
    await db.flush()
    link = {"user_id": user.id, "issuer": "https://idp.example", "subject": "s"}
    db.add_all(
        [
            counter(LOGIN, "quiet|203.0.113.1", quiet=window + timedelta(seconds=5)),
            counter(LOGIN, "recent|203.0.113.1", quiet=window - timedelta(seconds=60)),
            # Quiet for a window yet still blocked (a cap above the window): the wait runs out first.
            counter(LOGIN, "blocked|203.0.113.1", quiet=window + timedelta(seconds=5), blocked_for=timedelta(60)),
            counter(SIGNUP, "203.0.113.2", quiet=signup_window + timedelta(seconds=5)),
            counter(SIGNUP, "203.0.113.3", quiet=signup_window - timedelta(seconds=60)),
            counter("other", "k", quiet=timedelta(days=400)),  # a scope it knows no window for
            pending_signup("expired@example.jp", expires_in=-timedelta(seconds=1)),
            pending_signup("waiting@example.jp", expires_in=timedelta(hours=1)),
            oidc_pending("old", age=timedelta(minutes=11)),
            oidc_pending("new", age=timedelta(minutes=9)),
            OIDCLinkPending(session_id=old_session.id, created_at=utcnow() - timedelta(minutes=11), **link),
            OIDCLinkPending(session_id=new_session.id, created_at=utcnow() - timedelta(minutes=9), **link),
        ]
    )
    await db.commit()

    deleted = await Maintenance(session_maker, settings).run_once()

    assert deleted == {
        "rate_counter": 2,
        "signup_request": 1,
        "oidc_pending": 1,
        "oidc_link_pending": 1,
        "idempotency_key": 0,
    }
    assert await kept(db, RateCounter.key) == {"recent|203.0.113.1", "blocked|203.0.113.1", "203.0.113.3", "k"}
    assert await kept(db, PendingSignup.email) == {"waiting@example.jp"}
    assert await kept(db, OIDCPending.state) == {"new"}
    assert await kept(db, OIDCLinkPending.session_id) == {new_session.id}


async def test_an_active_backoff_survives_a_purge(db, session_maker, settings):
    policy = BackoffPolicy(
        free=settings.login_max_failures,
        base_seconds=60,
        cap_seconds=settings.login_backoff_cap_seconds,
        window_seconds=settings.login_window_seconds,
    )
    decisions = [
        await reserve_login_attempt(session_maker, "hanako@example.jp", "203.0.113.7", policy)
        for _ in range(settings.login_max_failures + 1)
    ]
    assert [d.allowed for d in decisions] == [True] * settings.login_max_failures + [False]

    assert (await Maintenance(session_maker, settings).run_once())["rate_counter"] == 0

    again = await reserve_login_attempt(session_maker, "hanako@example.jp", "203.0.113.7", policy)
    assert again.allowed is False
    assert again.retry_after > 0
    key = login_key("hanako@example.jp", "203.0.113.7")
    assert await db.scalar(select(RateCounter.hits).where(RateCounter.key == key)) == settings.login_max_failures


async def test_a_pass_deletes_in_bounded_batches_and_the_next_pass_goes_on(db, session_maker, settings):
    db.add_all([pending_signup(f"p{i}@example.jp", expires_in=-timedelta(minutes=1)) for i in range(7)])
    await db.commit()
    maintenance = Maintenance(session_maker, settings, batch=3, rounds=2)

    assert (await maintenance.run_once())["signup_request"] == 6
    assert await db.scalar(select(func.count()).select_from(PendingSignup)) == 1
    assert (await maintenance.run_once())["signup_request"] == 1
    assert await db.scalar(select(func.count()).select_from(PendingSignup)) == 0


# ── real commits, on a scratch database ──────────────────────────────────────────────────────


@pytest.fixture(scope="module")
async def scratch(database_url: str) -> AsyncIterator[tuple[str, AsyncEngine]]:
    async with scratch_database(database_url) as url:
        engine = create_engine(url, pool_size=6)
        try:
            yield url, engine
        finally:
            await engine.dispose()


@pytest.fixture
async def maker(scratch: tuple[str, AsyncEngine]) -> async_sessionmaker[AsyncSession]:
    maker = session_factory(scratch[1])
    async with maker() as session, session.begin():
        await session.execute(RateCounter.__table__.delete())  # type: ignore[attr-defined]
    return maker


async def test_two_replicas_purging_at_once_delete_each_row_once(maker, settings):
    window = timedelta(seconds=settings.login_window_seconds)
    async with maker() as session, session.begin():
        session.add_all([counter(LOGIN, f"old{i}|203.0.113.1", quiet=window * 2) for i in range(300)])
        session.add_all([counter(LOGIN, f"live{i}|203.0.113.1", quiet=timedelta(0)) for i in range(20)])

    replicas = [Maintenance(maker, settings, batch=25, rounds=20) for _ in range(2)]
    passes = await asyncio.gather(*(replica.run_once() for replica in replicas))

    assert sum(p["rate_counter"] for p in passes) == 300
    async with maker() as session:
        left = await kept(session, RateCounter.key)
    assert left == {f"live{i}|203.0.113.1" for i in range(20)}


async def test_the_app_lifespan_runs_the_maintenance(scratch, maker, settings):
    url, _ = scratch
    async with maker() as session, session.begin():
        session.add(counter(SIGNUP, "198.51.100.9", quiet=timedelta(days=2)))
    async with AsyncTestClient(app=create_app(dataclasses.replace(settings, database_url=url))):
        for _ in range(100):
            async with maker() as session:
                if not await kept(session, RateCounter.key):
                    break
            await asyncio.sleep(0.05)
    async with maker() as session:
        assert await kept(session, RateCounter.key) == set()
