"""Interaction events: recorded for investor profiles the caller owns, on projects it may see.

Recording is idempotent on the client's id (``INSERT … ON CONFLICT DO NOTHING``, then compare):
a retry with the same content returns the stored event, other content is a conflict.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, insert, literal, select, true
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.principal import Principal
from service.errors import Conflict
from service.events.messages import MESSAGES
from service.events.schemas import EventCreate
from service.investors.service import INVESTING_ROLES, owned_profile, owned_profiles_clause
from service.models import InteractionEvent, InvestorProfile
from service.models.base import utcnow
from service.models.matching import EventKind
from service.projects.service import ProjectService

EVT = InteractionEvent.__table__.c  # type: ignore[attr-defined]
INV = InvestorProfile.__table__.c  # type: ignore[attr-defined]
#: A timestamp may run this far ahead of the server's clock (client clock skew).
CLOCK_SKEW = timedelta(minutes=5)
#: Reading the same project again within this time is not another view.
VIEW_DEDUPE = timedelta(minutes=30)


def _same(event: InteractionEvent, data: EventCreate) -> bool:
    return (
        event.investor_profile_id == data.investor_id
        and event.project_id == data.project_id
        and event.kind == data.kind
        and (data.at is None or event.at == data.at)
    )


class EventService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(self, principal: Principal, data: EventCreate) -> tuple[InteractionEvent, bool]:
        """(event, created): ``created`` is False when this id was already stored with this content."""
        await owned_profile(self.session, principal, data.investor_id)
        await ProjectService(self.session).get_visible(data.project_id, principal)
        now = utcnow()
        if data.at is not None and data.at > now + CLOCK_SKEW:
            raise MESSAGES.invalid("at", "event.in_future")
        inserted = await self.session.scalar(
            pg_insert(InteractionEvent)
            .values(
                id=data.id,
                investor_profile_id=data.investor_id,
                project_id=data.project_id,
                kind=data.kind.value,
                at=data.at or now,
                recorded_by=principal.user_id,
                created_at=now,
            )
            .on_conflict_do_nothing(index_elements=["id"])
            .returning(EVT.id)
        )
        event = await self.session.get(InteractionEvent, data.id, populate_existing=True)
        assert event is not None
        if inserted is None and not _same(event, data):
            raise MESSAGES.error(Conflict, "event.id_reused")
        return event, inserted is not None

    async def page(
        self,
        principal: Principal,
        *,
        investor_id: uuid.UUID | None,
        project_id: uuid.UUID | None,
        kind: EventKind | None,
        since: datetime | None,
        limit: int,
        offset: int,
    ) -> tuple[list[Any], int]:
        clauses: list[Any] = []
        if not principal.is_admin:
            clauses.append(EVT.investor_profile_id.in_(select(INV.id).where(owned_profiles_clause(principal))))
        if investor_id is not None:
            clauses.append(EVT.investor_profile_id == investor_id)
        if project_id is not None:
            clauses.append(EVT.project_id == project_id)
        if kind is not None:
            clauses.append(EVT.kind == kind.value)
        if since is not None:
            clauses.append(EVT.at >= since)
        rows = (
            await self.session.execute(
                select(InteractionEvent.__table__, func.count().over().label("total"))
                .where(and_(true(), *clauses))
                .order_by(EVT.at.desc(), EVT.id.desc())
                .limit(limit)
                .offset(offset)
            )
        ).all()
        if rows:
            return list(rows), int(rows[0].total)
        if not offset:
            return [], 0
        total = await self.session.scalar(
            select(func.count()).select_from(InteractionEvent).where(and_(true(), *clauses))
        )
        return [], int(total or 0)


async def record_view(session: AsyncSession, principal: Principal | None, project_id: uuid.UUID) -> None:
    """A project read by a signed-in investor is a view: one ``INSERT … SELECT`` over the caller's
    investor profiles (none: nothing written), skipped when the same profile viewed it recently."""
    if principal is None or not principal.roles.intersection(INVESTING_ROLES):
        return  # a personal profile needs an investing role too, so no query for anyone else
    recent = exists().where(
        EVT.investor_profile_id == INV.id,
        EVT.project_id == project_id,
        EVT.kind == EventKind.view.value,
        EVT.at > func.now() - VIEW_DEDUPE,
    )
    rows = select(
        func.gen_random_uuid(),
        INV.id,
        literal(project_id),
        literal(EventKind.view.value),
        func.now(),
        literal(principal.user_id),
    ).where(owned_profiles_clause(principal), ~recent)
    await session.execute(
        insert(InteractionEvent).from_select(
            ["id", "investor_profile_id", "project_id", "kind", "at", "recorded_by"], rows
        )
    )
