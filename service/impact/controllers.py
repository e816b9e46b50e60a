"""HTTP for impact: the metric catalogue, the calculator, and a project's 公共貢献 and eligibility."""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, get, post
from litestar.params import Parameter
from litestar.status_codes import HTTP_200_OK
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.principal import Principal
from service.claims.service import verified_metrics
from service.errors import InvalidInput
from service.impact import incentives
from service.impact import service as metrics
from service.impact.schemas import (
    METRIC_IDS,
    CalculateRequest,
    ComputedMetricRead,
    EligibilityRead,
    MetricDetail,
    MetricRead,
    PublicContributionRead,
)
from service.models import Organisation
from service.pagination import Cursor, PageLimit, page_from_list
from service.projects.service import ProjectService
from service.types import Page

DonationYen = Annotated[int, Parameter(ge=0, le=10**13, description="Donation in yen")]


class ImpactController(Controller):
    path = "/api/v1/impact"
    tags = ["impact"]

    @get("/metrics", summary="The metric catalogue: ids, names, units, direction, definition, source, IMP, SDGs")
    async def list_metrics(self, limit: PageLimit = 100, cursor: Cursor = None) -> Page[MetricRead]:
        return page_from_list(metrics.catalogue(), limit=limit, cursor=cursor)

    @get("/metrics/{metric_id:str}", summary="One metric with the specs of its inputs")
    async def get_metric(self, metric_id: Annotated[str, Parameter(schema_extra={"enum": METRIC_IDS})]) -> MetricDetail:
        return metrics.metric_detail(metric_id)

    @post("/calculate", status_code=HTTP_200_OK, summary="Compute one metric from given inputs (nothing is stored)")
    async def calculate(self, data: CalculateRequest) -> ComputedMetricRead:
        return metrics.calculate(data.metric_id, data.inputs)


class ProjectImpactController(Controller):
    path = "/api/v1/projects"
    tags = ["impact"]

    @get("/{project_id:uuid}/public-contribution", summary="公共貢献 score: every component with its weight")
    async def public_contribution(
        self, project_id: uuid.UUID, db_session: AsyncSession, principal: Principal | None
    ) -> PublicContributionRead:
        project = await ProjectService(db_session).get_visible(project_id, principal)
        verified = {v.metric_id: v.value for v in await verified_metrics(db_session, project.id)}
        return incentives.public_contribution(project, verified)

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
            raise InvalidInput.for_field(
                "donor_organisation_id",
                "organisation.not_found",
                "寄附する組織が見つかりません。",
                "No such donor organisation.",
            )
        return incentives.eligibility(project, donor, donation_yen, public_funds_yen)
