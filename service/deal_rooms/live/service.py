"""Sending and reading a room's messages, for HTTP and the WebSocket alike: every call checks the
caller's seat in the room first (404 to non-participants, 403 before the current NDA)."""

from __future__ import annotations

import uuid

from service.deal_rooms.live import feed
from service.deal_rooms.live.messages import MESSAGES
from service.deal_rooms.service import RoomService, Seat
from service.errors import TooManyRequests
from service.models.deal_room_messages import DealRoomMessage

#: Messages one participant may send to a room per window, counted in the database, so the limit
#: holds however many replicas the participant's sockets and requests reach.
RATE_LIMIT = 20
RATE_WINDOW_SECONDS = 10


class LiveService(RoomService):
    async def send(self, room_id: uuid.UUID, body: str) -> DealRoomMessage:
        """Store a chat message; every socket in the room receives it when this transaction commits."""
        if not body.strip():
            raise MESSAGES.invalid("body", "deal_room.message_blank")
        # The room row's lock orders a message after a removal or stage move that committed first.
        await self.inside(room_id, "send_message", lock=True)
        seq = await feed.next_seq(self.session, room_id)
        sent = await feed.recent_by(self.session, room_id, self.principal.user_id, RATE_WINDOW_SECONDS)
        if sent >= RATE_LIMIT:
            raise MESSAGES.error(
                TooManyRequests,
                "deal_room.message_rate_limited",
                retry_after=RATE_WINDOW_SECONDS,
                limit=RATE_LIMIT,
                seconds=RATE_WINDOW_SECONDS,
            )
        return await feed.append(self.session, room_id, feed.CHAT, seq=seq, author_id=self.principal.user_id, body=body)

    async def history(
        self, room_id: uuid.UUID, after: int, *, limit: int, offset: int
    ) -> tuple[list[tuple[DealRoomMessage, str | None]], int]:
        """One page of the room's feed after ``after``, and how many rows follow ``after`` in all."""
        await self.inside(room_id, "read_messages")
        rows = await feed.rows_after(self.session, room_id, after, limit=limit, offset=offset)
        return rows, await feed.count_after(self.session, room_id, after)

    async def listen(self, room_id: uuid.UUID) -> Seat:
        """The caller's seat, if it may hold a socket in the room."""
        return await self.inside(room_id, "read_messages")
