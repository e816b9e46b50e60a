"""HTTP for impact: the metric catalogue and the calculator (a project's 公共貢献 and eligibility are
served by the projects domain, which builds on this one)."""

from __future__ import annotations

from litestar import Controller, Router, get, post
from litestar.status_codes import HTTP_200_OK

from service.impact import service as metrics
from service.impact.schemas import (
    CalculateRequest,
    ComputedMetricRead,
    MetricDetail,
    MetricRead,
)


class ImpactController(Controller):
    path = "/impact"

    @get("/metrics", summary="The metric catalogue: ids, names, units, direction, definition, source, IMP, SDGs")
    async def list_metrics(self) -> list[MetricRead]:
        return metrics.catalogue()

    @get("/metrics/{metric_id:str}", summary="One metric with the specs of its inputs")
    async def get_metric(self, metric_id: str) -> MetricDetail:
        return metrics.metric_detail(metric_id)

    @post("/calculate", status_code=HTTP_200_OK, summary="Compute one metric from given inputs (nothing is stored)")
    async def calculate(self, data: CalculateRequest) -> ComputedMetricRead:
        return metrics.calculate(data.metric_id, data.inputs)


router = Router(path="/api/v1", route_handlers=[ImpactController], tags=["impact"])
