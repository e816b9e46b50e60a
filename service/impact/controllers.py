"""HTTP for impact: the metric catalogue and the calculator (a project's 公共貢献 and eligibility are
served by the projects domain, which builds on this one)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Router, get, post
from litestar.params import Parameter
from litestar.status_codes import HTTP_200_OK

from service.impact import service as metrics
from service.impact.schemas import (
    METRIC_IDS,
    CalculateRequest,
    ComputedMetricRead,
    MetricDetail,
    MetricRead,
)
from service.pagination import Cursor, PageLimit, page_from_list
from service.types import Page


class ImpactController(Controller):
    path = "/impact"

    @get("/metrics", summary="The metric catalogue: ids, names, units, direction, definition, source, IMP, SDGs")
    async def list_metrics(self, limit: PageLimit = 100, cursor: Cursor = None) -> Page[MetricRead]:
        return page_from_list(metrics.catalogue(), limit=limit, cursor=cursor)

    @get("/metrics/{metric_id:str}", summary="One metric with the specs of its inputs")
    async def get_metric(self, metric_id: Annotated[str, Parameter(schema_extra={"enum": METRIC_IDS})]) -> MetricDetail:
        return metrics.metric_detail(metric_id)

    @post("/calculate", status_code=HTTP_200_OK, summary="Compute one metric from given inputs (nothing is stored)")
    async def calculate(self, data: CalculateRequest) -> ComputedMetricRead:
        return metrics.calculate(data.metric_id, data.inputs)


router = Router(path="/api/v1", route_handlers=[ImpactController], tags=["impact"])
