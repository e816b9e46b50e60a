"""API shapes of a deal room's Q&A and FAQ."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import msgspec

from service.models.deal_room_qa import QuestionStatus
from service.types import NO_NUL, DatesInRange

QuestionText = Annotated[str, msgspec.Meta(min_length=1, max_length=5000, pattern=NO_NUL)]
AnswerText = Annotated[str, msgspec.Meta(min_length=1, max_length=20_000, pattern=NO_NUL)]
PageNumber = Annotated[int, msgspec.Meta(ge=1, le=100_000, description="Page of the document (1-based)")]
DueAt = Annotated[datetime, msgspec.Meta(tz=True, description="RFC 3339 with an offset; in the future")]


class QuestionCreate(msgspec.Struct, forbid_unknown_fields=True):
    """Ask the lead team; optionally about a document of the room and a page of it."""

    text: QuestionText
    document_id: uuid.UUID | None = None
    #: Only with ``document_id``.
    page: PageNumber | None = None


class AssignmentCreate(DatesInRange, forbid_unknown_fields=True):
    """Route an unanswered question to a lead-team member (its user id) with a due date."""

    assignee_id: uuid.UUID
    due_at: DueAt


class AnswerCreate(msgspec.Struct, forbid_unknown_fields=True):
    """Answer, or revise the answer (every revision is kept)."""

    text: AnswerText


class PublicationCreate(msgspec.Struct, forbid_unknown_fields=True):
    """Publish (or re-publish) an answered question to the room's FAQ under the lead team's own
    wording of the question; the answer's texts default to the current answer."""

    question_ja: QuestionText
    question_en: QuestionText
    answer_ja: AnswerText | None = None
    answer_en: AnswerText | None = None


class AnswerRead(msgspec.Struct):
    revision: int
    text: str
    author_id: uuid.UUID
    created_at: datetime


class AssignmentRead(msgspec.Struct):
    """The lead team's routing of a question (shown to the lead team only)."""

    assignee_id: uuid.UUID
    assigned_by: uuid.UUID
    assigned_at: datetime
    due_at: datetime
    #: Past its due date and still unanswered.
    overdue: bool


class FaqItemRead(msgspec.Struct):
    """A published question as every participant past the NDA sees it: the lead team's wording,
    never the asker."""

    id: uuid.UUID
    room_id: uuid.UUID
    question_ja: str
    question_en: str
    answer_ja: str
    answer_en: str
    document_id: uuid.UUID | None
    page: int | None
    published_at: datetime


class QuestionRead(msgspec.Struct):
    """A question as its asker's side and the lead team see it, with every answer revision (the
    last is the current answer) and, once published, its FAQ item."""

    id: uuid.UUID
    room_id: uuid.UUID
    asker_id: uuid.UUID
    asker_organisation_id: uuid.UUID
    text: str
    document_id: uuid.UUID | None
    page: int | None
    status: QuestionStatus
    created_at: datetime
    updated_at: datetime
    #: ``null`` before assignment, and for callers outside the lead team.
    assignment: AssignmentRead | None
    answers: list[AnswerRead]
    faq: FaqItemRead | None
