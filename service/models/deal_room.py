"""Deal rooms: where a match becomes a deal — the room, its participants, access requests, stage
moves and its NDA versions with their acceptances. Documents, Q&A, messages and notifications
attach to ``deal_room.id`` (and to ``deal_room_participant.id`` for per-participant records)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from service.models.base import enum_check, enum_column, new_id, timestamp_column, utcnow


class RoomStage(StrEnum):
    open = "open"
    nda = "nda"
    due_diligence = "due_diligence"
    term_sheet = "term_sheet"
    commitments = "commitments"
    closing = "closing"
    closed = "closed"
    cancelled = "cancelled"


#: Stages after which a room is no longer the project's open room.
FINAL_STAGES = frozenset({RoomStage.closed, RoomStage.cancelled})


class RoomRole(StrEnum):
    lead_team = "lead_team"
    investor = "investor"
    bank = "bank"
    advisor = "advisor"
    observer = "observer"


class ParticipantStatus(StrEnum):
    active = "active"
    left = "left"
    removed = "removed"


class AccessRequestStatus(StrEnum):
    pending = "pending"
    accepted = "accepted"
    declined = "declined"


class AccessRequestSource(StrEnum):
    """Where an investor asked from: a project's page, or one of its matches."""

    project = "project"
    match = "match"


class DealRoom(SQLModel, table=True):
    __tablename__ = "deal_room"
    __table_args__ = (
        enum_check("stage", RoomStage),
        # One open room per project (closed and cancelled rooms stay as history).
        Index(
            "ux_deal_room_open_project",
            "project_id",
            unique=True,
            postgresql_where=text("stage NOT IN ('closed', 'cancelled')"),
        ),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    project_id: uuid.UUID = Field(sa_column=Column(ForeignKey("project.id"), nullable=False, index=True))
    name_ja: str = Field(sa_column=Column(String(200), nullable=False))
    name_en: str = Field(sa_column=Column(String(200), nullable=False))
    stage: str = Field(default=RoomStage.open, sa_column=enum_column(RoomStage))
    opened_by: uuid.UUID = Field(sa_column=Column(ForeignKey("app_user.id"), nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())


class DealRoomParticipant(SQLModel, table=True):
    """A user in a room for an organisation, with a role; leaving or removal ends it (the row stays)."""

    __tablename__ = "deal_room_participant"
    __table_args__ = (
        enum_check("role", RoomRole),
        enum_check("status", ParticipantStatus),
        Index(
            "ux_deal_room_participant_active",
            "room_id",
            "user_id",
            unique=True,
            postgresql_where=text("status = 'active'"),
        ),
        Index("ix_deal_room_participant_user", "user_id", "status"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    room_id: uuid.UUID = Field(sa_column=Column(ForeignKey("deal_room.id", ondelete="CASCADE"), nullable=False))
    user_id: uuid.UUID = Field(sa_column=Column(ForeignKey("app_user.id"), nullable=False))
    organisation_id: uuid.UUID = Field(sa_column=Column(ForeignKey("organisation.id"), nullable=False))
    role: str = Field(sa_column=enum_column(RoomRole))
    status: str = Field(default=ParticipantStatus.active, sa_column=enum_column(ParticipantStatus))
    added_by: uuid.UUID = Field(sa_column=Column(ForeignKey("app_user.id"), nullable=False))
    joined_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
    ended_at: datetime | None = Field(default=None, sa_column=timestamp_column(nullable=True, default_now=False))
    ended_by: uuid.UUID | None = Field(default=None, sa_column=Column(ForeignKey("app_user.id"), nullable=True))


class DealRoomAccessRequest(SQLModel, table=True):
    __tablename__ = "deal_room_access_request"
    __table_args__ = (
        enum_check("status", AccessRequestStatus),
        enum_check("source", AccessRequestSource),
        Index(
            "ux_deal_room_access_request_pending",
            "room_id",
            "user_id",
            unique=True,
            postgresql_where=text("status = 'pending'"),
        ),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    room_id: uuid.UUID = Field(sa_column=Column(ForeignKey("deal_room.id", ondelete="CASCADE"), nullable=False))
    user_id: uuid.UUID = Field(sa_column=Column(ForeignKey("app_user.id"), nullable=False))
    organisation_id: uuid.UUID = Field(sa_column=Column(ForeignKey("organisation.id"), nullable=False))
    note: str = Field(sa_column=Column(String(2000), nullable=False))
    status: str = Field(default=AccessRequestStatus.pending, sa_column=enum_column(AccessRequestStatus))
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
    decided_by: uuid.UUID | None = Field(default=None, sa_column=Column(ForeignKey("app_user.id"), nullable=True))
    decided_at: datetime | None = Field(default=None, sa_column=timestamp_column(nullable=True, default_now=False))
    reason: str | None = Field(default=None, sa_column=Column(String(2000), nullable=True))
    source: str = Field(
        default=AccessRequestSource.project,
        sa_column=Column(String(32), nullable=False, server_default=AccessRequestSource.project.value),
    )
    #: For ``source = match``: the investor profile whose match it was, and the match as the
    #: server ranked it then (score, baseline, reasons, ranker, model version).
    match_profile_id: uuid.UUID | None = Field(
        default=None, sa_column=Column(ForeignKey("investor_profile.id", ondelete="SET NULL"), nullable=True)
    )
    match_snapshot: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB, nullable=True))


class DealRoomStageMove(SQLModel, table=True):
    __tablename__ = "deal_room_stage_move"
    __table_args__ = (
        enum_check("from_stage", RoomStage),
        enum_check("to_stage", RoomStage),
        Index("ix_deal_room_stage_move_room_at", "room_id", "at"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    room_id: uuid.UUID = Field(sa_column=Column(ForeignKey("deal_room.id", ondelete="CASCADE"), nullable=False))
    from_stage: str = Field(sa_column=enum_column(RoomStage))
    to_stage: str = Field(sa_column=enum_column(RoomStage))
    actor_id: uuid.UUID = Field(sa_column=Column(ForeignKey("app_user.id"), nullable=False))
    reason: str = Field(sa_column=Column(String(2000), nullable=False))
    at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())


class DealRoomNda(SQLModel, table=True):
    """One published version of a room's NDA; the highest version is the current one."""

    __tablename__ = "deal_room_nda"
    __table_args__ = (UniqueConstraint("room_id", "version", name="uq_deal_room_nda_room_version"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    room_id: uuid.UUID = Field(sa_column=Column(ForeignKey("deal_room.id", ondelete="CASCADE"), nullable=False))
    version: int = Field(sa_column=Column(Integer, nullable=False))
    text_ja: str = Field(sa_column=Column(Text, nullable=False))
    text_en: str = Field(sa_column=Column(Text, nullable=False))
    published_by: uuid.UUID = Field(sa_column=Column(ForeignKey("app_user.id"), nullable=False))
    published_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())


class DealRoomNdaAcceptance(SQLModel, table=True):
    __tablename__ = "deal_room_nda_acceptance"
    __table_args__ = (UniqueConstraint("nda_id", "user_id", name="uq_deal_room_nda_acceptance_nda_user"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    nda_id: uuid.UUID = Field(sa_column=Column(ForeignKey("deal_room_nda.id", ondelete="CASCADE"), nullable=False))
    room_id: uuid.UUID = Field(sa_column=Column(ForeignKey("deal_room.id", ondelete="CASCADE"), nullable=False))
    version: int = Field(sa_column=Column(Integer, nullable=False))
    user_id: uuid.UUID = Field(sa_column=Column(ForeignKey("app_user.id"), nullable=False))
    ip: str = Field(sa_column=Column(String(64), nullable=False))
    accepted_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
