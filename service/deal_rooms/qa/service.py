"""A deal room's Q&A: ask, assign, answer (with revisions), publish to the FAQ, list.

Who sees what:

- a question is visible to its asker's side — the room's active participants who sit for the
  asker's organisation (in a deal the bidder is the organisation: its colleagues must not ask
  twice, nor miss the answer) — and to the lead team; to everyone else it does not exist (404);
- the lead team's routing (assignee, due date, overdue) is shown to the lead team only;
- a published question is an FAQ item: the lead team's own wording (ja/en) of the question and
  the answer, which every participant past the NDA sees, and which never names the asker.

Every method enters the room through :meth:`RoomService.inside`, so non-participants get 404,
participants before the NDA 403, and ``policy.ACTIONS`` says which room roles may do what in which
stage. Each write is in the audit log (``deal_room.question_*``, ``deal_room.faq_*``; ids only —
the texts are under the room's NDA), and computes the users to notify in its ``_on_*`` hook.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from service.audit.service import append as audit
from service.auth.principal import Principal
from service.deal_rooms.live.feed import publish_room_event
from service.deal_rooms.qa.documents import validate_document_reference
from service.deal_rooms.qa.messages import MESSAGES
from service.deal_rooms.qa.schemas import AnswerCreate, AssignmentCreate, PublicationCreate, QuestionCreate
from service.deal_rooms.service import RoomService, Seat
from service.errors import Conflict, Forbidden, NotFound
from service.models import DealRoomAnswer, DealRoomNda, DealRoomNdaAcceptance, DealRoomParticipant, DealRoomQuestion
from service.models.base import utcnow
from service.models.deal_room import ParticipantStatus, RoomRole
from service.models.deal_room_qa import QuestionStatus
from service.notifications import notify

Q, A, P = DealRoomQuestion, DealRoomAnswer, DealRoomParticipant
S = QuestionStatus
UNANSWERED = (S.open.value, S.assigned.value)
ACTIVE = ParticipantStatus.active.value
LEAD_TEAM = RoomRole.lead_team.value


@dataclass(frozen=True)
class Thread:
    """A question with its answer revisions, oldest first (the last is the current answer)."""

    question: DealRoomQuestion
    answers: list[DealRoomAnswer]


def is_overdue(question: DealRoomQuestion) -> bool:
    return question.status == S.assigned and question.due_at is not None and question.due_at < utcnow()


def _overdue() -> ColumnElement[bool]:
    return and_(Q.status == S.assigned.value, Q.due_at < func.now())  # type: ignore[arg-type, operator]


class QaService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.rooms = RoomService(session, principal)

    # ── reading ─────────────────────────────────────────────────────────────────────────────────

    def _visible(self, seat: Seat) -> ColumnElement[bool]:
        """The questions ``seat`` may see: all for the lead team, else its organisation's side's."""
        if seat.role == RoomRole.lead_team:
            return true()
        return or_(Q.asker_organisation_id == seat.me.organisation_id, Q.asker_id == seat.me.user_id)  # type: ignore[arg-type]

    async def questions(
        self,
        room_id: uuid.UUID,
        *,
        statuses: Sequence[QuestionStatus] = (),
        overdue: bool | None = None,
        limit: int,
        offset: int,
    ) -> tuple[Seat, list[Thread], int]:
        """One page of the questions the caller sees, oldest first (overdue ones: longest overdue
        first), and how many there are."""
        seat = await self.rooms.inside(room_id, "read_questions")
        if overdue is not None and seat.role != RoomRole.lead_team:
            raise MESSAGES.error(Forbidden, "deal_room_qa.overdue_lead_only")
        where = [Q.room_id == room_id, self._visible(seat)]
        if statuses:
            where.append(Q.status.in_([s.value for s in statuses]))  # type: ignore[attr-defined]
        if overdue is not None:
            where.append(_overdue() if overdue else ~_overdue())
        total = await self.session.scalar(select(func.count()).select_from(Q).where(*where))
        order = (Q.due_at, Q.created_at, Q.id) if overdue else (Q.created_at, Q.id)
        rows = await self.session.scalars(select(Q).where(*where).order_by(*order).limit(limit).offset(offset))  # type: ignore[arg-type]
        return seat, await self._threads(list(rows)), int(total or 0)

    async def question(self, room_id: uuid.UUID, question_id: uuid.UUID) -> tuple[Seat, Thread]:
        seat = await self.rooms.inside(room_id, "read_questions")
        question = await self._find(seat, question_id)
        return seat, (await self._threads([question]))[0]

    async def faq(self, room_id: uuid.UUID, *, limit: int, offset: int) -> tuple[list[DealRoomQuestion], int]:
        """The room's published questions, in the order they were published."""
        await self.rooms.inside(room_id, "read_faq")
        where = (Q.room_id == room_id, Q.status == S.published.value)
        total = await self.session.scalar(select(func.count()).select_from(Q).where(*where))
        rows = await self.session.scalars(
            select(Q).where(*where).order_by(Q.published_at, Q.id).limit(limit).offset(offset)  # type: ignore[arg-type]
        )
        return list(rows), int(total or 0)

    async def _find(self, seat: Seat, question_id: uuid.UUID, *, lock: bool = False) -> DealRoomQuestion:
        query = select(Q).where(Q.id == question_id, Q.room_id == seat.room.id, self._visible(seat))
        question = (await self.session.execute(query.with_for_update() if lock else query)).scalar_one_or_none()
        if question is None:
            raise MESSAGES.error(NotFound, "deal_room_qa.question_not_found")
        return question

    async def _threads(self, questions: list[DealRoomQuestion]) -> list[Thread]:
        answers: dict[uuid.UUID, list[DealRoomAnswer]] = {q.id: [] for q in questions}
        if questions:
            rows = await self.session.scalars(
                select(A).where(A.question_id.in_(list(answers))).order_by(A.question_id, A.revision)  # type: ignore[attr-defined]
            )
            for answer in rows:
                answers[answer.question_id].append(answer)
        return [Thread(q, answers[q.id]) for q in questions]

    # ── writing ─────────────────────────────────────────────────────────────────────────────────

    async def ask(self, room_id: uuid.UUID, data: QuestionCreate) -> tuple[Seat, Thread]:
        seat = await self.rooms.inside(room_id, "ask_question")
        await validate_document_reference(self.session, seat, data.document_id, data.page)
        question = Q(
            room_id=room_id,
            asker_id=self.principal.user_id,
            asker_organisation_id=seat.me.organisation_id,
            text=data.text,
            document_id=data.document_id,
            page=data.page,
        )
        self.session.add(question)
        await self.session.flush()
        await self._audit("question_asked", question, document_id=data.document_id, page=data.page)
        await notify(self.session, await self._on_asked(question), "question_asked", {}, room_id=room_id)
        return seat, Thread(question, [])

    async def assign(self, room_id: uuid.UUID, question_id: uuid.UUID, data: AssignmentCreate) -> tuple[Seat, Thread]:
        seat = await self.rooms.inside(room_id, "assign_question")
        question = await self._find(seat, question_id, lock=True)
        if question.status not in UNANSWERED:
            raise MESSAGES.error(Conflict, "deal_room_qa.already_answered", status=question.status)
        if data.assignee_id not in await self._active_users(room_id, role=LEAD_TEAM):
            raise MESSAGES.invalid("assignee_id", "deal_room_qa.assignee_not_lead_team")
        if data.due_at <= utcnow():
            raise MESSAGES.invalid("due_at", "deal_room_qa.due_in_past")
        now = utcnow()
        question.status, question.assignee_id, question.due_at = S.assigned, data.assignee_id, data.due_at
        question.assigned_by, question.assigned_at, question.updated_at = self.principal.user_id, now, now
        self.session.add(question)
        await self.session.flush()
        await self._audit("question_assigned", question, assignee_id=data.assignee_id, due_at=data.due_at.isoformat())
        due = {"due": data.due_at.date().isoformat()}
        await notify(self.session, await self._on_assigned(question), "question_assigned", due, room_id=room_id)
        return seat, (await self._threads([question]))[0]

    async def answer(self, room_id: uuid.UUID, question_id: uuid.UUID, data: AnswerCreate) -> tuple[Seat, Thread]:
        """Answer, or revise the answer: a new revision, the earlier ones kept. A published FAQ item
        keeps its text until the lead team publishes again."""
        seat = await self.rooms.inside(room_id, "answer_question")
        # The question's row lock numbers revisions one at a time.
        question = await self._find(seat, question_id, lock=True)
        latest = await self.session.scalar(select(func.max(A.revision)).where(A.question_id == question.id))
        revision = (latest or 0) + 1
        answer = A(question_id=question.id, revision=revision, text=data.text, author_id=self.principal.user_id)
        if question.status in UNANSWERED:
            question.status = S.answered
        question.updated_at = utcnow()
        self.session.add_all([answer, question])
        await self.session.flush()
        await self._audit("question_answered", question, revision=answer.revision)
        await notify(self.session, await self._on_answered(question), "question_answered", {}, room_id=room_id)
        return seat, (await self._threads([question]))[0]

    async def publish(
        self, room_id: uuid.UUID, question_id: uuid.UUID, data: PublicationCreate
    ) -> tuple[Seat, DealRoomQuestion]:
        seat = await self.rooms.inside(room_id, "publish_faq")
        question = await self._find(seat, question_id, lock=True)
        if question.status not in (S.answered, S.published):
            raise MESSAGES.error(Conflict, "deal_room_qa.not_answered")
        current = (await self._threads([question]))[0].answers[-1]
        republished = question.status == S.published
        question.faq_question_ja, question.faq_question_en = data.question_ja, data.question_en
        question.faq_answer_ja = data.answer_ja if data.answer_ja is not None else current.text
        question.faq_answer_en = data.answer_en if data.answer_en is not None else current.text
        question.status, question.published_by = S.published, self.principal.user_id
        question.published_at = question.updated_at = utcnow()
        self.session.add(question)
        await self.session.flush()
        await self._audit("faq_published", question, answer_revision=current.revision, republished=republished)
        await self._on_published(question)
        # The FAQ is the room's: every socket past the NDA may learn of it (a question is not).
        await publish_room_event(self.session, room_id, "faq_published", str(question.id))
        return seat, question

    async def unpublish(self, room_id: uuid.UUID, question_id: uuid.UUID) -> None:
        seat = await self.rooms.inside(room_id, "publish_faq")
        question = await self._find(seat, question_id, lock=True)
        if question.status != S.published:
            raise MESSAGES.error(Conflict, "deal_room_qa.not_published")
        question.status = S.answered
        question.faq_question_ja = question.faq_question_en = question.faq_answer_ja = question.faq_answer_en = None
        question.published_by = question.published_at = None
        question.updated_at = utcnow()
        self.session.add(question)
        await self.session.flush()
        await self._audit("faq_unpublished", question)
        await publish_room_event(self.session, room_id, "faq_unpublished", str(question.id))

    async def _audit(self, action: str, question: DealRoomQuestion, **extra: Any) -> None:
        payload = {"room_id": question.room_id, **extra}
        await audit(
            self.session,
            actor_id=self.principal.user_id,
            action=f"deal_room.{action}",
            object_type="deal_room_question",
            object_id=question.id,
            payload={k: str(v) if isinstance(v, uuid.UUID) else v for k, v in payload.items()},
        )

    # ── whom each event concerns (notifications and live updates attach here) ──────────────────

    async def _active_users(self, room_id: uuid.UUID, *, role: str | None = None) -> set[uuid.UUID]:
        query = select(P.user_id).where(P.room_id == room_id, P.status == ACTIVE)
        if role is not None:
            query = query.where(P.role == role)
        return set((await self.session.scalars(query)).all())

    async def _on_asked(self, question: DealRoomQuestion) -> set[uuid.UUID]:
        """A new question: the room's lead team (the asker aside)."""
        return await self._active_users(question.room_id, role=LEAD_TEAM) - {question.asker_id}

    async def _on_assigned(self, question: DealRoomQuestion) -> set[uuid.UUID]:
        """A question assigned: its assignee, unless it assigned itself."""
        return {u for u in (question.assignee_id,) if u is not None and u != self.principal.user_id}

    async def _on_answered(self, question: DealRoomQuestion) -> set[uuid.UUID]:
        """An answer or a revision: the asker, and the assignee when someone else answered — those
        still in the room, the author aside."""
        wanted = {u for u in (question.asker_id, question.assignee_id) if u is not None and u != self.principal.user_id}
        return wanted & await self._active_users(question.room_id)

    async def _on_published(self, question: DealRoomQuestion) -> set[uuid.UUID]:
        """A new FAQ item: every participant who accepted the room's current NDA, the publisher aside."""
        current = select(func.max(DealRoomNda.version)).where(DealRoomNda.room_id == question.room_id)
        accepted = select(DealRoomNdaAcceptance.user_id).where(
            DealRoomNdaAcceptance.room_id == question.room_id,
            DealRoomNdaAcceptance.version == current.scalar_subquery(),
        )
        query = select(P.user_id).where(
            P.room_id == question.room_id,
            P.status == ACTIVE,
            P.user_id.in_(accepted),  # type: ignore[attr-defined]
        )
        return set((await self.session.scalars(query)).all()) - {self.principal.user_id}
