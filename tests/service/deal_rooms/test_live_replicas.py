"""The live feed across replicas: two real servers (granian, 127.0.0.1) share one PostgreSQL,
WebSocket clients connect to each (issue 8 §4)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from websockets.exceptions import ConnectionClosed

from service.db import create_engine
from tests.conftest import TEST_SECRET
from tests.service.deal_rooms.live_world import RoomWorld, frame, hello, messages_until, room_socket, seed_room
from tests.service.deal_rooms.support import API
from tests.support.live_server import LiveServer
from tests.support.scratch_db import scratch_database

pytestmark = [pytest.mark.asyncio, pytest.mark.slow]


@pytest.fixture(scope="module")
async def scratch_url(database_url: str) -> AsyncIterator[str]:
    async with scratch_database(database_url) as url:
        yield url


@pytest.fixture(scope="module")
async def scratch_engine(scratch_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(scratch_url, pool_size=4)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="module")
def servers(scratch_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    a = LiveServer(scratch_url, data_dir=tmp_path_factory.mktemp("live-a"), secret_key=TEST_SECRET).start()
    try:
        b = LiveServer(scratch_url, data_dir=tmp_path_factory.mktemp("live-b"), secret_key=TEST_SECRET).start()
        try:
            yield a.url, b.url
        finally:
            b.stop()
    finally:
        a.stop()


@pytest.fixture
async def world(scratch_engine: AsyncEngine, servers: tuple[str, str]) -> RoomWorld:
    return await seed_room(scratch_engine, servers[0])


async def closed_with(ws, code: int) -> dict:
    """The error frame before the server closes the socket with ``code``."""
    error = None
    while True:
        try:
            got = await frame(ws)
        except ConnectionClosed:
            break
        if got["type"] == "error":
            error = got
    assert ws.close_code == code
    assert error is not None
    assert error["message"]["ja"]
    assert error["message"]["en"]
    return error


async def test_a_message_sent_through_one_replica_arrives_on_the_other(world, servers):
    a, b = servers
    async with (
        room_socket(a, world.room, world.bank.token) as on_a,
        room_socket(b, world.room, world.lead.token) as on_b,
    ):
        backlog = await hello(on_b)
        assert backlog[-1]["type"] == "live"
        await hello(on_a)
        await on_a.send(json.dumps({"type": "send", "body": "A から送ります", "client_id": "c1"}))
        [arrived] = await messages_until(on_b, 1)
        assert arrived["body"] == "A から送ります"
        assert arrived["author_id"] == str(world.bank.user_id)
        # Sent over HTTP to B: both sockets receive it, in id order after the first.
        async with httpx.AsyncClient(base_url=b) as http:
            sent = await http.post(
                f"{API}/deal-rooms/{world.room}/messages", json={"body": "B へ HTTP"}, headers=world.lead.headers
            )
        assert sent.status_code == 201, sent.text
        [second] = await messages_until(on_b, 1)
        got_on_a = await messages_until(on_a, 2)
        assert [m["id"] for m in got_on_a] == [arrived["id"], second["id"]]
        assert second["id"] > arrived["id"]


async def test_a_client_resuming_from_its_last_id_gets_what_it_missed_in_order(world, servers):
    a, b = servers
    async with room_socket(a, world.room, world.bank.token) as on_a:
        await hello(on_a)
        async with httpx.AsyncClient(base_url=b) as http:
            for i in range(5):
                r = await http.post(
                    f"{API}/deal-rooms/{world.room}/messages", json={"body": f"{i}"}, headers=world.lead.headers
                )
                assert r.status_code == 201
        seen = await messages_until(on_a, 5)
    last = seen[1]["id"]
    async with room_socket(b, world.room, world.bank.token) as again:
        backlog = await hello(again, last)
    assert [f["body"] for f in backlog if f["type"] == "message"] == ["2", "3", "4"]
    assert backlog[-1] == {"type": "live", "last_id": seen[-1]["id"]}


async def test_connecting_needs_a_participant_past_the_nda(world, servers):
    a, _ = servers
    async with room_socket(a, world.room, None) as anonymous:
        assert (await closed_with(anonymous, 4401))["code"] == "auth.unauthenticated"
    async with room_socket(a, world.room, world.outsider.token) as outsider:
        assert (await closed_with(outsider, 4404))["code"] == "deal_room.not_found"
    async with room_socket(a, world.room, world.pre_nda.token) as early:
        assert (await closed_with(early, 4403))["code"] == "deal_room.nda_required"
    async with room_socket(a, world.room, "not-a-token") as forged:
        assert (await closed_with(forged, 4401))["code"] == "auth.invalid_token"


async def test_a_removed_participant_is_closed_on_both_replicas(world, servers):
    a, b = servers
    async with (
        room_socket(a, world.room, world.bank.token) as bank_a,
        room_socket(b, world.room, world.bank.token) as bank_b,
        room_socket(b, world.room, world.lead.token) as lead_b,
    ):
        for ws in (bank_a, bank_b, lead_b):
            await hello(ws)
        participant = world.participant_ids[world.bank.user_id]
        async with httpx.AsyncClient(base_url=a) as http:
            removed = await http.delete(
                f"{API}/deal-rooms/{world.room}/participants/{participant}", headers=world.lead.headers
            )
        assert removed.status_code == 204
        for ws in (bank_a, bank_b):
            assert (await closed_with(ws, 4404))["code"] == "deal_room.live_participation_ended"
        # The lead stays, and sees the event.
        event = await frame(lead_b)
        assert event["type"] == "event"
        assert event["kind"] == "participant_removed"
        assert event["ref"] == participant


async def test_sending_is_authorized_per_message_and_rate_limited(world, servers):
    a, b = servers
    async with room_socket(a, world.room, world.bank.token) as bank:
        await hello(bank)
        for i in range(20):
            await bank.send(json.dumps({"type": "send", "body": f"m{i}", "client_id": str(i)}))
        acks = []
        while len(acks) < 20:
            got = await frame(bank)
            assert got["type"] in ("ack", "message"), got
            if got["type"] == "ack":
                acks.append(got["client_id"])
        assert sorted(acks, key=int) == [str(i) for i in range(20)]
        # The limit is counted in the database: the 21st message, through the other replica, is refused.
        async with httpx.AsyncClient(base_url=b) as http:
            over = await http.post(
                f"{API}/deal-rooms/{world.room}/messages", json={"body": "多すぎ"}, headers=world.bank.headers
            )
            assert over.status_code == 429, over.text
            assert over.json()["code"] == "deal_room.message_rate_limited"
            assert int(over.headers["retry-after"]) > 0
        await bank.send(json.dumps({"type": "send", "body": "まだ?", "client_id": "x"}))
        refused = None
        while refused is None:
            got = await frame(bank)
            if got["type"] == "error":
                refused = got
        assert refused["code"] == "deal_room.message_rate_limited"
        assert refused["status"] == 429
        assert refused["client_id"] == "x"
        assert refused["retry_after"] > 0
        # The room moves to closed: the socket is told why and closed.
        async with httpx.AsyncClient(base_url=b) as http:
            for stage in ("nda", "due_diligence", "term_sheet", "commitments", "closing", "closed"):
                moved = await http.post(
                    f"{API}/deal-rooms/{world.room}/transitions",
                    json={"to_stage": stage, "reason": "進行"},
                    headers=world.lead.headers,
                )
                assert moved.status_code == 201, moved.text
        assert (await closed_with(bank, 4410))["code"] == "deal_room.live_room_closed"


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ("not json", "JSON"),
        ('{"type": "shout"}', "type"),
        ('{"type": "send"}', "body"),
        ('{"type": "send", "body": ""}', "body"),
        ('{"type": "hello", "last_seen_id": -1}', "last_seen_id"),
        ("[1, 2]", "JSON"),
    ],
)
async def test_a_bad_frame_is_answered_with_an_error_frame_and_the_socket_stays(world, servers, raw, field):
    a, _ = servers
    async with room_socket(a, world.room, world.bank.token) as ws:
        await ws.send(raw)
        error = await frame(ws)
        assert error["type"] == "error"
        assert error["code"] == "deal_room.live_bad_frame"
        assert error["message"]["ja"]
        assert error["message"]["en"]
        assert error["field"] == field
        await ws.send(json.dumps({"type": "send", "body": "hello より先"}))
        assert (await frame(ws))["code"] == "deal_room.live_hello_first"
        await ws.send(json.dumps({"type": "ping"}))
        assert (await frame(ws)) == {"type": "pong"}
        assert (await hello(ws))[-1]["type"] == "live"
