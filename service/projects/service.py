"""Projects: visibility, creation and edits by their lead, and the one status machine."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.audit import service as audit
from service.auth.principal import Principal
from service.errors import Conflict, Forbidden, NotFound
from service.impact.service import inputs_digest, refresh_metrics
from service.models import Municipality, Organisation, Project, ProjectTransition
from service.models.base import utcnow
from service.models.enums import PUBLIC_STATUSES, ProjectStatus, Role
from service.projects.messages import MESSAGES
from service.projects.queries import ProjectFilters, Visibility, prepared_count, prepared_list
from service.projects.schemas import ProjectCreate, ProjectSummary, ProjectUpdate, from_stored
from service.regions.messages import MESSAGES as REGION_MESSAGES

S = ProjectStatus
LEAD, ADMIN = "lead", "admin"

#: (from, to) → who may make the move. Vetting moves (submitted → vetted/rejected) go through
#: the vetting endpoint, which also records the checklist.
TRANSITIONS: dict[tuple[ProjectStatus, ProjectStatus], frozenset[str]] = {
    (S.draft, S.submitted): frozenset({LEAD}),
    (S.submitted, S.draft): frozenset({LEAD}),
    (S.rejected, S.draft): frozenset({LEAD}),
    (S.vetted, S.funding): frozenset({LEAD, ADMIN}),
    (S.funding, S.funded): frozenset({ADMIN}),
    (S.funded, S.closed): frozenset({LEAD, ADMIN}),
    (S.draft, S.withdrawn): frozenset({LEAD, ADMIN}),
    (S.submitted, S.withdrawn): frozenset({LEAD, ADMIN}),
    (S.vetted, S.withdrawn): frozenset({LEAD, ADMIN}),
    (S.funding, S.withdrawn): frozenset({LEAD, ADMIN}),
}
VETTING_MOVES = frozenset({(S.submitted, S.vetted), (S.submitted, S.rejected)})
EDITABLE = frozenset({S.draft})


def _args(prepared: tuple[str, list[Any]]) -> list[Any]:
    sql, args = prepared
    return [sql, *args]


def visibility_for(principal: Principal | None) -> Visibility:
    if principal is None:
        return Visibility()
    if principal.is_admin:
        return Visibility(all_statuses=True)
    return Visibility(organisations=principal.organisations())


class ProjectService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def page(
        self, filters: ProjectFilters, principal: Principal | None, *, limit: int, offset: int
    ) -> tuple[list[ProjectSummary], int]:
        """One page of the projects the caller may see, as the API shows them, and the total."""
        visibility = visibility_for(principal)
        # The hottest read runs its prepared SQL on the session's own driver connection.
        connection = await (await self.session.connection()).get_raw_connection()
        driver = connection.driver_connection
        assert driver is not None
        rows = await driver.fetch(*_args(prepared_list(filters, visibility, limit=limit, offset=offset)))
        if rows:
            return [from_stored(ProjectSummary, dict(r)) for r in rows], int(rows[0]["total"])
        total = await driver.fetchval(*_args(prepared_count(filters, visibility))) if offset else 0
        return [], int(total)

    async def get_visible(self, project_id: uuid.UUID, principal: Principal | None) -> Project:
        project = await self.session.get(Project, project_id)
        if project is None or not self._can_see(project, principal):
            raise MESSAGES.error(NotFound, "project.not_found")  # 404 too for drafts the caller may not know of
        return project

    @staticmethod
    def _can_see(project: Project, principal: Principal | None) -> bool:
        if project.status in PUBLIC_STATUSES:
            return True
        return principal is not None and (principal.is_admin or principal.acts_for(project.organisation_id))

    @staticmethod
    def _is_lead(project: Project, principal: Principal) -> bool:
        return principal.acts_for(project.organisation_id, Role.project_lead)

    async def _lead_organisation(self, principal: Principal, requested: uuid.UUID | None) -> uuid.UUID:
        led = principal.organisations(Role.project_lead)
        if requested is not None:
            if requested not in led:
                raise MESSAGES.error(Forbidden, "project.not_lead_of_organisation")
            return requested
        if len(led) == 1:
            return next(iter(led))
        if not led:
            raise MESSAGES.error(Forbidden, "auth.role_required#create_project")
        raise MESSAGES.invalid("organisation_id", "project.organisation_ambiguous")

    async def _municipality_refs(self, codes: list[str]) -> list[Municipality]:
        unique = list(dict.fromkeys(codes))
        rows = list((await self.session.execute(select(Municipality).where(Municipality.code.in_(unique)))).scalars())  # type: ignore[attr-defined]
        found = {m.code for m in rows}
        missing = [c for c in unique if c not in found]
        if missing:
            raise REGION_MESSAGES.invalid("municipality_codes", "region.unknown_municipality", codes=", ".join(missing))
        order = {code: i for i, code in enumerate(unique)}
        return sorted(rows, key=lambda m: order[m.code])

    @staticmethod
    def _check_money(values: dict[str, Any]) -> None:
        if values["min_ticket_yen"] > values["funding_target_yen"]:
            raise MESSAGES.invalid("min_ticket_yen", "project.ticket_above_target")
        if values["expected_return_min_pct"] > values["expected_return_max_pct"]:
            raise MESSAGES.invalid("expected_return_min_pct", "project.return_range_reversed")
        deadline = values.get("funding_deadline")
        if deadline is not None and deadline <= utcnow().date():
            raise MESSAGES.invalid("funding_deadline", "project.deadline_past")

    async def create(
        self, principal: Principal, data: ProjectCreate, *, demo: bool = False, synthetic: bool = False
    ) -> Project:
        """A draft of one of the caller's organisations. ``demo`` / ``synthetic`` are set only by
        the demo loader (never from a request): demo data and the synthetic demo market."""
        organisation_id = await self._lead_organisation(principal, data.organisation_id)
        values = msgspec.structs.asdict(data)
        values.pop("organisation_id")
        self._check_money(values)
        municipalities = await self._municipality_refs(data.municipality_codes)
        values["municipality_codes"] = [m.code for m in municipalities]
        values["prefecture_codes"] = sorted({m.prefecture_code for m in municipalities})
        project = Project(
            **values,
            organisation_id=organisation_id,
            created_by=principal.user_id,
            status=S.draft,
            is_demo=demo,
            is_synthetic=synthetic,
        )
        await refresh_metrics(self.session, project)
        self.session.add(project)
        await self.session.flush()
        await audit.append(
            self.session,
            actor_id=principal.user_id,
            action="project.create",
            object_type="project",
            object_id=project.id,
            payload={
                "organisation_id": str(organisation_id),
                "title_ja": project.title_ja,
                "impact_inputs_sha256": inputs_digest(project.impact_inputs),
                "metrics": project.computed_metrics,
                **({"demo": True} if demo else {}),
                **({"synthetic": True} if synthetic else {}),
            },
        )
        return project

    async def update(self, principal: Principal, project_id: uuid.UUID, data: ProjectUpdate) -> Project:
        project = await self.get_visible(project_id, principal)
        if not (self._is_lead(project, principal) or principal.is_admin):
            raise MESSAGES.error(Forbidden, "project.not_lead")
        if project.status not in EDITABLE:
            raise MESSAGES.error(Conflict, "project.not_editable", status=project.status)
        changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
        merged = {**project.model_dump(), **changes}
        self._check_money(merged)
        if "municipality_codes" in changes:
            municipalities = await self._municipality_refs(changes["municipality_codes"])
            changes["municipality_codes"] = [m.code for m in municipalities]
            changes["prefecture_codes"] = sorted({m.prefecture_code for m in municipalities})
        edited = sorted(changes)
        for key, value in changes.items():
            setattr(project, key, value)
        # Recomputed here, once per edit (sector and municipalities count in the score too), so
        # every read and list serves stored values.
        await refresh_metrics(self.session, project)
        project.updated_at = utcnow()
        await self.session.flush()
        payload: dict[str, Any] = {"fields": edited}
        if "impact_inputs" in changes:
            payload["impact_inputs_sha256"] = inputs_digest(project.impact_inputs)
            payload["metrics"] = project.computed_metrics
        await audit.append(
            self.session,
            actor_id=principal.user_id,
            action="project.update",
            object_type="project",
            object_id=project.id,
            payload=payload,
        )
        return project

    async def transition(
        self,
        principal: Principal,
        project_id: uuid.UUID,
        to_status: ProjectStatus,
        reason: str,
        *,
        checklist: dict[str, Any] | None = None,
        vetting: bool = False,
    ) -> ProjectTransition:
        project = await self.get_visible(project_id, principal)
        move = (ProjectStatus(project.status), to_status)
        if move in VETTING_MOVES and not vetting:
            raise MESSAGES.error(Conflict, "project.use_vetting")
        allowed = (
            {(S.submitted, S.vetted): frozenset({ADMIN}), (S.submitted, S.rejected): frozenset({ADMIN})}.get(move)
            if vetting
            else TRANSITIONS.get(move)
        )
        if allowed is None:
            raise MESSAGES.error(Conflict, "project.invalid_transition", origin=move[0], target=move[1])
        actor_roles = {LEAD} if self._is_lead(project, principal) else set()
        if principal.is_admin:
            actor_roles.add(ADMIN)
        if not actor_roles & allowed:
            raise MESSAGES.error(Forbidden, "project.transition_forbidden")
        # Row lock: two concurrent moves of one project cannot both succeed from the same state.
        locked = (
            await self.session.execute(select(Project.status).where(Project.id == project.id).with_for_update())
        ).scalar_one()
        if locked != move[0]:
            raise MESSAGES.error(Conflict, "project.status_changed")
        project.status = to_status
        project.updated_at = utcnow()
        record = ProjectTransition(
            project_id=project.id,
            from_status=move[0],
            to_status=to_status,
            actor_id=principal.user_id,
            reason=reason,
            checklist=checklist,
        )
        self.session.add(record)
        await self.session.flush()
        await audit.append(
            self.session,
            actor_id=principal.user_id,
            action=f"vetting.{'approve' if to_status == S.vetted else 'reject'}" if vetting else "project.transition",
            object_type="project",
            object_id=project.id,
            payload={"from": move[0].value, "to": to_status.value, "reason": reason, "checklist": checklist},
        )
        return record

    async def transitions(self, principal: Principal, project_id: uuid.UUID) -> list[ProjectTransition]:
        project = await self.get_visible(project_id, principal)
        if not (principal.is_admin or principal.acts_for(project.organisation_id)):
            raise MESSAGES.error(Forbidden, "project.history_private")
        rows = await self.session.execute(
            select(ProjectTransition)
            .where(ProjectTransition.project_id == project.id)
            .order_by(ProjectTransition.at, ProjectTransition.id)
        )
        return list(rows.scalars())

    async def latest_decision(self, project: Project) -> ProjectTransition | None:
        return (
            await self.session.execute(
                select(ProjectTransition)
                .where(
                    ProjectTransition.project_id == project.id, ProjectTransition.to_status.in_([S.vetted, S.rejected])
                )  # type: ignore[attr-defined]
                .order_by(ProjectTransition.at.desc())
                .limit(1)
            )
        ).scalar_one_or_none()  # type: ignore[attr-defined]

    async def read_parts(self, project: Project) -> tuple[Organisation, list[Municipality]]:
        org = await self.session.get(Organisation, project.organisation_id)
        assert org is not None
        munis = await self._municipality_refs(project.municipality_codes)
        return org, munis
