"""In-app notifications: one row per recipient and event (an invitation, an access request and
its answer, a stage move, …); the text is rendered from the notifications catalogue by ``kind``
and ``params`` when it is read, in the reader's language."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Column, ForeignKey, Index, String, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from service.models.base import new_id, timestamp_column, utcnow


class Notification(SQLModel, table=True):
    __tablename__ = "notification"
    __table_args__ = (
        # A user's list, newest first, and the unread count.
        Index("ix_notification_user_created", "user_id", "created_at"),
        Index("ix_notification_user_unread", "user_id", postgresql_where=text("read_at IS NULL")),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    user_id: uuid.UUID = Field(sa_column=Column(ForeignKey("app_user.id", ondelete="CASCADE"), nullable=False))
    #: A kind of the notifications catalogue (``service.notifications.kinds``).
    kind: str = Field(sa_column=Column(String(64), nullable=False))
    room_id: uuid.UUID | None = Field(
        default=None, sa_column=Column(ForeignKey("deal_room.id", ondelete="CASCADE"), nullable=True)
    )
    params: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONB, nullable=False, server_default=text("'{}'::jsonb"))
    )
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
    read_at: datetime | None = Field(default=None, sa_column=timestamp_column(nullable=True, default_now=False))
