"""HTTP for a deal room's Q&A and FAQ: thin — who sees and may do what is the service's."""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, Router, delete, get, post
from litestar.params import Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.guards import requires_signed_in
from service.auth.principal import Principal
from service.deal_rooms.qa.schemas import (
    AnswerCreate,
    AnswerRead,
    AssignmentCreate,
    AssignmentRead,
    FaqItemRead,
    PublicationCreate,
    QuestionCreate,
    QuestionRead,
)
from service.deal_rooms.qa.service import QaService, Thread, is_overdue
from service.deal_rooms.service import Seat
from service.models.deal_room import RoomRole
from service.models.deal_room_qa import DealRoomQuestion, QuestionStatus
from service.pagination import Cursor, PageLimit, offset_from, page_of
from service.types import Page

Overdue = Annotated[
    bool | None,
    Parameter(description="true: only questions past their due date and unanswered; false: the others (lead team)"),
]


def faq_read(q: DealRoomQuestion) -> FaqItemRead:
    return FaqItemRead(
        id=q.id,
        room_id=q.room_id,
        question_ja=q.faq_question_ja or "",
        question_en=q.faq_question_en or "",
        answer_ja=q.faq_answer_ja or "",
        answer_en=q.faq_answer_en or "",
        document_id=q.document_id,
        page=q.page,
        published_at=q.published_at,  # type: ignore[arg-type]
    )


def question_read(seat: Seat, thread: Thread) -> QuestionRead:
    q = thread.question
    assignment = None
    if seat.role == RoomRole.lead_team and q.assignee_id is not None:
        assignment = AssignmentRead(
            q.assignee_id,
            q.assigned_by,  # type: ignore[arg-type]
            q.assigned_at,  # type: ignore[arg-type]
            q.due_at,  # type: ignore[arg-type]
            is_overdue(q),
        )
    return QuestionRead(
        id=q.id,
        room_id=q.room_id,
        asker_id=q.asker_id,
        asker_organisation_id=q.asker_organisation_id,
        text=q.text,
        document_id=q.document_id,
        page=q.page,
        status=QuestionStatus(q.status),
        created_at=q.created_at,
        updated_at=q.updated_at,
        assignment=assignment,
        answers=[AnswerRead(a.revision, a.text, a.author_id, a.created_at) for a in thread.answers],
        faq=faq_read(q) if q.status == QuestionStatus.published else None,
    )


class QaController(Controller):
    """Questions are seen by their asker's side and the lead team; the FAQ by every participant
    past the NDA; the room itself by its participants only (everyone else: 404)."""

    path = "/deal-rooms/{room_id:uuid}"
    guards = [requires_signed_in]

    @post(
        "/questions",
        status_code=HTTP_201_CREATED,
        summary="Ask the lead team a question, optionally about a document and page (participants past the NDA)",
        opt={"idempotent": True},
    )
    async def ask(
        self, room_id: uuid.UUID, data: QuestionCreate, db_session: AsyncSession, user: Principal
    ) -> QuestionRead:
        return question_read(*await QaService(db_session, user).ask(room_id, data))

    @get("/questions", summary="The questions the caller sees: its side's, or all for the lead team")
    async def list_questions(
        self,
        room_id: uuid.UUID,
        db_session: AsyncSession,
        user: Principal,
        status: list[QuestionStatus] | None = None,
        overdue: Overdue = None,
        limit: PageLimit = 50,
        cursor: Cursor = None,
    ) -> Page[QuestionRead]:
        offset = offset_from(cursor)
        seat, threads, total = await QaService(db_session, user).questions(
            room_id, statuses=tuple(status or ()), overdue=overdue, limit=limit, offset=offset
        )
        return page_of([question_read(seat, t) for t in threads], total=total, limit=limit, offset=offset)

    @get("/questions/{question_id:uuid}", summary="One question with every answer revision")
    async def get_question(
        self, room_id: uuid.UUID, question_id: uuid.UUID, db_session: AsyncSession, user: Principal
    ) -> QuestionRead:
        return question_read(*await QaService(db_session, user).question(room_id, question_id))

    @post(
        "/questions/{question_id:uuid}/assignment",
        status_code=HTTP_200_OK,
        summary="Assign an unanswered question to a lead-team member with a due date (lead team)",
    )
    async def assign(
        self,
        room_id: uuid.UUID,
        question_id: uuid.UUID,
        data: AssignmentCreate,
        db_session: AsyncSession,
        user: Principal,
    ) -> QuestionRead:
        return question_read(*await QaService(db_session, user).assign(room_id, question_id, data))

    @post(
        "/questions/{question_id:uuid}/answers",
        status_code=HTTP_201_CREATED,
        summary="Answer a question, or revise its answer: every revision is kept (lead team)",
        opt={"idempotent": True},
    )
    async def answer(
        self,
        room_id: uuid.UUID,
        question_id: uuid.UUID,
        data: AnswerCreate,
        db_session: AsyncSession,
        user: Principal,
    ) -> QuestionRead:
        return question_read(*await QaService(db_session, user).answer(room_id, question_id, data))

    @post(
        "/questions/{question_id:uuid}/publication",
        status_code=HTTP_200_OK,
        summary="Publish an answered question to the room's FAQ in the lead team's wording, or re-publish (lead team)",
    )
    async def publish(
        self,
        room_id: uuid.UUID,
        question_id: uuid.UUID,
        data: PublicationCreate,
        db_session: AsyncSession,
        user: Principal,
    ) -> FaqItemRead:
        _, question = await QaService(db_session, user).publish(room_id, question_id, data)
        return faq_read(question)

    @delete(
        "/questions/{question_id:uuid}/publication",
        status_code=HTTP_204_NO_CONTENT,
        summary="Take a question out of the room's FAQ (lead team)",
    )
    async def unpublish(
        self, room_id: uuid.UUID, question_id: uuid.UUID, db_session: AsyncSession, user: Principal
    ) -> None:
        await QaService(db_session, user).unpublish(room_id, question_id)

    @get("/faq", summary="The room's FAQ: published questions in the lead team's wording (participants past the NDA)")
    async def list_faq(
        self,
        room_id: uuid.UUID,
        db_session: AsyncSession,
        user: Principal,
        limit: PageLimit = 50,
        cursor: Cursor = None,
    ) -> Page[FaqItemRead]:
        offset = offset_from(cursor)
        rows, total = await QaService(db_session, user).faq(room_id, limit=limit, offset=offset)
        return page_of([faq_read(q) for q in rows], total=total, limit=limit, offset=offset)


router = Router(path="/api/v1", route_handlers=[QaController], tags=["deal rooms"])
