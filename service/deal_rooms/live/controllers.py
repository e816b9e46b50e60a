"""HTTP and WebSocket for a room's live feed: send a message, page through the history, and the
room's socket (:mod:`service.deal_rooms.live.socket`)."""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, Router, get, post
from litestar.params import Parameter
from litestar.status_codes import HTTP_201_CREATED
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.guards import requires_signed_in
from service.auth.principal import Principal
from service.deal_rooms.live.schemas import FeedItem, MessageCreate
from service.deal_rooms.live.service import LiveService
from service.deal_rooms.live.socket import room_socket
from service.models.deal_room_messages import DealRoomMessage
from service.pagination import Cursor, PageLimit, offset_from, page_of
from service.types import Page

After = Annotated[
    int, Parameter(ge=0, le=2**62, description="Only rows after this id (the last one the client has seen)")
]


def feed_item(row: DealRoomMessage, author_name: str | None) -> FeedItem:
    return FeedItem(row.seq, row.kind, row.body, row.ref, row.author_id, author_name, row.created_at)


class RoomMessageController(Controller):
    """A room's messages and events; only participants past the NDA see them (others: 404/403)."""

    path = "/deal-rooms/{room_id:uuid}/messages"
    guards = [requires_signed_in]

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Send a chat message to the room; every socket in it receives it (participants, rate-limited)",
        opt={"idempotent": True, "problems": {429: True}},
    )
    async def send_message(
        self, room_id: uuid.UUID, data: MessageCreate, db_session: AsyncSession, user: Principal
    ) -> FeedItem:
        row = await LiveService(db_session, user).send(room_id, data.body)
        return feed_item(row, user.display_name)

    @get("/", summary="The room's messages and events in order, after a given id (participants)")
    async def list_messages(
        self,
        room_id: uuid.UUID,
        db_session: AsyncSession,
        user: Principal,
        after: After = 0,
        limit: PageLimit = 50,
        cursor: Cursor = None,
    ) -> Page[FeedItem]:
        offset = offset_from(cursor)
        rows, total = await LiveService(db_session, user).history(room_id, after, limit=limit, offset=offset)
        return page_of([feed_item(r, n) for r, n in rows], total=total, limit=limit, offset=offset)


router = Router(path="/api/v1", route_handlers=[RoomMessageController, room_socket], tags=["deal rooms"])
