"""Interaction events (what investors did with projects) and the matching model versions."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from service.models.base import enum_check, enum_column, new_id, timestamp_column, utcnow


class EventKind(StrEnum):
    view = "view"
    bookmark = "bookmark"
    interest = "interest"
    decline = "decline"
    commit = "commit"


class ModelStatus(StrEnum):
    candidate = "candidate"
    active = "active"
    retired = "retired"


class InteractionEvent(SQLModel, table=True):
    """One interaction of an investor profile with a project. ``id`` is chosen by the client
    (idempotent retries) or generated for implicit events such as a project read (a view)."""

    __tablename__ = "interaction_event"
    __table_args__ = (
        enum_check("kind", EventKind),
        Index("ix_interaction_event_investor_at", "investor_profile_id", "at"),
        Index("ix_interaction_event_investor_project", "investor_profile_id", "project_id"),
        Index("ix_interaction_event_project_at", "project_id", "at"),
        Index("ix_interaction_event_at", "at"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    investor_profile_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("investor_profile.id", ondelete="CASCADE"), nullable=False)
    )
    project_id: uuid.UUID = Field(sa_column=Column(ForeignKey("project.id", ondelete="CASCADE"), nullable=False))
    kind: str = Field(sa_column=enum_column(EventKind))
    at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
    #: Who recorded it; NULL for generated history (demo data).
    recorded_by: uuid.UUID | None = Field(
        default=None, sa_column=Column(ForeignKey("app_user.id", ondelete="SET NULL"))
    )
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())


class ModelVersion(SQLModel, table=True):
    """A trained matching model: its metrics and its artifact (no pickle; see matching.load_model),
    stored in the database so every stateless replica loads the same bytes."""

    __tablename__ = "model_version"
    __table_args__ = (
        enum_check("status", ModelStatus),
        # At most one active version: activation retires the previous one in the same transaction.
        Index("uq_model_version_active", "status", unique=True, postgresql_where=text("status = 'active'")),
        Index("ix_model_version_activated_at", "activated_at"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    version: str = Field(sa_column=Column(String(100), nullable=False, unique=True))
    ranker: str = Field(sa_column=Column(String(16), nullable=False))
    status: str = Field(default=ModelStatus.candidate, sa_column=enum_column(ModelStatus))
    trained_by: str = Field(sa_column=Column(String(200), nullable=False))
    window_start: datetime | None = Field(default=None, sa_column=timestamp_column(nullable=True, default_now=False))
    window_end: datetime | None = Field(default=None, sa_column=timestamp_column(nullable=True, default_now=False))
    n_events: int = Field(sa_column=Column(Integer, nullable=False))
    n_investors: int = Field(sa_column=Column(Integer, nullable=False))
    n_projects: int = Field(sa_column=Column(Integer, nullable=False))
    metrics: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONB, nullable=False, server_default=text("'{}'::jsonb"))
    )
    report: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    artifact: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    artifact_size: int = Field(sa_column=Column(BigInteger, nullable=False))
    sha256: str = Field(sa_column=Column(String(64), nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
    activated_at: datetime | None = Field(default=None, sa_column=timestamp_column(nullable=True, default_now=False))
    #: The activation gate (service/matching/gate.py): did the version beat the content ranker and
    #: popularity on its held-out split by the margin? NULL: not judged (no held-out figures).
    gate_passed: bool | None = Field(default=None, sa_column=Column(Boolean, nullable=True))
    #: The gate's verdict as a message code of the matching catalogue, and the figures it compared.
    gate_reason: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))
    gate: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONB, nullable=False, server_default=text("'{}'::jsonb"))
    )


#: Rows of :class:`MatchingChange`: writers spread over them so no single row is a hot spot.
MATCHING_CHANGE_SHARDS = 8


class MatchingChange(SQLModel, table=True):
    """Version counters of what matching reads, bumped by triggers in the same transaction as the
    change (migration 0016): ``catalogue`` for projects, investor profiles and model versions,
    ``events`` for interaction events. A writer bumps the row ``pg_backend_pid() % shards``, a
    reader sums the rows: one tiny query tells a replica whether its served ranker is current."""

    __tablename__ = "matching_change"

    shard: int = Field(sa_column=Column(SmallInteger, primary_key=True, autoincrement=False))
    catalogue: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, server_default=text("0")))
    events: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, server_default=text("0")))
