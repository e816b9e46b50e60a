"""HTTP for projects: thin — decode, one service call, convert."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated, Protocol, runtime_checkable

from litestar import Controller, Router, get, patch, post
from litestar.di import Provide
from litestar.params import Parameter
from litestar.status_codes import HTTP_201_CREATED
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.principal import Principal
from service.impact import incentives
from service.impact import service as metrics
from service.impact.schemas import EligibilityRead, PublicContributionRead
from service.models import Municipality, Organisation, Project, ProjectTransition
from service.models.enums import Instrument, ProjectStatus, Sector
from service.pagination import Cursor, PageLimit, offset_from, page_from_list, page_of
from service.projects.messages import MESSAGES
from service.projects.queries import DEFAULT_SORT, SORTS, ProjectFilters
from service.projects.schemas import (
    ProjectCreate,
    ProjectRead,
    ProjectSummary,
    ProjectUpdate,
    TransitionCreate,
    TransitionRead,
    VerifiedMetric,
    from_stored,
)
from service.projects.service import ProjectService
from service.projects.verified import verified_metrics
from service.types import Page


def project_read(
    project: Project,
    org: Organisation,
    munis: list[Municipality],
    decision: ProjectTransition | None,
    verified: list[VerifiedMetric] | None = None,
) -> ProjectRead:
    return from_stored(
        ProjectRead,
        project,
        organisation=org,
        municipalities=munis,
        latest_decision=decision,
        verified_metrics=verified or [],
    )


Yen = Annotated[int | None, Parameter(ge=0, le=10**13)]


@runtime_checkable
class ViewRecorder(Protocol):
    """Notes that the caller read a project. Views are the events domain's, which builds on this one:
    it provides the recorder (``service.events.controllers.provide_view_recorder``) and the app wires
    it in as the ``record_view`` dependency, so reading a project needs no import of events."""

    async def __call__(self, session: AsyncSession, principal: Principal | None, project_id: uuid.UUID) -> None: ...


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
    synthetic: Annotated[
        bool | None,
        Parameter(description="true: only the synthetic demo market; false: only real cases; absent: both"),
    ] = None,
    sort: Annotated[
        str,
        Parameter(
            description=f"{DEFAULT_SORT} (default: real cases first, then newest) or a field, - for descending",
            schema_extra={"enum": [*SORTS, *(f"-{s}" for s in SORTS if s != DEFAULT_SORT)]},
        ),
    ] = DEFAULT_SORT,
    limit: Annotated[int, Parameter(ge=1, le=200)] = 20,
    cursor: Cursor = None,
) -> ProjectQuery:
    """Dependency: the project list's query parameters, shared by every endpoint that lists projects."""
    if sort.removeprefix("-") not in SORTS:
        raise MESSAGES.invalid("sort", "validation.enum#sort", sorts=", ".join(SORTS))
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
        synthetic=synthetic,
        sort=sort,
    )
    return ProjectQuery(filters=filters, limit=limit, offset=offset)


class ProjectController(Controller):
    path = "/projects"
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
        return page_of(rows, total=total, limit=query.limit, offset=query.offset)

    @post("/", status_code=HTTP_201_CREATED, summary="Create a draft project (project leads)", opt={"idempotent": True})
    async def create_project(self, data: ProjectCreate, db_session: AsyncSession, user: Principal) -> ProjectRead:
        service = ProjectService(db_session)
        project = await service.create(user, data)
        org, munis = await service.read_parts(project)
        return project_read(project, org, munis, None)

    @get("/{project_id:uuid}", summary="One project (drafts only for their organisation and admins)")
    async def get_project(
        self, project_id: uuid.UUID, db_session: AsyncSession, principal: Principal | None, record_view: ViewRecorder
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
        history = [
            from_stored(TransitionRead, t) for t in await ProjectService(db_session).transitions(user, project_id)
        ]
        return page_from_list(history, limit=limit, cursor=cursor)

    @post(
        "/{project_id:uuid}/transitions",
        status_code=HTTP_201_CREATED,
        summary="Move a project: submit, pull back, open funding, withdraw, close",
        opt={"idempotent": True},
    )
    async def create_transition(
        self, project_id: uuid.UUID, data: TransitionCreate, db_session: AsyncSession, user: Principal
    ) -> TransitionRead:
        record = await ProjectService(db_session).transition(user, project_id, data.to_status, data.reason)
        return from_stored(TransitionRead, record)


DonationYen = Annotated[int, Parameter(ge=0, le=10**13, description="Donation in yen")]


class ProjectImpactController(Controller):
    path = "/projects"
    tags = ["impact"]

    @get(
        "/{project_id:uuid}/public-contribution",
        summary="公共貢献 score: every component with its weight",
        description=incentives.SCORE_MEANING_EN,
    )
    async def public_contribution(
        self, project_id: uuid.UUID, db_session: AsyncSession, principal: Principal | None
    ) -> PublicContributionRead:
        project = await ProjectService(db_session).get_visible(project_id, principal)
        return incentives.public_contribution(project, await metrics.verified_values(db_session, project.id))

    @get("/{project_id:uuid}/eligibility", summary="企業版ふるさと納税 and the public-money cap, each check explained")
    async def eligibility(
        self,
        project_id: uuid.UUID,
        donor_organisation_id: uuid.UUID,
        donation_yen: DonationYen,
        db_session: AsyncSession,
        principal: Principal | None,
        public_funds_yen: Annotated[
            int | None, Parameter(ge=0, le=10**13, description="Public money in the project (default: the donation)")
        ] = None,
    ) -> EligibilityRead:
        project = await ProjectService(db_session).get_visible(project_id, principal)
        donor = await db_session.get(Organisation, donor_organisation_id)
        if donor is None:
            raise MESSAGES.invalid("donor_organisation_id", "organisation.not_found#donor")
        return incentives.eligibility(project, donor, donation_yen, public_funds_yen)


router = Router(path="/api/v1", route_handlers=[ProjectController, ProjectImpactController])
