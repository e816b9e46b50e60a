"""The delivery side: this replica's sockets, grouped by room.

The listener (:mod:`service.deal_rooms.live.listener`) wakes a room when a notification names it;
the room's task then reads every row after the last one it read — **one query per event per
replica**, however many sockets the room has here — encodes each row once, and queues it to every
socket in the room. Each socket has its own writer task, so a slow client delays only itself.
After a room event that may end someone's access (removal, leaving, a new NDA, a stage move) the
room's task asks the database once who may still listen and closes the other sockets.

A socket joins in three steps that lose nothing: it registers (rows the room's task reads from
then on are held for it), reads its backlog after the client's ``last_seen_id`` from the table,
then takes the held rows, skipping those the backlog already had.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from dataclasses import dataclass, field

import msgspec
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from service.deal_rooms.live import feed
from service.deal_rooms.live.closing import CLOSE_NDA, CLOSE_REMOVED, CLOSE_ROOM_ENDED, CLOSE_SLOW, Close
from service.deal_rooms.live.messages import MESSAGES
from service.deal_rooms.live.schemas import EventFrame, MessageFrame
from service.deal_rooms.messages import MESSAGES as ROOM_MESSAGES
from service.models.deal_room import FINAL_STAGES
from service.models.deal_room_messages import DealRoomMessage

_log = logging.getLogger("kyoso.live")
_encoder = msgspec.json.Encoder()
#: Rows read per query; a room that fell further behind reads page after page.
PAGE = 500
#: Frames a socket may have queued before it counts as too slow and is closed.
MAX_QUEUED = 5000

_WHO_MAY_LISTEN = text(
    """
    SELECT p.user_id,
           EXISTS (SELECT 1 FROM deal_room_nda_acceptance a
                   WHERE a.room_id = p.room_id AND a.user_id = p.user_id AND a.version = n.version) AS accepted,
           n.version
    FROM deal_room_participant p
    CROSS JOIN LATERAL (SELECT max(version) AS version FROM deal_room_nda WHERE room_id = p.room_id) n
    WHERE p.room_id = :room AND p.status = 'active'
    """
)


def frame_of(row: DealRoomMessage, author_name: str | None) -> str:
    """A row as the JSON text frame every socket receives."""
    if row.kind == feed.CHAT:
        frame: object = MessageFrame(row.seq, row.body, row.author_id, author_name, row.created_at)
    else:
        frame = EventFrame(row.seq, row.kind, row.ref, row.created_at)
    return _encoder.encode(frame).decode()


@dataclass(eq=False)
class Connection:
    """One socket on this replica: what it has been given, and its outgoing queue."""

    room_id: uuid.UUID
    user_id: uuid.UUID
    last: int = 0
    ready: bool = False
    held: list[tuple[int, str]] = field(default_factory=list)
    queue: asyncio.Queue[str | Close] = field(default_factory=asyncio.Queue)
    closing: bool = False

    def offer(self, seq: int, frame: str) -> None:
        """Queue a row unless the socket had it already (rows arrive in ``seq`` order)."""
        if self.closing:
            return
        if not self.ready:
            self.held.append((seq, frame))
            return
        if seq <= self.last:
            return
        self.last = seq
        if self.queue.qsize() >= MAX_QUEUED:
            self.close(Close(CLOSE_SLOW, "deal_room.live_too_slow", MESSAGES.text("deal_room.live_too_slow"), 429))
            return
        self.queue.put_nowait(frame)

    def go_live(self, backlog_last: int) -> None:
        """The backlog up to ``backlog_last`` is queued: hand over the rows held meanwhile."""
        self.last = max(self.last, backlog_last)
        self.ready = True
        held, self.held = self.held, []
        for seq, frame in held:
            self.offer(seq, frame)

    def close(self, close: Close) -> None:
        """Close after the frames already queued (the writer sends the error frame, then closes)."""
        if not self.closing:
            self.closing = True
            self.queue.put_nowait(close)


@dataclass(eq=False)
class _Room:
    room_id: uuid.UUID
    high: int
    connections: set[Connection] = field(default_factory=set)
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None


class Hub:
    """This replica's rooms and sockets. ``notify`` is called by the listener for every event."""

    def __init__(self, session_maker: async_sessionmaker[AsyncSession], *, retry_seconds: float = 0.5) -> None:
        self._maker = session_maker
        self._rooms: dict[uuid.UUID, _Room] = {}
        self._retry = retry_seconds
        #: Queries run to read rows (one per event per room here; for tests and the benchmark).
        self.reads = 0

    # ── sockets joining and leaving ──────────────────────────────────────────────────────────

    async def join(self, connection: Connection) -> None:
        room = self._rooms.get(connection.room_id)
        if room is None:
            async with self._maker() as session:
                high = await session.scalar(
                    select(func.coalesce(func.max(DealRoomMessage.seq), 0)).where(
                        DealRoomMessage.room_id == connection.room_id
                    )
                )
            room = self._rooms.get(connection.room_id)  # another socket may have joined meanwhile
            if room is None:
                room = _Room(connection.room_id, int(high or 0))
                room.task = asyncio.create_task(self._follow(room), name=f"live-room-{connection.room_id}")
                self._rooms[connection.room_id] = room
        room.connections.add(connection)

    def leave(self, connection: Connection) -> None:
        room = self._rooms.get(connection.room_id)
        if room is None:
            return
        room.connections.discard(connection)
        if not room.connections:
            del self._rooms[connection.room_id]
            if room.task is not None:
                room.task.cancel()

    async def backlog(self, connection: Connection, after: int) -> int:
        """Queue the rows after ``after`` from the table; the last id queued."""
        last = after
        while True:
            async with self._maker() as session:
                rows = await feed.rows_after(session, connection.room_id, last, limit=PAGE)
            for row, name in rows:
                connection.queue.put_nowait(frame_of(row, name))
                last = row.seq
            if len(rows) < PAGE:
                return last

    # ── events ───────────────────────────────────────────────────────────────────────────────

    def notify(self, room_id: uuid.UUID) -> None:
        """A row was committed in the room (from the listener); read it if anyone here listens."""
        room = self._rooms.get(room_id)
        if room is not None:
            room.wake.set()

    def resync(self) -> None:
        """The listener (re)connected: every room reads what was committed while no one listened."""
        for room in self._rooms.values():
            room.wake.set()

    async def close_all(self, close: Close) -> None:
        for room in list(self._rooms.values()):
            for connection in room.connections:
                connection.close(close)
            if room.task is not None:
                room.task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await room.task
        self._rooms.clear()

    async def _follow(self, room: _Room) -> None:
        while True:
            await room.wake.wait()
            room.wake.clear()
            try:
                await self._read(room)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database is away: try again (the listener's resync also wakes us)
                _log.warning("reading room %s failed (%s); retrying", room.room_id, exc.__class__.__name__)
                await asyncio.sleep(self._retry)
                room.wake.set()

    async def _read(self, room: _Room) -> None:
        while True:
            async with self._maker() as session:
                rows = await feed.rows_after(session, room.room_id, room.high, limit=PAGE)
                self.reads += 1
                for row, name in rows:
                    frame = frame_of(row, name)
                    for connection in list(room.connections):
                        connection.offer(row.seq, frame)
                    room.high = row.seq
                    if row.kind in feed.MEMBERSHIP_KINDS:
                        await self._sweep(session, room, row)
            if len(rows) < PAGE:
                return

    async def _sweep(self, session: AsyncSession, room: _Room, row: DealRoomMessage) -> None:
        """Close the sockets of those who may no longer listen in the room."""
        if row.kind == "stage" and row.ref in FINAL_STAGES:
            for connection in room.connections:
                text_ = MESSAGES.text("deal_room.live_room_closed", stage=row.ref)
                connection.close(Close(CLOSE_ROOM_ENDED, "deal_room.live_room_closed", text_, 409))
            return
        if row.kind == "stage":
            return
        result = await session.execute(_WHO_MAY_LISTEN, {"room": room.room_id})
        allowed = {r.user_id: (r.accepted, r.version) for r in result.all()}
        for connection in room.connections:
            seat = allowed.get(connection.user_id)
            if seat is None:
                ended = MESSAGES.text("deal_room.live_participation_ended")
                connection.close(Close(CLOSE_REMOVED, "deal_room.live_participation_ended", ended, 404))
            elif not seat[0]:
                gate = ROOM_MESSAGES.text("deal_room.nda_required", version=seat[1])
                connection.close(Close(CLOSE_NDA, "deal_room.nda_required", gate, 403))
