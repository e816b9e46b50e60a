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
    #: 0–100: the calibrated probability, in percent, that the investor shows interest (measured
    #: on the held-out split); null while the serving ranker is not calibrated (content ranking).
    match_score: int | None
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
    #: As for a project match: a calibrated percentage, or null under content ranking.
    match_score: int | None
    baseline: float
    reasons: list[ReasonRead]


class RankerReason(msgspec.Struct):
    """Why this ranker serves: ``code`` is stable (``model.serving.learned``,
    ``model.serving.no_model``, ``model.serving.content_over_rejected``,
    ``model.serving.previous_over_rejected``, ``model.serving.unloadable``), the texts carry
    the held-out NDCG@10 figures of the activation gate."""

    code: str
    ja: str
    en: str


class MatchPage(msgspec.Struct, Generic[T]):
    """A page of matches; ``ranker`` is ``"learned"`` (a trained ``model_version`` that passed
    the activation gate) or ``"content"`` (no such model: stated preferences against project
    content); ``reason`` says why."""

    items: list[T]
    total: int
    limit: int
    ranker: str
    model_version: str | None
    reason: RankerReason
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
    #: The activation gate: passed (true), failed (false) or not judged (null); its verdict as a
    #: code (``model.gate.passed``, ``model.gate.loses_to_content``,
    #: ``model.gate.loses_to_popularity``, ``model.gate.no_held_out``) and text, and the figures
    #: it compared (held-out NDCG@k of learned, content, popularity; the margin;
    #: ``overridden_at`` when an admin activated it anyway).
    gate_passed: bool | None
    gate_reason: RankerReason | None
    gate: dict[str, Any]


class ModelVersionPage(msgspec.Struct):
    """Model versions, newest first, and what the service serves now (``ranker``,
    ``model_version``, ``reason``: the same as in every matches response)."""

    items: list[ModelVersionRead]
    total: int
    limit: int
    ranker: str
    model_version: str | None
    reason: RankerReason
    next_cursor: str | None = None
