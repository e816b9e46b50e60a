"""The shared outbox: anything that leaves the transaction (an email, a call to another
service) is written here in the request's transaction and sent by a drainer after commit."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Index, Integer, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from service.models.base import new_id, timestamp_column, utcnow


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox_message"
    __table_args__ = (
        # The drainer's query: unsent rows that are due, oldest first.
        Index("ix_outbox_message_due", "available_at", postgresql_where=text("sent_at IS NULL")),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    kind: str = Field(sa_column=Column(String(64), nullable=False))
    payload: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONB, nullable=False, server_default=text("'{}'::jsonb"))
    )
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
    available_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
    sent_at: datetime | None = Field(default=None, sa_column=timestamp_column(nullable=True, default_now=False))
    attempts: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default=text("0")))
    last_error: str | None = Field(default=None, sa_column=Column(Text))
