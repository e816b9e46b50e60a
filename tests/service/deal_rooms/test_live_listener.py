"""The listener and the feed's order, in process against a scratch database (real commits):
a killed listener connection reconnects and the rows committed meanwhile reach the sockets from the
table; concurrent writers never let a reader skip an id; one read per event per replica."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import msgspec
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from service.app import create_app
from service.db import create_engine, session_factory
from service.deal_rooms.live import feed
from service.deal_rooms.live.hub import Connection, Hub
from service.deal_rooms.live.listener import FeedListener
from service.deal_rooms.live.socket import GOING_AWAY
from service.models.enums import Role
from service.settings import Settings
from tests.conftest import TEST_SECRET
from tests.service.deal_rooms.live_world import Person, make_people
from tests.service.deal_rooms.support import API, NDA
from tests.support.scratch_db import scratch_database

pytestmark = pytest.mark.asyncio


@pytest.fixture(scope="module")
async def scratch_url(database_url: str) -> AsyncIterator[str]:
    async with scratch_database(database_url) as url:
        yield url


@pytest.fixture(scope="module")
async def scratch_engine(scratch_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(scratch_url, pool_size=12)
    yield engine
    await engine.dispose()


def _client(engine: AsyncEngine, tmp_path: Any) -> httpx.AsyncClient:
    app = create_app(
        Settings(data_dir=tmp_path, secret_key=TEST_SECRET),
        session_maker=session_factory(engine),
        read_session_maker=session_factory(engine.execution_options(isolation_level="AUTOCOMMIT")),
    )
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver", timeout=60)


async def room_with(engine: AsyncEngine, tmp_path: Any, members: int) -> tuple[str, Person, list[Person]]:
    """A room whose lead and ``members`` investors have accepted the NDA."""
    people, project = await make_people(engine, [Role.project_lead] + [Role.investor] * members)
    lead, *others = people
    async with _client(engine, tmp_path) as c:
        room = (await c.post(f"{API}/projects/{project}/deal-room", json=NDA, headers=lead.headers)).json()["id"]
        for p in others:
            body = {"user_id": str(p.user_id), "organisation_id": str(p.organisation_id), "role": "investor"}
            assert (await c.post(f"{API}/deal-rooms/{room}/participants", json=body, headers=lead.headers)).is_success
            url = f"{API}/deal-rooms/{room}/nda/acceptance"
            assert (await c.post(url, json={"version": 1}, headers=p.headers)).is_success
    return room, lead, others


def _ids(connection: Connection) -> list[int]:
    ids = []
    while not connection.queue.empty():
        item = connection.queue.get_nowait()
        assert isinstance(item, str)
        ids.append(msgspec.json.decode(item)["id"])
    return ids


async def _eventually(check: Any, seconds: float = 30) -> None:
    for _ in range(int(seconds / 0.05)):
        if check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not met in time")


async def test_a_killed_listener_reconnects_and_catches_up_from_the_table(scratch_engine, scratch_url, tmp_path):
    room, lead, _ = await room_with(scratch_engine, tmp_path, 0)
    hub = Hub(session_factory(scratch_engine.execution_options(isolation_level="AUTOCOMMIT")))
    # A slow first retry leaves a window in which rows commit while nobody listens.
    listener = FeedListener(scratch_url, hub, backoff_first=3.0, liveness_seconds=1.0)
    listener.start()
    connection = Connection(uuid.UUID(room), lead.user_id)
    try:
        await _eventually(lambda: listener.listening)
        await hub.join(connection)
        connection.go_live(await hub.backlog(connection, 0))
        async with _client(scratch_engine, tmp_path) as c:
            sent = await c.post(f"{API}/deal-rooms/{room}/messages", json={"body": "一"}, headers=lead.headers)
            await _eventually(lambda: connection.queue.qsize() >= 2)  # the NDA event and the message
            assert _ids(connection) == [1, sent.json()["id"]]

            async with scratch_engine.connect() as conn:
                killed = await conn.scalar(
                    text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                        " WHERE query LIKE 'LISTEN%' AND datname = current_database()"
                    )
                )
            assert killed == 1
            await _eventually(lambda: not listener.listening)
            missed = []
            for body in ("二", "三", "四"):
                r = await c.post(f"{API}/deal-rooms/{room}/messages", json={"body": body}, headers=lead.headers)
                missed.append(r.json()["id"])
            assert not listener.listening  # committed while no one listened
        await _eventually(lambda: listener.connections == 2 and connection.queue.qsize() >= 3)
        assert _ids(connection) == missed
    finally:
        await listener.stop()
        await hub.close_all(GOING_AWAY)


async def test_concurrent_writers_never_let_a_reader_skip_an_id(scratch_engine, tmp_path):
    room, _, members = await room_with(scratch_engine, tmp_path, 6)
    room_id = uuid.UUID(room)
    reads = session_factory(scratch_engine.execution_options(isolation_level="AUTOCOMMIT"))
    done = asyncio.Event()
    seen: list[int] = []

    async def reader() -> None:
        # Resumes from the last id seen, as a reconnecting client does; a gap would be a skipped row.
        while not done.is_set() or len(seen) < 1 + 60:
            async with reads() as session:
                rows = await feed.rows_after(session, room_id, seen[-1] if seen else 0, limit=500)
            for row, _ in rows:
                assert row.seq == (seen[-1] if seen else 0) + 1, (row.seq, seen[-5:])
                seen.append(row.seq)
            await asyncio.sleep(0)

    async def writer(person: Person, c: httpx.AsyncClient) -> None:
        for i in range(10):
            r = await c.post(f"{API}/deal-rooms/{room}/messages", json={"body": f"{i}"}, headers=person.headers)
            assert r.status_code == 201, r.text

    async with _client(scratch_engine, tmp_path) as c:
        watching = asyncio.create_task(reader())
        await asyncio.gather(*(writer(p, c) for p in members))
        done.set()
        await asyncio.wait_for(watching, 30)
    assert seen == list(range(1, 62))  # the NDA event, then 60 messages


async def test_one_read_per_event_per_replica_however_many_sockets(scratch_engine, tmp_path):
    room, lead, _ = await room_with(scratch_engine, tmp_path, 0)
    hub = Hub(session_factory(scratch_engine.execution_options(isolation_level="AUTOCOMMIT")))
    sockets = [Connection(uuid.UUID(room), lead.user_id) for _ in range(50)]
    try:
        for s in sockets:
            await hub.join(s)
            s.go_live(await hub.backlog(s, 0))
            _ids(s)
        async with _client(scratch_engine, tmp_path) as c:
            r = await c.post(f"{API}/deal-rooms/{room}/messages", json={"body": "全員へ"}, headers=lead.headers)
        before = hub.reads
        hub.notify(uuid.UUID(room))
        await _eventually(lambda: all(s.queue.qsize() == 1 for s in sockets))
        assert hub.reads == before + 1
        assert {tuple(_ids(s)) for s in sockets} == {(r.json()["id"],)}
    finally:
        await hub.close_all(GOING_AWAY)
