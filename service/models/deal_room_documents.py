"""A deal room's data room: nested folders, documents with numbered versions, per-group
permissions on folders and documents, and the record of every view, download and viewed page.

Files live in the document store (content-addressed by sha256); a version row keeps its key."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from service.models.base import enum_check, enum_column, new_id, timestamp_column, utcnow


class AccessLevel(StrEnum):
    """What a participant group may do with a folder's or document's contents (ordered)."""

    none = "none"
    view = "view"
    download = "download"


class AudienceGroup(StrEnum):
    """The participant groups permissions are set for (the lead team always has everything)."""

    investor = "investor"
    bank = "bank"
    advisor = "advisor"
    observer = "observer"


class AccessKind(StrEnum):
    view = "view"
    download = "download"


class DealRoomFolder(SQLModel, table=True):
    """A folder; ``parent_id`` NULL places it at the room's top level."""

    __tablename__ = "deal_room_folder"
    __table_args__ = (Index("ix_deal_room_folder_room_parent", "room_id", "parent_id"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    room_id: uuid.UUID = Field(sa_column=Column(ForeignKey("deal_room.id", ondelete="CASCADE"), nullable=False))
    parent_id: uuid.UUID | None = Field(
        default=None, sa_column=Column(ForeignKey("deal_room_folder.id"), nullable=True)
    )
    name: str = Field(sa_column=Column(String(200), nullable=False))
    created_by: uuid.UUID = Field(sa_column=Column(ForeignKey("app_user.id"), nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())


class DealRoomDocument(SQLModel, table=True):
    __tablename__ = "deal_room_document"
    __table_args__ = (Index("ix_deal_room_document_folder", "folder_id"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    room_id: uuid.UUID = Field(sa_column=Column(ForeignKey("deal_room.id", ondelete="CASCADE"), nullable=False))
    folder_id: uuid.UUID = Field(sa_column=Column(ForeignKey("deal_room_folder.id"), nullable=False))
    title: str = Field(sa_column=Column(String(255), nullable=False))
    current_version: int = Field(default=1, sa_column=Column(Integer, nullable=False))
    created_by: uuid.UUID = Field(sa_column=Column(ForeignKey("app_user.id"), nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())


class DealRoomDocumentVersion(SQLModel, table=True):
    __tablename__ = "deal_room_document_version"
    __table_args__ = (
        UniqueConstraint("document_id", "version", name="uq_deal_room_document_version_document_version"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    document_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("deal_room_document.id", ondelete="CASCADE"), nullable=False)
    )
    version: int = Field(sa_column=Column(Integer, nullable=False))
    filename: str = Field(sa_column=Column(String(255), nullable=False))
    media_type: str = Field(sa_column=Column(String(100), nullable=False))
    size_bytes: int = Field(sa_column=Column(BigInteger, nullable=False))
    sha256: str = Field(sa_column=Column(String(64), nullable=False))
    storage_key: str = Field(sa_column=Column(String(64), nullable=False))
    page_count: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    uploaded_by: uuid.UUID = Field(sa_column=Column(ForeignKey("app_user.id"), nullable=False))
    uploaded_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())


class DealRoomPermission(SQLModel, table=True):
    """A group's level set on one folder or one document; no row = inherited (see the service)."""

    __tablename__ = "deal_room_permission"
    __table_args__ = (
        enum_check("audience", AudienceGroup),
        enum_check("level", AccessLevel),
        CheckConstraint("num_nonnulls(folder_id, document_id) = 1", name="one_target"),
        UniqueConstraint("folder_id", "audience", name="uq_deal_room_permission_folder_audience"),
        UniqueConstraint("document_id", "audience", name="uq_deal_room_permission_document_audience"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    room_id: uuid.UUID = Field(sa_column=Column(ForeignKey("deal_room.id", ondelete="CASCADE"), nullable=False))
    folder_id: uuid.UUID | None = Field(
        default=None, sa_column=Column(ForeignKey("deal_room_folder.id", ondelete="CASCADE"), nullable=True)
    )
    document_id: uuid.UUID | None = Field(
        default=None, sa_column=Column(ForeignKey("deal_room_document.id", ondelete="CASCADE"), nullable=True)
    )
    audience: str = Field(sa_column=enum_column(AudienceGroup))
    level: str = Field(sa_column=enum_column(AccessLevel))
    set_by: uuid.UUID = Field(sa_column=Column(ForeignKey("app_user.id"), nullable=False))
    set_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())


class DealRoomDocumentAccess(SQLModel, table=True):
    """One view or download of a document version by a participant."""

    __tablename__ = "deal_room_document_access"
    __table_args__ = (
        enum_check("kind", AccessKind),
        Index("ix_deal_room_document_access_room_at", "room_id", "at"),
        Index("ix_deal_room_document_access_document", "document_id"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    room_id: uuid.UUID = Field(sa_column=Column(ForeignKey("deal_room.id", ondelete="CASCADE"), nullable=False))
    document_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("deal_room_document.id", ondelete="CASCADE"), nullable=False)
    )
    version_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("deal_room_document_version.id", ondelete="CASCADE"), nullable=False)
    )
    version: int = Field(sa_column=Column(Integer, nullable=False))
    participant_id: uuid.UUID = Field(sa_column=Column(ForeignKey("deal_room_participant.id"), nullable=False))
    user_id: uuid.UUID = Field(sa_column=Column(ForeignKey("app_user.id"), nullable=False))
    kind: str = Field(sa_column=enum_column(AccessKind))
    watermarked: bool = Field(sa_column=Column(Boolean, nullable=False))
    at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())


class DealRoomPageView(SQLModel, table=True):
    """A viewer's beacon: a participant spent ``seconds`` on ``page`` of a document version."""

    __tablename__ = "deal_room_page_view"
    __table_args__ = (
        Index("ix_deal_room_page_view_room_at", "room_id", "at"),
        Index("ix_deal_room_page_view_document", "document_id"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    room_id: uuid.UUID = Field(sa_column=Column(ForeignKey("deal_room.id", ondelete="CASCADE"), nullable=False))
    document_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("deal_room_document.id", ondelete="CASCADE"), nullable=False)
    )
    version: int = Field(sa_column=Column(Integer, nullable=False))
    participant_id: uuid.UUID = Field(sa_column=Column(ForeignKey("deal_room_participant.id"), nullable=False))
    user_id: uuid.UUID = Field(sa_column=Column(ForeignKey("app_user.id"), nullable=False))
    page: int = Field(sa_column=Column(Integer, nullable=False))
    seconds: float = Field(sa_column=Column(Float, nullable=False))
    at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
