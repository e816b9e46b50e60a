"""A deal room's live feed: chat messages and room events (stage moves, participants leaving or
removed, a new NDA, Q&A), one numbered row each.

``seq`` numbers a room's rows 1, 2, 3… in commit order: it is taken from the room's
``deal_room_feed_head`` row, whose lock the writer holds until it commits, so a row with a
smaller number can never commit after one with a larger number. A client that resumes "after
the last id I saw" therefore never skips a row.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Column, ForeignKey, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from service.models.base import new_id, timestamp_column, utcnow


class DealRoomFeedHead(SQLModel, table=True):
    """The last ``seq`` given out in a room (locked by every writer of the room's feed)."""

    __tablename__ = "deal_room_feed_head"

    room_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("deal_room.id", ondelete="CASCADE"), primary_key=True, nullable=False)
    )
    last_seq: int = Field(sa_column=Column(BigInteger, nullable=False))


class DealRoomMessage(SQLModel, table=True):
    """One row of a room's feed: a chat message (``kind`` ``chat``, with ``body`` and author) or a
    room event (``kind`` such as ``stage``, with ``ref`` naming what changed)."""

    __tablename__ = "deal_room_message"
    __table_args__ = (
        UniqueConstraint("room_id", "seq", name="uq_deal_room_message_room_seq"),
        # The rate limit counts a participant's recent messages in the room.
        Index("ix_deal_room_message_author", "room_id", "author_id", "created_at"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    room_id: uuid.UUID = Field(sa_column=Column(ForeignKey("deal_room.id", ondelete="CASCADE"), nullable=False))
    seq: int = Field(sa_column=Column(BigInteger, nullable=False))
    kind: str = Field(sa_column=Column(String(64), nullable=False))
    author_id: uuid.UUID | None = Field(default=None, sa_column=Column(ForeignKey("app_user.id"), nullable=True))
    body: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    ref: str | None = Field(default=None, sa_column=Column(String(200), nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
