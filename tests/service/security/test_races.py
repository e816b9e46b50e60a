"""Races against a scratch database whose commits are real: no 5xx, no duplicate."""

from __future__ import annotations

import asyncio
import dataclasses
from collections import Counter

import httpx
import pytest

from service.app import create_app
from service.db import create_engine, session_factory
from tests.support.accounts import PASSWORD, mails_to, token_in
from tests.support.scratch_db import scratch_database


@pytest.fixture(scope="module")
async def scratch_engine(database_url):
    async with scratch_database(database_url) as url:
        engine = create_engine(url, pool_size=20)
        try:
            yield engine
        finally:
            await engine.dispose()


def _app(engine, settings):
    return create_app(
        dataclasses.replace(settings, signup_max_per_ip=1000),
        session_maker=session_factory(engine),
        read_session_maker=session_factory(engine.execution_options(isolation_level="AUTOCOMMIT")),
    )


async def test_parallel_verification_of_two_signups_for_one_address(scratch_engine, settings):
    app = _app(scratch_engine, settings)
    email = "race@example.jp"
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver") as c:
        for _ in range(8):
            r = await c.post("/api/v1/auth/signup", json={"email": email, "password": PASSWORD, "display_name": "x"})
            assert r.status_code == 202
        async with session_factory(scratch_engine)() as s:
            tokens = [token_in(m.payload["text"]) for m in await mails_to(s, email)]
        answers = await asyncio.gather(
            *(c.post("/api/v1/auth/verify-email", json={"token": t, "password": PASSWORD}) for t in tokens)
        )
    statuses = Counter(a.status_code for a in answers)
    print("\nverify race:", dict(statuses), [a.json().get("code") for a in answers if a.status_code != 201])
    assert statuses[201] == 1
    assert all(s < 500 for s in statuses), [a.text for a in answers if a.status_code >= 500]


async def test_parallel_signups_respect_the_ip_limit(scratch_engine, settings):
    app = create_app(
        dataclasses.replace(settings, signup_max_per_ip=5),
        session_maker=session_factory(scratch_engine),
        read_session_maker=session_factory(scratch_engine.execution_options(isolation_level="AUTOCOMMIT")),
    )
    transport = httpx.ASGITransport(app=app, client=("192.0.2.55", 1))
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as c:
        answers = await asyncio.gather(
            *(
                c.post(
                    "/api/v1/auth/signup", json={"email": f"p{i}@example.jp", "password": PASSWORD, "display_name": "x"}
                )
                for i in range(40)
            )
        )
    statuses = Counter(a.status_code for a in answers)
    print("\nsignup limit race:", dict(statuses))
    assert statuses[202] == 5
