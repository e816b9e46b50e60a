"""The admin vetting queue: submitted projects, oldest first; approve or reject with a checklist."""

from __future__ import annotations

import uuid
from typing import Annotated

import msgspec
from litestar import Controller, get, post
from litestar.params import Parameter
from litestar.status_codes import HTTP_201_CREATED
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.principal import Principal
from service.errors import InvalidInput
from service.models.enums import ProjectStatus, Role
from service.pagination import Cursor, offset_from, page_of
from service.projects.controllers import summary_from_row, transition_read
from service.projects.queries import ProjectFilters
from service.projects.schemas import ProjectSummary, TransitionRead
from service.projects.service import ProjectService
from service.types import Page
from service.vetting.schemas import VettingDecision


class VettingController(Controller):
    path = "/api/v1/vetting"
    tags = ["vetting"]

    @get("/queue", summary="Submitted projects awaiting vetting, oldest first (admins)")
    async def queue(
        self,
        db_session: AsyncSession,
        user: Principal,
        limit: Annotated[int, Parameter(ge=1, le=200)] = 50,
        cursor: Cursor = None,
    ) -> Page[ProjectSummary]:
        user.require_role(Role.admin)
        offset = offset_from(cursor)
        filters = ProjectFilters(statuses=(ProjectStatus.submitted,), sort="created_at")
        rows, total = await ProjectService(db_session).page(filters, user, limit=limit, offset=offset)
        return page_of([summary_from_row(r) for r in rows], total=total, limit=limit, offset=offset)

    @post("/{project_id:uuid}/decision", status_code=HTTP_201_CREATED, summary="Approve or reject a submitted project")
    async def decide(
        self, project_id: uuid.UUID, data: VettingDecision, db_session: AsyncSession, user: Principal
    ) -> TransitionRead:
        user.require_role(Role.admin)
        checklist = msgspec.structs.asdict(data.checklist)
        if data.decision == "approve":
            unchecked = [k for k, v in checklist.items() if v is False]
            if unchecked:
                raise InvalidInput.for_field(
                    f"checklist.{unchecked[0]}",
                    "vetting.checklist_incomplete",
                    f"承認にはすべての確認項目が必要です（未確認: {', '.join(unchecked)}）。",
                    f"Approval needs every checklist item (unchecked: {', '.join(unchecked)}).",
                )
        to_status = ProjectStatus.vetted if data.decision == "approve" else ProjectStatus.rejected
        record = await ProjectService(db_session).transition(
            user, project_id, to_status, data.reason, checklist=checklist, vetting=True
        )
        return transition_read(record)
