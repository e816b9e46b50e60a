"""The write side of a room's live feed: a row first, then ``pg_notify`` in the same transaction.

Every row gets the room's next ``seq`` from ``deal_room_feed_head``; the upsert locks the room's
head row until the writer commits, so rows of one room commit in ``seq`` order and a reader that
has seen ``seq`` n has seen every row below it. The notification carries ids only
(``{"room": "<uuid>", "id": <seq>}``; payloads are limited to 8,000 bytes) and is sent by
PostgreSQL at commit, never if the transaction rolls back: nothing is published fire-and-forget.

Other modules announce a change to the room's sockets with :func:`publish_room_event`::

    await publish_room_event(session, room.id, "stage", "due_diligence")
"""

from __future__ import annotations

import json
import uuid

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from service.models import User
from service.models.deal_room_messages import DealRoomFeedHead, DealRoomMessage

#: The one channel every replica listens on; the payload names the room.
CHANNEL = "kyoso_deal_room_feed"
CHAT = "chat"
#: Room events after which each replica checks who may still hold a socket in the room.
MEMBERSHIP_KINDS = frozenset({"participant_removed", "participant_left", "nda_published", "stage"})


async def next_seq(session: AsyncSession, room_id: uuid.UUID) -> int:
    """The room's next ``seq``; holds the room's feed-head row lock until the transaction ends."""
    upsert = insert(DealRoomFeedHead).values(room_id=room_id, last_seq=1)
    upsert = upsert.on_conflict_do_update(index_elements=["room_id"], set_={"last_seq": DealRoomFeedHead.last_seq + 1})
    return int((await session.execute(upsert.returning(DealRoomFeedHead.last_seq))).scalar_one())


async def append(
    session: AsyncSession,
    room_id: uuid.UUID,
    kind: str,
    *,
    seq: int | None = None,
    author_id: uuid.UUID | None = None,
    body: str | None = None,
    ref: str | None = None,
) -> DealRoomMessage:
    """Store one feed row and notify every replica at commit (``seq`` from :func:`next_seq`)."""
    if seq is None:
        seq = await next_seq(session, room_id)
    row = DealRoomMessage(room_id=room_id, seq=seq, kind=kind, author_id=author_id, body=body, ref=ref)
    session.add(row)
    await session.flush()
    payload = json.dumps({"room": str(room_id), "id": seq})
    await session.execute(text("SELECT pg_notify(:channel, :payload)"), {"channel": CHANNEL, "payload": payload})
    return row


async def publish_room_event(session: AsyncSession, room_id: uuid.UUID, kind: str, ref: str | None) -> int:
    """Announce a change in the room (``kind`` such as ``stage``, ``question``; ``ref`` names what
    changed, e.g. the new stage or the question's id) to every socket in it, on every replica, when
    the caller's transaction commits. Sockets receive ``{"type": "event", "id", "kind", "ref"}``
    and re-read what they need; the event is in the room's history too. Returns its ``seq``."""
    return (await append(session, room_id, kind, ref=ref)).seq


async def recent_by(session: AsyncSession, room_id: uuid.UUID, author_id: uuid.UUID, seconds: int) -> int:
    """How many messages ``author_id`` sent in the room during the last ``seconds``."""
    return int(
        await session.scalar(
            select(func.count())
            .select_from(DealRoomMessage)
            .where(
                DealRoomMessage.room_id == room_id,
                DealRoomMessage.author_id == author_id,
                DealRoomMessage.kind == CHAT,
                DealRoomMessage.created_at > func.now() - func.make_interval(0, 0, 0, 0, 0, 0, seconds),
            )
        )
        or 0
    )


async def rows_after(
    session: AsyncSession, room_id: uuid.UUID, after: int, *, limit: int, offset: int = 0
) -> list[tuple[DealRoomMessage, str | None]]:
    """The room's rows with ``seq`` above ``after``, in order, with their authors' display names."""
    query = (
        select(DealRoomMessage, User.display_name)
        .outerjoin(User, User.id == DealRoomMessage.author_id)
        .where(DealRoomMessage.room_id == room_id, DealRoomMessage.seq > after)
        .order_by(DealRoomMessage.seq)
        .offset(offset)
        .limit(limit)
    )
    return [(row, name) for row, name in (await session.execute(query)).all()]


async def count_after(session: AsyncSession, room_id: uuid.UUID, after: int) -> int:
    query = select(func.count()).select_from(DealRoomMessage)
    query = query.where(DealRoomMessage.room_id == room_id, DealRoomMessage.seq > after)
    return int(await session.scalar(query) or 0)
