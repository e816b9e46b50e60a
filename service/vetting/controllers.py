"""The admin vetting queue: submitted projects, oldest first; approve or reject with a checklist."""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, Router, get, post
from litestar.params import Parameter
from litestar.status_codes import HTTP_201_CREATED
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.guards import requires_admin
from service.auth.principal import Principal
from service.models.enums import ProjectStatus
from service.pagination import Cursor, offset_from, page_of
from service.projects.queries import ProjectFilters
from service.projects.schemas import ProjectSummary, TransitionRead, from_stored
from service.projects.service import ProjectService
from service.types import Page
from service.vetting.schemas import VettingDecision
from service.vetting.service import VettingService


class VettingController(Controller):
    """Admins only: the guard is on the controller."""

    path = "/vetting"
    guards = [requires_admin]

    @get("/queue", summary="Submitted projects awaiting vetting, oldest first (admins)")
    async def queue(
        self,
        db_session: AsyncSession,
        user: Principal,
        limit: Annotated[int, Parameter(ge=1, le=200)] = 50,
        cursor: Cursor = None,
    ) -> Page[ProjectSummary]:
        offset = offset_from(cursor)
        filters = ProjectFilters(statuses=(ProjectStatus.submitted,), sort="created_at")
        rows, total = await ProjectService(db_session).page(filters, user, limit=limit, offset=offset)
        return page_of(rows, total=total, limit=limit, offset=offset)

    @post(
        "/{project_id:uuid}/decision",
        status_code=HTTP_201_CREATED,
        summary="Approve or reject a submitted project",
        opt={"idempotent": True},
    )
    async def decide(
        self, project_id: uuid.UUID, data: VettingDecision, db_session: AsyncSession, user: Principal
    ) -> TransitionRead:
        record = await VettingService(db_session).decide(user, project_id, data)
        return from_stored(TransitionRead, record)


router = Router(path="/api/v1", route_handlers=[VettingController], tags=["vetting"])
