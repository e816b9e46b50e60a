"""The metric catalogue, the calculator, and a project's metrics computed from its inputs.

A project's metrics are computed once, when its ``impact_inputs`` change, and stored on the
row (``computed_metrics`` JSONB and the indexed ``lm3`` column): the hot list query reads them
in its one round trip and never computes per row.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

import impact
from service.errors import NotFound
from service.impact.incentives import PUBLIC_CONTRIBUTION, public_contribution_total, verified_by_metric
from service.impact.messages import MESSAGES
from service.impact.schemas import ComputedMetricRead, InputSpecRead, MetricDetail, MetricRead
from service.impact.validation import check_document, input_error
from service.models import ClaimStatus, ImpactClaim, Project

#: Computed metric values (and LM3) are rounded here, where they are made, to this many decimal
#: places: what is stored, listed and shown is one number, never ``1.8650000000000002``.
METRIC_DECIMALS = 4


def rounded(value: float) -> float:
    """A computed figure at the precision the API states (:data:`METRIC_DECIMALS` places)."""
    return round(float(value), METRIC_DECIMALS)


class MetricNotFound(NotFound):
    """No metric of that id in the catalogue."""


def project_metrics(inputs: Mapping[str, Any], prefix: str = "impact_inputs") -> tuple[dict[str, float], float | None]:
    """Validate a project's inputs and compute every metric they allow.

    Returns ``({metric id: value}, lm3)``; LM3 comes from the rounds (KY-LM3), else from the
    shares (KY-LM3-SHARES), else from the regional power model (KY-LOCAL-ENERGY). Any bad input
    raises a 422 naming ``<prefix>.<input>``.
    """
    check_document(inputs, prefix)
    try:
        computed = impact.compute_all(inputs)
    except impact.ImpactInputError as exc:
        raise input_error(exc, prefix, inputs) from None
    values = {mid: rounded(m.value) for mid, m in computed.items()}
    # The project's score is not a function of its inputs alone (see incentives.py): the stored
    # value is set by refresh_metrics, never from stated inputs.
    values.pop(PUBLIC_CONTRIBUTION, None)
    lm3: float | None = None
    if "KY-LM3" in computed:
        lm3 = rounded(computed["KY-LM3"].value)
    elif "KY-LM3-SHARES" in computed:
        lm3 = rounded(computed["KY-LM3-SHARES"].value)
    elif "KY-LOCAL-ENERGY" in computed:
        lm3 = rounded(computed["KY-LOCAL-ENERGY"].breakdown["lm3"])
    return values, lm3


async def latest_verified_claims(session: AsyncSession, project_id: uuid.UUID) -> list[ImpactClaim]:
    """The latest verified claim per metric of a project: the only figures public views count."""
    rows = (
        await session.execute(
            select(ImpactClaim)
            .where(ImpactClaim.project_id == project_id, ImpactClaim.status == ClaimStatus.verified)
            .order_by(ImpactClaim.period_end.desc(), ImpactClaim.updated_at.desc())  # type: ignore[attr-defined]
        )
    ).scalars()
    latest: dict[str, ImpactClaim] = {}
    for claim in rows:
        latest.setdefault(claim.metric_id, claim)
    return list(latest.values())


async def verified_values(session: AsyncSession, project_id: uuid.UUID) -> dict[str, float]:
    """The latest verified value per metric of a project (see :func:`latest_verified_claims`)."""
    return verified_by_metric(await latest_verified_claims(session, project_id))


async def refresh_metrics(session: AsyncSession, project: Project) -> None:
    """Recompute what a project stores for reads and lists: every metric its inputs allow, its
    LM3, and its 公共貢献 score (from the same function as ``/public-contribution``).

    Called whenever a fact the values depend on changes: on create and edit, and when a claim of
    the project is verified. Bad inputs raise a 422 naming ``impact_inputs.<name>``.
    """
    values, lm3 = project_metrics(project.impact_inputs or {})
    verified = await verified_values(session, project.id) if project.id is not None else {}
    values[PUBLIC_CONTRIBUTION] = public_contribution_total(project, verified)
    project.computed_metrics, project.lm3 = values, lm3


def inputs_digest(inputs: Mapping[str, Any]) -> str:
    """sha256 of the inputs' canonical JSON: what the audit log records instead of the inputs."""
    text = json.dumps(inputs, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def computed_value(metric_id: str, inputs: Mapping[str, Any]) -> float | None:
    """The metric computed from a project's stored inputs, or ``None`` when they do not allow it."""
    metric = impact.CATALOGUE.get(metric_id)
    if metric is None or not metric.computable or not all(n in inputs for n in metric.inputs):
        return None
    try:
        return rounded(impact.compute(metric_id, inputs).value)
    except impact.ImpactInputError:
        return None


def metric_read(m: impact.MetricDefinition) -> MetricRead:
    return MetricRead(**_metric_fields(m))


def _metric_fields(m: impact.MetricDefinition) -> dict[str, Any]:
    return {
        "id": m.id,
        "name_ja": m.name_ja,
        "name_en": m.name_en,
        "unit": m.unit,
        "direction": "higher_is_better" if m.higher_is_better else "lower_is_better",
        "definition_ja": m.definition_ja,
        "definition_en": m.definition_en,
        "source": m.source,
        "imp_dimension": m.imp_dimension,
        "sdg_targets": list(m.sdg_targets),
        "computable": m.computable,
        "inputs": list(m.inputs),
        "optional_inputs": list(m.optional_inputs),
    }


def catalogue() -> list[MetricRead]:
    return [metric_read(m) for m in impact.CATALOGUE.values()]


def metric_detail(metric_id: str) -> MetricDetail:
    metric = impact.CATALOGUE.get(metric_id)
    if metric is None:
        raise MESSAGES.error(MetricNotFound, "metric.not_found")
    specs = [msgspec.convert(spec, InputSpecRead) for spec in impact.inputs_for(metric_id).values()]
    return MetricDetail(**_metric_fields(metric), input_specs=specs)


def calculate(metric_id: str, inputs: dict[str, Any]) -> ComputedMetricRead:
    metric = impact.CATALOGUE.get(metric_id)
    if metric is None or not metric.computable:
        raise MESSAGES.invalid("metric_id", "impact.unknown_metric#not_computable", metric_id=metric_id)
    check_document(inputs, "inputs")
    try:
        result = impact.compute(metric_id, inputs)
    except impact.ImpactInputError as exc:
        raise input_error(exc, "inputs", inputs) from None
    return ComputedMetricRead(result.metric_id, rounded(result.value), result.unit, _json_ready(result.breakdown))


def _json_ready(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(v) for v in value]
    if hasattr(value, "tolist"):
        return value.tolist()
    return value
