"""API shapes for impact claims, their evidence and their decisions."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

import msgspec

from service.impact.schemas import MetricId
from service.impact.validation import check_claim_value
from service.types import NO_NUL, DatesInRange, Reason

ClaimText = Annotated[str, msgspec.Meta(min_length=1, max_length=5000, pattern=NO_NUL)]
#: Finite and bounded: JSON has no infinity, and a claim beyond 10^15 is a typo.
ClaimValue = Annotated[float, msgspec.Meta(ge=-1e15, le=1e15)]
Decision = Literal["review", "verify", "reject", "request_evidence"]


class ClaimCreate(DatesInRange, forbid_unknown_fields=True):
    """``boundary``: what the figure covers (sites, people, area); ``method``: how it was measured
    or computed; ``baseline``: what it is compared with. The period lies within the dates a request
    may carry and ``value`` within what the metric's unit allows (422 naming the field)."""

    metric_id: MetricId
    value: ClaimValue
    period_start: date
    period_end: date
    boundary: ClaimText
    method: ClaimText
    baseline: ClaimText

    def __post_init__(self) -> None:
        super().__post_init__()
        check_claim_value(self.metric_id, self.value)


class ClaimDecisionCreate(msgspec.Struct, forbid_unknown_fields=True):
    decision: Decision
    reason: Reason


class ClaimReason(msgspec.Struct, forbid_unknown_fields=True):
    reason: Reason


class EvidenceRead(msgspec.Struct):
    id: uuid.UUID
    filename: str
    media_type: str
    size_bytes: int
    sha256: str
    uploaded_by: uuid.UUID
    created_at: datetime


class ClaimEventRead(msgspec.Struct):
    action: str
    from_status: str | None
    to_status: str
    actor_id: uuid.UUID
    reason: str
    at: datetime


class ClaimSummary(msgspec.Struct, kw_only=True):
    """A claim as lists show it: its facts, and how many evidence files and history events it
    has (the files and events themselves are in ``GET /claims/{id}``). ``computed_value`` is the
    metric computed from the project's own impact inputs at submission; ``flags`` tell the
    reviewer what to look at (``differs_from_computed`` beyond ``tolerance``,
    ``no_computed_value``)."""

    id: uuid.UUID
    project_id: uuid.UUID
    metric_id: str
    value: float
    unit: str
    period_start: date
    period_end: date
    boundary: str
    method: str
    baseline: str
    status: str
    computed_value: float | None
    flags: list[str]
    tolerance: float
    submitted_by: uuid.UUID
    contest_reason: str | None
    created_at: datetime
    updated_at: datetime
    evidence_count: int
    event_count: int


class ClaimRead(ClaimSummary, kw_only=True):
    """A claim with its evidence and history (``evidence_count`` and ``event_count`` are their
    lengths, the same facts a list item shows)."""

    evidence: list[EvidenceRead]
    events: list[ClaimEventRead]
