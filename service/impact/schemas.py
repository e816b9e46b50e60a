"""API shapes for the metric catalogue, the calculator, 公共貢献 and incentive eligibility."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import msgspec

import impact

#: The document lists the catalogue's ids; the service answers 422 ``impact.unknown_metric`` (naming
#: ``metric_id``, in ja and en) for any other, so the enum is stated, not decoded.
METRIC_IDS = sorted(impact.CATALOGUE)
COMPUTABLE_METRIC_IDS = sorted(m.id for m in impact.CATALOGUE.values() if m.computable)
MetricId = Annotated[
    str,
    msgspec.Meta(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$", extra_json_schema={"enum": METRIC_IDS}),
]
ComputableMetricId = Annotated[
    str,
    msgspec.Meta(
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9-]+$",
        extra_json_schema={"enum": COMPUTABLE_METRIC_IDS},
    ),
]


class InputSpecRead(msgspec.Struct):
    name: str
    kind: str
    unit: str
    minimum: float | None
    maximum: float | None
    description_ja: str
    description_en: str
    required: bool


class MetricRead(msgspec.Struct):
    id: str
    name_ja: str
    name_en: str
    unit: str
    direction: str
    definition_ja: str
    definition_en: str
    source: str
    imp_dimension: str
    sdg_targets: list[str]
    computable: bool
    inputs: list[str]
    optional_inputs: list[str]


class MetricDetail(MetricRead, kw_only=True):
    input_specs: list[InputSpecRead]


class CalculateRequest(msgspec.Struct, forbid_unknown_fields=True):
    metric_id: ComputableMetricId
    inputs: dict[str, Any]


class ComputedMetricRead(msgspec.Struct):
    metric_id: str
    value: float
    unit: str
    breakdown: dict[str, Any]


class ScoreComponentRead(msgspec.Struct):
    id: str
    label_ja: str
    label_en: str
    weight: float
    raw: float | None
    points: float
    explanation_ja: str
    explanation_en: str


class PublicContributionRead(msgspec.Struct):
    """The 公共貢献 score of a project, every component with its weight, and the facts it used
    (``fact_sources`` says where each fact came from)."""

    project_id: uuid.UUID
    total: float
    components: list[ScoreComponentRead]
    facts: dict[str, Any]
    fact_sources: dict[str, str]


class EligibilityCheckRead(msgspec.Struct):
    rule_id: str
    label_ja: str
    label_en: str
    passed: bool
    actual: Any
    expected: Any
    explanation_ja: str
    explanation_en: str
    detail_ja: str
    detail_en: str


class RulesetResultRead(msgspec.Struct):
    ruleset_id: str
    name_ja: str
    name_en: str
    source: str
    eligible: bool
    checks: list[EligibilityCheckRead]


class EligibilityRead(msgspec.Struct):
    project_id: uuid.UUID
    donor_organisation_id: uuid.UUID
    donation_yen: int
    eligible: bool
    rulesets: list[RulesetResultRead]
