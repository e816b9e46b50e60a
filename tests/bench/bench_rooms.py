"""Live room benchmark: one room, WebSocket clients split over two service instances.

    uv run python tests/bench/bench_rooms.py [--clients 200] [--messages 1000] [--senders 100]

Starts its own embedded PostgreSQL in a temporary directory, migrates it, starts two instances of
the service (granian, one worker each, 127.0.0.1) on it, opens a room with one participant per
client (past the NDA), connects the clients (half to each instance) and says hello.

Phase 1: ``--senders`` of the clients send ``--messages`` chat messages over their sockets, each
waiting for its ack before the next. Every client must receive every message, in id order, once.
Prints the latency from a sender writing its frame to a client receiving the message (p50/p99 over
every message × client; with many senders it is mostly the wait for the room's write lock), the
latency from the sender's ack (the commit) to each receipt, and the throughput (messages/s, and
deliveries/s).

Phase 2: the same again with half as many messages, and PostgreSQL is stopped and started again
when a third of them are sent. Senders whose send is refused while the database is away retry; the
instances are not restarted. Prints how many messages each client lost (must be 0) or got twice.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402
from websockets.asyncio.client import ClientConnection, connect  # noqa: E402

from service.db import create_engine, session_factory  # noqa: E402
from service.db.embedded import EmbeddedPostgres, ensure_database  # noqa: E402
from service.db.migrate import upgrade  # noqa: E402
from service.models import DealRoomNda, DealRoomNdaAcceptance, DealRoomParticipant  # noqa: E402
from service.models.enums import Role  # noqa: E402
from tests.conftest import TEST_SECRET  # noqa: E402
from tests.service.deal_rooms.live_world import Person, make_people, seed_room, ws_url  # noqa: E402
from tests.support.live_server import LiveServer  # noqa: E402


class Client:
    def __init__(self, person: Person, base: str, room: str) -> None:
        self.person = person
        self.base = base
        self.room = room
        self.ws: ClientConnection | None = None
        self.got: list[tuple[int, str, float]] = []  # (id, body, received at)
        self.acks: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.reader: asyncio.Task[None] | None = None

    async def open(self) -> None:
        headers = {"Authorization": f"Bearer {self.person.token}"}
        self.ws = await connect(ws_url(self.base, self.room), additional_headers=headers, open_timeout=120)
        await self.ws.send(json.dumps({"type": "hello", "last_seen_id": 0}))
        while json.loads(await self.ws.recv())["type"] != "live":
            pass
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.ws is not None
        async for raw in self.ws:
            f = json.loads(raw)
            if f["type"] == "message":
                self.got.append((f["id"], f["body"], time.perf_counter()))
            elif f["type"] in ("ack", "error"):
                self.acks.put_nowait(f)

    async def send(self, body: str, sent_at: dict[str, float], acked_at: dict[str, float]) -> int:
        """Send until stored (retrying refusals while the database is away); the message's id."""
        assert self.ws is not None
        while True:
            sent_at[body] = time.perf_counter()
            await self.ws.send(json.dumps({"type": "send", "body": body, "client_id": body}))
            answer = await asyncio.wait_for(self.acks.get(), 120)
            if answer["type"] == "ack":
                acked_at[body] = time.perf_counter()
                return int(answer["id"])
            await asyncio.sleep(answer.get("retry_after") or 0.5)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            await asyncio.gather(self.reader, return_exceptions=True)


async def seat_everyone(engine: Any, room: str, people: list[Person]) -> None:
    """Participants past the NDA, written directly (inviting 200 through the API only takes longer)."""
    async with session_factory(engine)() as session, session.begin():
        nda = (await session.execute(select(DealRoomNda).where(DealRoomNda.room_id == uuid.UUID(room)))).scalar_one()
        for p in people:
            session.add(
                DealRoomParticipant(
                    room_id=nda.room_id,
                    user_id=p.user_id,
                    organisation_id=p.organisation_id,
                    role="investor",
                    added_by=p.user_id,
                )
            )
            session.add(
                DealRoomNdaAcceptance(nda_id=nda.id, room_id=nda.room_id, version=1, user_id=p.user_id, ip="127.0.0.1")
            )


async def wait_all(clients: list[Client], bodies: set[str], deadline: float) -> float:
    """Until every client has every body (or the deadline); when the last arrived."""
    while time.perf_counter() < deadline:
        if all(bodies <= {b for _, b, _ in c.got} for c in clients):
            return max(t for c in clients for _, b, t in c.got if b in bodies)
        await asyncio.sleep(0.05)
    return float("nan")


def check(clients: list[Client], bodies: set[str]) -> tuple[int, int, int]:
    """(messages lost over all clients, delivered twice, clients that saw ids out of order)."""
    lost = twice = disorder = 0
    for c in clients:
        mine = [(i, b) for i, b, _ in c.got if b in bodies]
        ids = [i for i, _ in mine]
        lost += len(bodies - {b for _, b in mine})
        twice += len(ids) - len(set(ids))
        disorder += ids != sorted(ids)
    return lost, twice, disorder


async def phase(
    clients: list[Client], senders: int, messages: int, tag: str, on_progress: Any = None
) -> tuple[set[str], dict[str, float], dict[str, float], float, float]:
    sent_at: dict[str, float] = {}
    acked_at: dict[str, float] = {}
    bodies = {f"{tag}:{k}" for k in range(messages)}
    per = [sorted(b for b in bodies if int(b.split(":")[1]) % senders == s) for s in range(senders)]
    done = 0

    async def run(sender: Client, mine: list[str]) -> None:
        nonlocal done
        for body in mine:
            await sender.send(body, sent_at, acked_at)
            done += 1
            if on_progress is not None:
                await on_progress(done)

    start = time.perf_counter()
    await asyncio.gather(*(run(clients[s], per[s]) for s in range(senders)))
    last = await wait_all(clients, bodies, time.perf_counter() + 300)
    return bodies, sent_at, acked_at, start, last


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="kyoso-bench-rooms-") as tmp:
        pg = EmbeddedPostgres(Path(tmp) / "pg")
        ensure_database(pg, "kyoso_bench")
        url = pg.url("kyoso_bench")
        engine = create_engine(url, pool_size=2)
        await upgrade(engine)
        servers = [LiveServer(url, data_dir=Path(tmp) / name, secret_key=TEST_SECRET).start() for name in ("a", "b")]
        try:
            world = await seed_room(engine, servers[0].url)
            people, _ = await make_people(engine, [Role.investor] * args.clients)
            await seat_everyone(engine, world.room, people)
            await engine.dispose()
            clients = [Client(p, servers[i % 2].url, world.room) for i, p in enumerate(people)]
            t0 = time.perf_counter()
            for batch in range(0, len(clients), 50):
                await asyncio.gather(*(c.open() for c in clients[batch : batch + 50]))
            print(
                f"{len(clients)} clients connected and live in {time.perf_counter() - t0:.1f} s "
                f"({len(clients) // 2} per instance)"
            )

            bodies, sent_at, acked_at, start, last = await phase(clients, args.senders, args.messages, "p1")
            latencies = sorted(t - sent_at[b] for c in clients for _, b, t in c.got if b in bodies)
            after_ack = sorted(t - acked_at[b] for c in clients for _, b, t in c.got if b in bodies)
            lost, twice, disorder = check(clients, bodies)
            seconds = last - start
            print(f"\nphase 1: {args.messages} messages from {args.senders} senders to {len(clients)} clients")
            print(
                f"  fan-out latency p50 {statistics.median(latencies) * 1000:.0f} ms, "
                f"p99 {latencies[int(len(latencies) * 0.99)] * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
            )
            print(
                f"  after commit (from the sender's ack): p50 {statistics.median(after_ack) * 1000:.0f} ms, "
                f"p99 {after_ack[int(len(after_ack) * 0.99)] * 1000:.0f} ms"
            )
            print(
                f"  {args.messages / seconds:.0f} messages/s, {len(latencies) / seconds:.0f} deliveries/s "
                f"({seconds:.1f} s from the first send to the last delivery)"
            )
            print(f"  lost {lost}, delivered twice {twice}, clients out of order {disorder}")

            restart_at = args.messages // 2 // 3
            restarted: dict[str, float] = {}

            async def maybe_restart(done: int) -> None:
                nonlocal pg
                if done == restart_at and not restarted:
                    restarted["at"] = time.perf_counter()
                    await asyncio.to_thread(pg.stop)
                    pg = await asyncio.to_thread(EmbeddedPostgres, Path(tmp) / "pg")
                    restarted["took"] = time.perf_counter() - restarted["at"]

            bodies2, _, _, _, last2 = await phase(clients, args.senders, args.messages // 2, "p2", maybe_restart)
            lost2, twice2, disorder2 = check(clients, bodies2)
            print(
                f"\nphase 2: {args.messages // 2} messages, PostgreSQL stopped and started after {restart_at} "
                f"(down {restarted.get('took', float('nan')):.1f} s), the instances left running"
            )
            print(f"  every message delivered to every client {last2 - restarted['at']:.1f} s after the restart began")
            print(f"  lost {lost2}, delivered twice {twice2}, clients out of order {disorder2}")
            await asyncio.gather(*(c.close() for c in clients))
            if lost or twice or disorder or lost2 or twice2 or disorder2:
                raise SystemExit("FAILED: messages lost, duplicated or out of order")
        finally:
            for s in servers:
                s.stop()
            pg.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--senders", type=int, default=100)
    asyncio.run(main(parser.parse_args()))
