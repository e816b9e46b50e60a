"""API shapes for projects and their status history."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

import msgspec

from service.models.enums import Instrument, ProjectStatus, Sector, Stage
from service.types import Body, MunicipalityCode, Percent, PositiveYen, Reason, Summary, Title

TermMonths = Annotated[int, msgspec.Meta(ge=1, le=600)]
Municipalities = Annotated[list[MunicipalityCode], msgspec.Meta(min_length=1, max_length=100)]
ImpactInputs = Annotated[dict[str, Any], msgspec.Meta(description="Inputs of the impact metrics (see /api/v1/impact)")]
ImpactLabel = Literal["measured", "estimated", "illustrative"]
#: Read side of a stored NUMERIC(6,2): always a JSON number with at most two decimal places.
PercentRead = Annotated[float, msgspec.Meta(description="Percent per year, at most 2 decimal places")]
#: Computed figures are rounded where they are made (service.impact.service.METRIC_DECIMALS).
MetricValues = Annotated[
    dict[str, float], msgspec.Meta(description="{metric id: value}, each rounded to 4 decimal places")
]
Lm3 = Annotated[float, msgspec.Meta(description="LM3 fund-circulation multiplier, rounded to 4 decimal places")]


class ProjectCreate(msgspec.Struct, forbid_unknown_fields=True):
    title_ja: Title
    title_en: Title
    summary_ja: Summary
    summary_en: Summary
    sector: Sector
    instrument: Instrument
    stage: Stage
    municipality_codes: Municipalities
    funding_target_yen: PositiveYen
    min_ticket_yen: PositiveYen
    expected_return_min_pct: Percent
    expected_return_max_pct: Percent
    term_months: TermMonths
    organisation_id: uuid.UUID | None = None
    body_ja: Body = ""
    body_en: Body = ""
    funding_deadline: date | None = None
    impact_inputs: ImpactInputs = msgspec.field(default_factory=dict)
    impact_label: ImpactLabel | None = None
    certified_regional_plan: bool = False


class ProjectUpdate(msgspec.Struct, forbid_unknown_fields=True):
    title_ja: Title | msgspec.UnsetType = msgspec.UNSET
    title_en: Title | msgspec.UnsetType = msgspec.UNSET
    summary_ja: Summary | msgspec.UnsetType = msgspec.UNSET
    summary_en: Summary | msgspec.UnsetType = msgspec.UNSET
    body_ja: Body | msgspec.UnsetType = msgspec.UNSET
    body_en: Body | msgspec.UnsetType = msgspec.UNSET
    sector: Sector | msgspec.UnsetType = msgspec.UNSET
    instrument: Instrument | msgspec.UnsetType = msgspec.UNSET
    stage: Stage | msgspec.UnsetType = msgspec.UNSET
    municipality_codes: Municipalities | msgspec.UnsetType = msgspec.UNSET
    funding_target_yen: PositiveYen | msgspec.UnsetType = msgspec.UNSET
    min_ticket_yen: PositiveYen | msgspec.UnsetType = msgspec.UNSET
    expected_return_min_pct: Percent | msgspec.UnsetType = msgspec.UNSET
    expected_return_max_pct: Percent | msgspec.UnsetType = msgspec.UNSET
    term_months: TermMonths | msgspec.UnsetType = msgspec.UNSET
    funding_deadline: date | msgspec.UnsetType | None = msgspec.UNSET
    impact_inputs: ImpactInputs | msgspec.UnsetType = msgspec.UNSET
    impact_label: ImpactLabel | msgspec.UnsetType | None = msgspec.UNSET
    certified_regional_plan: bool | msgspec.UnsetType = msgspec.UNSET


class OrganisationRef(msgspec.Struct):
    id: uuid.UUID
    name_ja: str
    name_en: str


class MunicipalityRef(msgspec.Struct):
    code: str
    name_ja: str
    name_en: str
    prefecture_code: int


class ProjectSummary(msgspec.Struct):
    """A project as lists show it (no long body)."""

    id: uuid.UUID
    title_ja: str
    title_en: str
    summary_ja: str
    summary_en: str
    sector: Sector
    instrument: Instrument
    stage: Stage
    status: ProjectStatus
    organisation: OrganisationRef
    municipality_codes: list[str]
    prefecture_codes: list[int]
    funding_target_yen: int
    min_ticket_yen: int
    expected_return_min_pct: PercentRead
    expected_return_max_pct: PercentRead
    term_months: int
    funding_deadline: date | None
    created_at: datetime
    #: Metric values computed from the project's impact inputs ({metric id: value}), and its LM3.
    metrics: MetricValues = msgspec.field(default_factory=dict)
    lm3: Lm3 | None = None


class VerifiedMetric(msgspec.Struct):
    """A figure from a verified impact claim: the only kind public figures count."""

    metric_id: str
    value: float
    unit: str
    period_start: date
    period_end: date
    claim_id: uuid.UUID


class TransitionRead(msgspec.Struct):
    id: uuid.UUID
    from_status: ProjectStatus
    to_status: ProjectStatus
    actor_id: uuid.UUID
    reason: str
    at: datetime
    checklist: dict[str, Any] | None = None


class ProjectRead(msgspec.Struct):
    id: uuid.UUID
    title_ja: str
    title_en: str
    summary_ja: str
    summary_en: str
    body_ja: str
    body_en: str
    sector: Sector
    instrument: Instrument
    stage: Stage
    status: ProjectStatus
    organisation: OrganisationRef
    municipalities: list[MunicipalityRef]
    prefecture_codes: list[int]
    funding_target_yen: int
    min_ticket_yen: int
    expected_return_min_pct: PercentRead
    expected_return_max_pct: PercentRead
    term_months: int
    funding_deadline: date | None
    impact_inputs: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    latest_decision: TransitionRead | None = None
    metrics: MetricValues = msgspec.field(default_factory=dict)
    lm3: Lm3 | None = None
    impact_label: str | None = None
    certified_regional_plan: bool = False
    verified_metrics: list[VerifiedMetric] = msgspec.field(default_factory=list)


class TransitionCreate(msgspec.Struct, forbid_unknown_fields=True):
    to_status: ProjectStatus
    reason: Reason
