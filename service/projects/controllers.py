"""HTTP for projects: thin — decode, one service call, convert."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated, Any

import msgspec
from litestar import Controller, get, patch, post
from litestar.di import Provide
from litestar.params import Parameter
from litestar.status_codes import HTTP_201_CREATED
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.principal import Principal
from service.claims.service import verified_metrics
from service.errors import InvalidInput
from service.events.service import record_view
from service.models import Municipality, Organisation, Project, ProjectTransition
from service.models.enums import Instrument, ProjectStatus, Sector
from service.pagination import Cursor, PageLimit, offset_from, page_from_list, page_of
from service.projects.queries import SORTS, ProjectFilters
from service.projects.schemas import (
    MunicipalityRef,
    OrganisationRef,
    ProjectCreate,
    ProjectRead,
    ProjectSummary,
    ProjectUpdate,
    TransitionCreate,
    TransitionRead,
    VerifiedMetric,
)
from service.projects.service import ProjectService
from service.types import Page


def summary_from_row(row: Any) -> ProjectSummary:
    """A list row (an asyncpg ``Record`` or any mapping) as the API shape."""
    return ProjectSummary(
        id=row["id"],
        title_ja=row["title_ja"],
        title_en=row["title_en"],
        summary_ja=row["summary_ja"],
        summary_en=row["summary_en"],
        sector=row["sector"],
        instrument=row["instrument"],
        stage=row["stage"],
        status=row["status"],
        organisation=OrganisationRef(row["organisation_id"], row["organisation_name_ja"], row["organisation_name_en"]),
        municipality_codes=row["municipality_codes"],
        prefecture_codes=row["prefecture_codes"],
        funding_target_yen=row["funding_target_yen"],
        min_ticket_yen=row["min_ticket_yen"],
        # NUMERIC comes back from asyncpg as Decimal (a JSON string); the API says number.
        expected_return_min_pct=float(row["expected_return_min_pct"]),
        expected_return_max_pct=float(row["expected_return_max_pct"]),
        term_months=row["term_months"],
        funding_deadline=row["funding_deadline"],
        created_at=row["created_at"],
        # asyncpg returns JSONB as text.
        metrics=_decode_metrics(row["computed_metrics"]),
        lm3=row["lm3"],
    )


def _decode_metrics(value: Any) -> dict[str, float]:
    if isinstance(value, str | bytes):
        decoded: dict[str, float] = msgspec.json.decode(value)
        return decoded
    return value or {}


def transition_read(t: ProjectTransition) -> TransitionRead:
    return TransitionRead(
        id=t.id,
        from_status=t.from_status,
        to_status=t.to_status,
        actor_id=t.actor_id,
        reason=t.reason,
        at=t.at,
        checklist=t.checklist,
    )


def project_read(
    project: Project,
    org: Organisation,
    munis: list[Municipality],
    decision: ProjectTransition | None,
    verified: list[VerifiedMetric] | None = None,
) -> ProjectRead:
    return ProjectRead(
        id=project.id,
        title_ja=project.title_ja,
        title_en=project.title_en,
        summary_ja=project.summary_ja,
        summary_en=project.summary_en,
        body_ja=project.body_ja,
        body_en=project.body_en,
        sector=project.sector,
        instrument=project.instrument,
        stage=project.stage,
        status=project.status,
        organisation=OrganisationRef(org.id, org.name_ja, org.name_en),
        municipalities=[MunicipalityRef(m.code, m.name_ja, m.name_en, m.prefecture_code) for m in munis],
        prefecture_codes=project.prefecture_codes,
        funding_target_yen=project.funding_target_yen,
        min_ticket_yen=project.min_ticket_yen,
        expected_return_min_pct=project.expected_return_min_pct,
        expected_return_max_pct=project.expected_return_max_pct,
        term_months=project.term_months,
        funding_deadline=project.funding_deadline,
        impact_inputs=project.impact_inputs,
        created_at=project.created_at,
        updated_at=project.updated_at,
        latest_decision=transition_read(decision) if decision else None,
        metrics=project.computed_metrics,
        lm3=project.lm3,
        impact_label=project.impact_label,
        certified_regional_plan=project.certified_regional_plan,
        verified_metrics=verified or [],
    )


Yen = Annotated[int | None, Parameter(ge=0, le=10**13)]


@dataclass(frozen=True, slots=True)
class ProjectQuery:
    filters: ProjectFilters
    limit: int
    offset: int


async def provide_project_query(
    prefecture: Annotated[int | None, Parameter(ge=1, le=47, description="JIS prefecture code")] = None,
    municipality: Annotated[str | None, Parameter(pattern=r"^\d{5}$", description="JIS municipality code")] = None,
    living_sphere: uuid.UUID | None = None,
    sector: list[Sector] | None = None,
    instrument: list[Instrument] | None = None,
    status: list[ProjectStatus] | None = None,
    ticket_min: Yen = None,
    ticket_max: Yen = None,
    organisation: uuid.UUID | None = None,
    q: Annotated[str | None, Parameter(max_length=200, description="Text search (Japanese or English)")] = None,
    lm3_min: Annotated[float | None, Parameter(ge=0, le=1000, description="LM3 at least")] = None,
    lm3_max: Annotated[float | None, Parameter(ge=0, le=1000, description="LM3 at most")] = None,
    sort: Annotated[
        str,
        Parameter(
            description="A field to sort by; prefix - for descending",
            schema_extra={"enum": [*SORTS, *(f"-{s}" for s in SORTS)]},
        ),
    ] = "-created_at",
    limit: Annotated[int, Parameter(ge=1, le=200)] = 20,
    cursor: Cursor = None,
) -> ProjectQuery:
    """Dependency: the project list's query parameters, shared by every endpoint that lists projects."""
    if sort.removeprefix("-") not in SORTS:
        raise InvalidInput.for_field(
            "sort",
            "validation.enum",
            f"並び順に使えるのは {', '.join(SORTS)} です。",
            f"sort must be one of {', '.join(SORTS)} (prefix - for descending).",
        )
    offset = offset_from(cursor)
    filters = ProjectFilters(
        prefecture=prefecture,
        municipality=municipality,
        living_sphere=living_sphere,
        sectors=tuple(sector or ()),
        instruments=tuple(instrument or ()),
        statuses=tuple(status or ()),
        ticket_min=ticket_min,
        ticket_max=ticket_max,
        organisation=organisation,
        q=q.strip() if q and q.strip() else None,
        lm3_min=lm3_min,
        lm3_max=lm3_max,
        sort=sort,
    )
    return ProjectQuery(filters=filters, limit=limit, offset=offset)


class ProjectController(Controller):
    path = "/api/v1/projects"
    tags = ["projects"]

    @get(
        "/",
        summary="List projects the caller may see, with filters, sort and a cursor",
        dependencies={"project_query": Provide(provide_project_query)},
    )
    async def list_projects(
        self, db_read: AsyncSession, principal: Principal | None, project_query: ProjectQuery
    ) -> Page[ProjectSummary]:
        query = project_query
        rows, total = await ProjectService(db_read).page(
            query.filters, principal, limit=query.limit, offset=query.offset
        )
        return page_of([summary_from_row(r) for r in rows], total=total, limit=query.limit, offset=query.offset)

    @post("/", status_code=HTTP_201_CREATED, summary="Create a draft project (project leads)")
    async def create_project(self, data: ProjectCreate, db_session: AsyncSession, user: Principal) -> ProjectRead:
        service = ProjectService(db_session)
        project = await service.create(user, data)
        org, munis = await service.read_parts(project)
        return project_read(project, org, munis, None)

    @get("/{project_id:uuid}", summary="One project (drafts only for their organisation and admins)")
    async def get_project(
        self, project_id: uuid.UUID, db_session: AsyncSession, principal: Principal | None
    ) -> ProjectRead:
        service = ProjectService(db_session)
        project = await service.get_visible(project_id, principal)
        await record_view(db_session, principal, project.id)
        org, munis = await service.read_parts(project)
        verified = await verified_metrics(db_session, project.id)
        return project_read(project, org, munis, await service.latest_decision(project), verified)

    @patch("/{project_id:uuid}", summary="Edit a draft project (its lead or an admin)")
    async def update_project(
        self, project_id: uuid.UUID, data: ProjectUpdate, db_session: AsyncSession, user: Principal
    ) -> ProjectRead:
        service = ProjectService(db_session)
        project = await service.update(user, project_id, data)
        org, munis = await service.read_parts(project)
        return project_read(project, org, munis, await service.latest_decision(project))

    @get("/{project_id:uuid}/transitions", summary="Status history with actor, time, reason and checklist")
    async def list_transitions(
        self,
        project_id: uuid.UUID,
        db_session: AsyncSession,
        user: Principal,
        limit: PageLimit = 50,
        cursor: Cursor = None,
    ) -> Page[TransitionRead]:
        history = [transition_read(t) for t in await ProjectService(db_session).transitions(user, project_id)]
        return page_from_list(history, limit=limit, cursor=cursor)

    @post(
        "/{project_id:uuid}/transitions",
        status_code=HTTP_201_CREATED,
        summary="Move a project: submit, pull back, open funding, withdraw, close",
    )
    async def create_transition(
        self, project_id: uuid.UUID, data: TransitionCreate, db_session: AsyncSession, user: Principal
    ) -> TransitionRead:
        record = await ProjectService(db_session).transition(user, project_id, data.to_status, data.reason)
        return transition_read(record)
