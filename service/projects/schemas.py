"""API shapes for projects and their status history."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime
from typing import Annotated, Any, Literal, TypeVar

import msgspec

from service.impact.incentives import SCORE_MEANING_EN
from service.models.enums import Instrument, ProjectStatus, Sector, Stage
from service.types import Body, MunicipalityCode, Percent, PositiveYen, Reason, Summary, Title

TermMonths = Annotated[int, msgspec.Meta(ge=1, le=600)]
Municipalities = Annotated[list[MunicipalityCode], msgspec.Meta(min_length=1, max_length=100)]
ImpactInputs = Annotated[dict[str, Any], msgspec.Meta(description="Inputs of the impact metrics (see /api/v1/impact)")]
ImpactLabel = Literal["measured", "estimated", "illustrative"]
Metrics = Annotated[
    dict[str, float],
    msgspec.Meta(
        description="Metric values computed from the project's impact inputs ({metric id: value}), stored when a "
        "fact they depend on changes, each rounded to 4 decimal places. KY-PUBLIC-CONTRIBUTION is the "
        + SCORE_MEANING_EN
    ),
]
IsSynthetic = Annotated[
    bool,
    msgspec.Meta(
        description="Part of the illustrative synthetic demo market, not a real case (listed after real ones)"
    ),
]
#: Read side of a stored NUMERIC(6,2): always a JSON number with at most two decimal places.
PercentRead = Annotated[float, msgspec.Meta(description="Percent per year, at most 2 decimal places")]
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
    metrics: Metrics = msgspec.field(default_factory=dict)
    lm3: Lm3 | None = None
    is_synthetic: IsSynthetic = False


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
    metrics: Metrics = msgspec.field(default_factory=dict)
    lm3: Lm3 | None = None
    impact_label: str | None = None
    certified_regional_plan: bool = False
    verified_metrics: list[VerifiedMetric] = msgspec.field(default_factory=list)
    is_synthetic: IsSynthetic = False


class TransitionCreate(msgspec.Struct, forbid_unknown_fields=True):
    to_status: ProjectStatus
    reason: Reason


T = TypeVar("T", bound=msgspec.Struct)

#: API field → table column, where the two names differ.
COLUMN_FOR: dict[str, str] = {"metrics": "computed_metrics"}
#: Fields a raw driver row carries as JSON text (asyncpg returns json/jsonb undecoded).
_JSON_FIELDS = frozenset({"organisation", "metrics"})


def from_stored(struct: type[T], source: Any, **parts: Any) -> T:
    """The one conversion from stored data to a project API shape.

    ``source`` is a table object or a driver row (a mapping whose keys are the Struct's field
    names, see ``queries.summary_columns``); each field is read by name (through
    :data:`COLUMN_FOR` where the column is named otherwise), ``parts`` supply what the project
    row does not hold (its organisation, municipalities, latest decision …), and
    ``msgspec.convert(..., from_attributes=True)`` checks and converts every value, nested table
    objects included. A field missing from both keeps its default.

    >>> from_stored(TransitionRead, transition)  # doctest: +SKIP
    """
    is_row = isinstance(source, Mapping)
    values: dict[str, Any] = {}
    for name in struct.__struct_fields__:
        if name in parts:
            values[name] = parts[name]
            continue
        key = name if is_row else COLUMN_FOR.get(name, name)
        if is_row:
            if key not in source:
                continue
            value = source[key]
        elif hasattr(source, key):
            value = getattr(source, key)
        else:
            continue
        if name in _JSON_FIELDS and isinstance(value, str | bytes):
            value = msgspec.json.decode(value)
        values[name] = value
    return msgspec.convert(values, struct, from_attributes=True)
