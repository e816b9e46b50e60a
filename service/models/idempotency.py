"""Responses kept for retried writes (the ``Idempotency-Key`` header): see ``service.idempotency``."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, LargeBinary, SmallInteger, String
from sqlmodel import Field, SQLModel

from service.models.base import timestamp_column, utcnow


class IdempotencyKey(SQLModel, table=True):
    """The first response to a caller's write under one key, written in the write's own
    transaction, so a retry after a lost response replays it instead of writing twice."""

    __tablename__ = "idempotency_key"
    __table_args__ = (Index("ix_idempotency_key_expires_at", "expires_at"),)

    user_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True, nullable=False)
    )
    key: str = Field(sa_column=Column(String(255), primary_key=True, nullable=False))
    #: sha256 over method, path, query and body: the same key with another request is refused.
    request_hash: str = Field(sa_column=Column(String(64), nullable=False))
    method: str = Field(sa_column=Column(String(16), nullable=False))
    path: str = Field(sa_column=Column(String(2048), nullable=False))
    status_code: int = Field(sa_column=Column(SmallInteger, nullable=False))
    content_type: str = Field(sa_column=Column(String(255), nullable=False))
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
    expires_at: datetime = Field(sa_column=timestamp_column(default_now=False))
