"""A deal room's Q&A: questions a participant asks (optionally about a document and page), the
lead team's answers with every revision kept, and the anonymised FAQ text a question is published
under. A question is private to its asker's side and the lead team; its FAQ text is what every
participant past the NDA sees once it is published."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from service.models.base import enum_check, enum_column, new_id, timestamp_column, utcnow


class QuestionStatus(StrEnum):
    open = "open"
    assigned = "assigned"
    answered = "answered"
    published = "published"


class DealRoomQuestion(SQLModel, table=True):
    __tablename__ = "deal_room_question"
    __table_args__ = (
        enum_check("status", QuestionStatus),
        CheckConstraint("page IS NULL OR page >= 1", name="page_positive"),
        Index("ix_deal_room_question_room_status", "room_id", "status"),
        Index("ix_deal_room_question_room_asker_org", "room_id", "asker_organisation_id"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    room_id: uuid.UUID = Field(sa_column=Column(ForeignKey("deal_room.id", ondelete="CASCADE"), nullable=False))
    asker_id: uuid.UUID = Field(sa_column=Column(ForeignKey("app_user.id"), nullable=False))
    #: The organisation the asker sits in the room for: its colleagues in the room see the question.
    asker_organisation_id: uuid.UUID = Field(sa_column=Column(ForeignKey("organisation.id"), nullable=False))
    text: str = Field(sa_column=Column(String(5000), nullable=False))
    #: The data-room document asked about, and its page.
    document_id: uuid.UUID | None = Field(
        default=None, sa_column=Column(ForeignKey("deal_room_document.id"), nullable=True)
    )
    page: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    status: str = Field(default=QuestionStatus.open, sa_column=enum_column(QuestionStatus))
    assignee_id: uuid.UUID | None = Field(default=None, sa_column=Column(ForeignKey("app_user.id"), nullable=True))
    assigned_by: uuid.UUID | None = Field(default=None, sa_column=Column(ForeignKey("app_user.id"), nullable=True))
    assigned_at: datetime | None = Field(default=None, sa_column=timestamp_column(nullable=True, default_now=False))
    due_at: datetime | None = Field(default=None, sa_column=timestamp_column(nullable=True, default_now=False))
    #: The FAQ text the lead team wrote (edited, anonymised); kept when unpublished.
    faq_question_ja: str | None = Field(default=None, sa_column=Column(String(5000), nullable=True))
    faq_question_en: str | None = Field(default=None, sa_column=Column(String(5000), nullable=True))
    faq_answer_ja: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    faq_answer_en: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    published_by: uuid.UUID | None = Field(default=None, sa_column=Column(ForeignKey("app_user.id"), nullable=True))
    published_at: datetime | None = Field(default=None, sa_column=timestamp_column(nullable=True, default_now=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())


class DealRoomAnswer(SQLModel, table=True):
    """One revision of a question's answer; the highest revision is the current answer."""

    __tablename__ = "deal_room_answer"
    __table_args__ = (UniqueConstraint("question_id", "revision", name="uq_deal_room_answer_question_revision"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    question_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("deal_room_question.id", ondelete="CASCADE"), nullable=False)
    )
    revision: int = Field(sa_column=Column(Integer, nullable=False))
    text: str = Field(sa_column=Column(Text, nullable=False))
    author_id: uuid.UUID = Field(sa_column=Column(ForeignKey("app_user.id"), nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
