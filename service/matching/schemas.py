"""API shapes for matches and model versions."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Generic, TypeVar

import msgspec

from service.matching.rooms import MatchRoom
from service.models.enums import Instrument, InvestorType, Sector
from service.models.matching import ModelStatus

T = TypeVar("T")


class ReasonRead(msgspec.Struct):
    """Why a pair matches: ``contribution`` is the lift (logit units) this reason gives the pair
    over an average project; the largest positive ones come first and a final ``other`` reason
    carries the rest, so ``baseline + sum(contribution) == score``."""

    code: str
    ja: str
    en: str
    contribution: float


class ProjectMatch(msgspec.Struct):
    """A project ranked for an investor. ``bias + sum(components.values()) == score`` and
    ``baseline + sum(reason.contribution) == score`` (baseline: an average project's score)."""

    project_id: uuid.UUID
    title_ja: str
    title_en: str
    sector: Sector
    instrument: Instrument
    prefecture_codes: list[int]
    score: float
    bias: float
    baseline: float
    components: dict[str, float]
    reasons: list[ReasonRead]
    #: The project's open deal room as the caller may know it (see :class:`MatchRoom`).
    deal_room: MatchRoom


class InvestorMatch(msgspec.Struct):
    """An investor ranked for a project: only what a discoverable profile shows anyway (no
    thesis, no ticket range, no owner)."""

    investor_id: uuid.UUID
    display_name_ja: str
    display_name_en: str
    investor_type: InvestorType
    score: float
    baseline: float
    reasons: list[ReasonRead]


class MatchPage(msgspec.Struct, Generic[T]):
    """A page of matches; ``ranker`` is ``"learned"`` (a trained ``model_version``) or
    ``"content"`` (no trained model active: stated preferences against project content)."""

    items: list[T]
    total: int
    limit: int
    ranker: str
    model_version: str | None
    next_cursor: str | None = None


class ModelVersionRead(msgspec.Struct):
    id: uuid.UUID
    version: str
    ranker: str
    status: ModelStatus
    trained_by: str
    window_start: datetime | None
    window_end: datetime | None
    n_events: int
    n_investors: int
    n_projects: int
    metrics: dict[str, Any]
    report: str
    artifact_size: int
    sha256: str
    created_at: datetime
    activated_at: datetime | None
