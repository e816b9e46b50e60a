"""Vetting decisions: an admin approves (every checklist item checked) or rejects a submitted
project. Separation of duties: an admin who acts for the project's organisation may not vet it,
as claims already refuse (``impact_claim.own_organisation``)."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.principal import Principal
from service.errors import Forbidden
from service.models import ProjectTransition
from service.models.enums import ProjectStatus
from service.projects.service import ProjectService
from service.vetting.messages import MESSAGES
from service.vetting.schemas import VettingDecision


class VettingService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def decide(self, principal: Principal, project_id: uuid.UUID, data: VettingDecision) -> ProjectTransition:
        checklist: dict[str, Any] = msgspec.structs.asdict(data.checklist)
        if data.decision == "approve":
            unchecked = [k for k, v in checklist.items() if v is False]
            if unchecked:
                raise MESSAGES.invalid(
                    f"checklist.{unchecked[0]}", "vetting.checklist_incomplete", unchecked=", ".join(unchecked)
                )
        projects = ProjectService(self.session)
        project = await projects.get_visible(project_id, principal)
        if principal.acts_for(project.organisation_id):
            raise MESSAGES.error(Forbidden, "vetting.own_organisation")
        to_status = ProjectStatus.vetted if data.decision == "approve" else ProjectStatus.rejected
        return await projects.transition(
            principal, project_id, to_status, data.reason, checklist=checklist, vetting=True
        )
