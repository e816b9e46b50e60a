"""The outbox: written in the request's transaction, sent only after commit, once, with retries.

Run against a scratch database whose commits are real: a rollback must drop the message, and two
drainers in parallel must not send one message twice."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from service.app import create_app
from service.db import create_engine, session_factory
from service.models import OutboxMessage
from service.models.base import utcnow
from service.outbox import drain_once, enqueue, retry_delay
from tests.support.accounts import signup, token_in
from tests.support.scratch_db import scratch_database
from tests.support.smtp import SMTPSink


@pytest.fixture(scope="module")
async def scratch(database_url: str) -> AsyncIterator[tuple[str, AsyncEngine]]:
    async with scratch_database(database_url) as url:
        engine = create_engine(url, pool_size=8)
        try:
            yield url, engine
        finally:
            await engine.dispose()


@pytest.fixture
async def maker(scratch: tuple[str, AsyncEngine]) -> async_sessionmaker[AsyncSession]:
    """Sessions on the scratch database, its outbox emptied of earlier tests' messages."""
    maker = session_factory(scratch[1])
    async with maker() as session, session.begin():
        await session.execute(OutboxMessage.__table__.delete())  # type: ignore[attr-defined]
    return maker


class Recorder:
    """The outside world, recorded: which message ids were delivered, in order."""

    def __init__(self, *, fail: bool = False, delay: float = 0.0) -> None:
        self.delivered: list[uuid.UUID] = []
        self.fail = fail
        self.delay = delay

    async def __call__(self, message_id: uuid.UUID, payload: dict[str, Any]) -> None:
        await asyncio.sleep(self.delay)
        if self.fail:
            raise ConnectionRefusedError("smtp down")
        self.delivered.append(message_id)


async def test_a_message_of_a_rolled_back_transaction_is_never_sent(maker):
    async with maker() as session:
        await session.begin()
        await enqueue(session, "test", {"n": 1})
        await session.rollback()
    recorder = Recorder()
    assert await drain_once(maker, {"test": recorder}) == 0
    assert recorder.delivered == []


async def test_a_committed_message_is_sent_once(maker):
    async with maker() as session, session.begin():
        message_id = await enqueue(session, "test", {"n": 1, "secret": "s", "redact_after_send": ["secret"]})
    recorder = Recorder()
    assert await drain_once(maker, {"test": recorder}) == 1
    assert await drain_once(maker, {"test": recorder}) == 0
    assert recorder.delivered == [message_id]
    async with maker() as session:
        row = await session.get(OutboxMessage, message_id)
    assert row is not None
    assert row.sent_at is not None
    assert row.attempts == 1
    assert "secret" not in row.payload


async def test_a_failure_is_recorded_and_retried_later(maker):
    async with maker() as session, session.begin():
        message_id = await enqueue(session, "test", {"n": 1})
    assert await drain_once(maker, {"test": Recorder(fail=True)}) == 0
    async with maker() as session:
        row = await session.get(OutboxMessage, message_id)
    assert row is not None
    assert row.attempts == 1
    assert row.sent_at is None
    assert "smtp down" in (row.last_error or "")
    assert row.available_at > utcnow() + timedelta(seconds=20)  # not retried at once
    recorder = Recorder()
    assert await drain_once(maker, {"test": recorder}) == 0
    async with maker() as session, session.begin():
        await session.execute(update(OutboxMessage).values(available_at=utcnow()))
    assert await drain_once(maker, {"test": recorder}) == 1
    assert recorder.delivered == [message_id]


async def test_an_unknown_kind_is_kept_with_its_error(maker):
    async with maker() as session, session.begin():
        message_id = await enqueue(session, "nobody-handles-this", {})
    assert await drain_once(maker, {}) == 0
    async with maker() as session:
        row = await session.get(OutboxMessage, message_id)
    assert row is not None
    assert "no outbox handler" in (row.last_error or "")


def test_retries_wait_longer_each_time_up_to_an_hour():
    waits = [retry_delay(n).total_seconds() for n in range(1, 10)]
    assert waits[:3] == [30, 60, 120]
    assert waits == sorted(waits)
    assert waits[-1] == 3600


async def test_parallel_drainers_never_send_a_message_twice(maker):
    async with maker() as session, session.begin():
        ids = [await enqueue(session, "test", {"n": n}) for n in range(40)]
    recorder = Recorder(delay=0.005)
    sent = await asyncio.gather(*(drain_once(maker, {"test": recorder}) for _ in range(4)))
    assert sum(sent) == 40
    assert sorted(recorder.delivered) == sorted(ids)
    assert len(set(recorder.delivered)) == len(recorder.delivered)
    async with maker() as session:
        unsent = await session.scalar(select(func.count()).where(OutboxMessage.sent_at.is_(None)))
    assert unsent == 0


@pytest.fixture
def sink() -> Iterator[SMTPSink]:
    with SMTPSink() as s:
        yield s


async def test_the_app_lifespan_runs_the_drainer(scratch, maker, settings, sink):
    url, _ = scratch
    configured = dataclasses.replace(settings, smtp_host=sink.host, smtp_port=sink.port, database_url=url)
    async with AsyncTestClient(app=create_app(configured), base_url="https://testserver.local") as client:
        assert (await signup(client, "lifespan@example.jp")).status_code == 202
        for _ in range(100):
            if sink.to("lifespan@example.jp"):
                break
            await asyncio.sleep(0.1)
    [message] = sink.to("lifespan@example.jp")
    assert token_in(message.get_content())
