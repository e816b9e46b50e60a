"""Login limits: one atomic count per attempt, a backoff per account and client IP, no lockout.

Issue #7 §1: 18 parallel wrong passwords were all evaluated but one (limit 5), five wrong ones
locked the owner out for 15 minutes, and twenty locked out a whole IP (behind a proxy, everyone).
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from service.app import create_app
from service.auth.passwords import hash_password
from service.auth.throttle import LOGIN, BackoffPolicy, login_key, reserve_login_attempt
from service.db import create_engine, session_factory
from service.models import RateCounter, User
from service.models.base import utcnow
from service.net import parse_networks
from tests.support.accounts import PASSWORD
from tests.support.scratch_db import scratch_database

LOGIN_URL = "/api/v1/auth/login"
WRONG = "wrong password!!"


async def make_user(db, email: str = "hanako@example.jp") -> User:
    user = User(email=email, display_name="山田 花子", password_hash=hash_password(PASSWORD))
    db.add(user)
    await db.commit()
    return user


def browser(app, ip: str, **headers: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(ip, 50000))
    return httpx.AsyncClient(transport=transport, base_url="https://testserver", headers=headers)


async def attempt(client: httpx.AsyncClient, password: str, email: str = "hanako@example.jp", **kw) -> httpx.Response:
    return await client.post(LOGIN_URL, json={"email": email, "password": password}, **kw)


# ── concurrency, against a scratch database whose commits are real ───────────────────────────


@pytest.fixture(scope="module")
async def scratch_engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    async with scratch_database(database_url) as url:
        engine = create_engine(url, pool_size=40)
        try:
            yield engine
        finally:
            await engine.dispose()


async def test_parallel_wrong_passwords_are_evaluated_at_most_the_limit(scratch_engine, settings):
    limit, attempts = 5, 60
    maker = session_factory(scratch_engine)
    async with maker() as session:
        await make_user(session, "parallel@example.jp")
    # A long first wait: nothing may slip through because the test itself ran slowly.
    app = create_app(
        dataclasses.replace(settings, login_max_failures=limit, login_backoff_base_seconds=600),
        session_maker=maker,
        read_session_maker=session_factory(scratch_engine.execution_options(isolation_level="AUTOCOMMIT")),
    )
    async with browser(app, "198.51.100.7") as client:
        answers = await asyncio.gather(*(attempt(client, WRONG, "parallel@example.jp") for _ in range(attempts)))
    statuses = Counter(a.status_code for a in answers)
    evaluated = statuses[401]
    print(f"\nparallel wrong logins: attempts={attempts} evaluated={evaluated} limit={limit} answers={dict(statuses)}")
    assert statuses[401] + statuses[429] == attempts, statuses
    assert 1 <= evaluated <= limit
    async with maker() as session:
        counter = await session.get(RateCounter, (LOGIN, login_key("parallel@example.jp", "198.51.100.7")))
    assert counter is not None
    assert counter.hits == evaluated


# ── backoff, in the usual rolled-back transaction ────────────────────────────────────────────


@pytest.fixture
def settings(settings):
    return dataclasses.replace(settings, login_max_failures=3, login_backoff_base_seconds=1)


async def test_free_attempts_then_429_with_retry_after_even_for_the_right_password(app, db):
    await make_user(db)
    async with browser(app, "203.0.113.5") as client:
        for _ in range(3):
            assert (await attempt(client, WRONG)).status_code == 401
        blocked = await attempt(client, PASSWORD)
    assert blocked.status_code == 429
    assert blocked.json()["code"] == "auth.too_many_attempts"
    assert blocked.headers["retry-after"] == "1"


async def test_the_wait_doubles_and_a_right_password_after_it_signs_in_and_resets(app, db):
    await make_user(db)
    async with browser(app, "203.0.113.5") as client:
        for _ in range(3):
            await attempt(client, WRONG)
        assert (await attempt(client, WRONG)).headers["retry-after"] == "1"
        await asyncio.sleep(1.1)
        assert (await attempt(client, WRONG)).status_code == 401  # evaluated after the wait
        assert (await attempt(client, WRONG)).headers["retry-after"] == "2"
        await asyncio.sleep(2.1)
        assert (await attempt(client, PASSWORD)).status_code == 200
        assert await db.scalar(select(RateCounter.hits).where(RateCounter.scope == LOGIN)) is None
        for _ in range(3):  # the free attempts are back
            assert (await attempt(client, WRONG)).status_code == 401


async def test_the_owner_from_another_ip_is_not_slowed(app, db):
    await make_user(db)
    async with browser(app, "203.0.113.66") as attacker, browser(app, "192.0.2.10") as owner:
        for _ in range(10):
            await attempt(attacker, WRONG)
        assert (await attempt(attacker, PASSWORD)).status_code == 429
        assert (await attempt(owner, PASSWORD)).status_code == 200


async def test_other_accounts_behind_the_same_ip_are_not_slowed(app, db):
    await make_user(db)
    await make_user(db, "taro@example.jp")
    async with browser(app, "203.0.113.66") as office:
        for _ in range(10):
            await attempt(office, WRONG)
        assert (await attempt(office, PASSWORD, "taro@example.jp")).status_code == 200


async def test_the_wait_is_capped_and_forgotten_after_a_quiet_window(session_maker, db):
    policy = BackoffPolicy(free=3, base_seconds=1, cap_seconds=900, window_seconds=86400)
    key = login_key("hanako@example.jp", "203.0.113.5")
    db.add(RateCounter(scope=LOGIN, key=key, hits=60, blocked_until=utcnow() - timedelta(seconds=1)))
    await db.commit()
    assert (await reserve_login_attempt(session_maker, "hanako@example.jp", "203.0.113.5", policy)).allowed
    counter = await db.scalar(
        select(RateCounter).where(RateCounter.key == key).execution_options(populate_existing=True)
    )
    assert counter.hits == 61
    assert timedelta(seconds=890) < counter.blocked_until - counter.updated_at <= timedelta(seconds=900)
    assert not (await reserve_login_attempt(session_maker, "hanako@example.jp", "203.0.113.5", policy)).allowed
    two_days_ago = utcnow() - timedelta(days=2)
    await db.execute(update(RateCounter).where(RateCounter.key == key).values(updated_at=two_days_ago))
    await db.commit()
    assert (await reserve_login_attempt(session_maker, "hanako@example.jp", "203.0.113.5", policy)).allowed
    counter = await db.scalar(
        select(RateCounter).where(RateCounter.key == key).execution_options(populate_existing=True)
    )
    assert counter.hits == 1


# ── the client IP behind proxies ─────────────────────────────────────────────────────────────


async def test_forwarded_for_from_a_trusted_proxy_keys_each_client_apart(app, db, settings, session_maker):
    await make_user(db)
    trusting = create_app(
        dataclasses.replace(settings, trusted_proxies=parse_networks("10.0.0.0/8")),
        session_maker=session_maker,
        read_session_maker=app.state.read_session_maker,
    )
    async with browser(trusting, "10.0.0.2") as proxy:
        for _ in range(5):
            await attempt(proxy, WRONG, headers={"X-Forwarded-For": "203.0.113.66"})
        assert (await attempt(proxy, PASSWORD, headers={"X-Forwarded-For": "203.0.113.66"})).status_code == 429
        # Another client through the same proxy is somebody else.
        owner = await attempt(proxy, PASSWORD, headers={"X-Forwarded-For": "192.0.2.10, 10.0.0.7"})
        assert owner.status_code == 200


async def test_forwarded_for_from_an_untrusted_peer_is_ignored(app, db):
    await make_user(db)
    async with browser(app, "203.0.113.66") as attacker:
        for n in range(5):
            await attempt(attacker, WRONG, headers={"X-Forwarded-For": f"192.0.2.{n}"})
        # A made-up header does not buy a fresh counter.
        assert (await attempt(attacker, PASSWORD, headers={"X-Forwarded-For": "192.0.2.99"})).status_code == 429
