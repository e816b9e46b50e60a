"""公共貢献 (public contribution) score: transparent weighted points, weights kept as data."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import msgspec

from ._errors import ImpactInputError


class ScoreComponentSpec(msgspec.Struct, frozen=True, kw_only=True):
    """How one component scores: ``points = weight · clip((raw − zero_at)/(full_at − zero_at), 0, 1)``.

    ``fact`` names the verified fact or metric value read from the facts mapping; ``true`` counts 1.
    """

    id: str
    label_ja: str
    label_en: str
    weight: float
    fact: str
    zero_at: float
    full_at: float
    explanation_ja: str
    explanation_en: str


class ScoreComponent(msgspec.Struct, frozen=True):
    """One line of the score as shown: ``raw`` is ``None`` when the fact was not provided
    (it then scores 0)."""

    id: str
    label_ja: str
    label_en: str
    weight: float
    raw: float | None
    points: float
    explanation_ja: str
    explanation_en: str


class PublicContributionScore(msgspec.Struct, frozen=True):
    """``total`` in 0–100 is the sum of the components' ``points``."""

    total: float
    components: tuple[ScoreComponent, ...]


_SCORE_DATA: list[dict[str, Any]] = [
    {
        "id": "daily_life",
        "label_ja": "日常生活に必要なサービス",
        "label_en": "Serves daily-life needs",
        "weight": 25,
        "fact": "serves_daily_life_needs",
        "zero_at": 0,
        "full_at": 1,
        "explanation_ja": "買物・移動・医療・見守りなど生活に欠かせないサービスなら満点。",
        "explanation_en": "Full points when the project provides an everyday necessity (shopping, mobility, care …).",
    },
    {
        "id": "depopulating",
        "label_ja": "過疎地域への貢献",
        "label_en": "Serves depopulating municipalities",
        "weight": 25,
        "fact": "depopulating_population_share",
        "zero_at": 0,
        "full_at": 1,
        "explanation_ja": "受益者のうち過疎市町村に住む人の割合に比例。",
        "explanation_en": "In proportion to the share of people served who live in depopulating municipalities.",
    },
    {
        "id": "cross_border",
        "label_ja": "市町村の枠を越える",
        "label_en": "Crosses municipal borders",
        "weight": 15,
        "fact": "municipalities_served",
        "zero_at": 1,
        "full_at": 3,
        "explanation_ja": "1市町村で0点、3市町村以上で満点（地域生活圏は市町村界を越える）。",
        "explanation_en": "0 for one municipality, full from three (living spheres cross municipal borders).",
    },
    {
        "id": "local_cofinancing",
        "label_ja": "地域の主体による共同出資",
        "label_en": "Co-financed by local actors",
        "weight": 20,
        "fact": "local_cofinancing_share",
        "zero_at": 0,
        "full_at": 0.5,
        "explanation_ja": "資金のうち自治体・地域金融機関・地元企業の割合、50% 以上で満点。",
        "explanation_en": "Share of funding from municipalities, regional banks and local firms; full from 50 %.",
    },
    {
        "id": "circulation",
        "label_ja": "地域内の資金循環（LM3）",
        "label_en": "Money circulating locally (LM3)",
        "weight": 15,
        "fact": "lm3",
        "zero_at": 1,
        "full_at": 2,
        "explanation_ja": "検証済み LM3 が 1 で0点、2 以上で満点。",
        "explanation_en": "Verified LM3 of 1 scores 0, 2 or more scores full points.",
    },
]

SCORE_COMPONENTS: tuple[ScoreComponentSpec, ...] = tuple(msgspec.convert(_SCORE_DATA, list[ScoreComponentSpec]))
"""The published weights and scales of the 公共貢献 score (weights sum to 100)."""


def _raw(fact: str, value: Any) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if not isinstance(value, int | float) or not math.isfinite(value):
        raise ImpactInputError(fact, "impact.wrong_type", f"expected a number or true/false, got {value!r}")
    return float(value)


def public_contribution_score(
    facts: Mapping[str, Any], components: Sequence[ScoreComponentSpec] = SCORE_COMPONENTS
) -> PublicContributionScore:
    """Score a project 0–100 from verified facts, every component shown with its weight.

    ``points_i = weight_i · clip((raw_i − zero_at_i)/(full_at_i − zero_at_i), 0, 1)``;
    ``total = Σ points_i``. A fact that is absent (or ``None``) scores 0 and shows ``raw=None``.
    Source: Kyoso 公共貢献 score; criteria follow the 地域生活圏 committee's points (daily-life
    services, depopulating areas, cross-border spheres, local co-financing).

    >>> s = public_contribution_score({"serves_daily_life_needs": True, "municipalities_served": 2})
    >>> s.total                     # 25 + 15 · (2 − 1)/(3 − 1)
    32.5
    """
    if abs(sum(c.weight for c in components) - 100.0) > 1e-9:
        raise ImpactInputError("components", "impact.out_of_range", "weights must sum to 100")
    rows = []
    for c in components:
        value = facts.get(c.fact)
        raw = None if value is None else _raw(c.fact, value)
        points = 0.0
        if raw is not None:
            points = c.weight * min(1.0, max(0.0, (raw - c.zero_at) / (c.full_at - c.zero_at)))
        rows.append(
            ScoreComponent(c.id, c.label_ja, c.label_en, c.weight, raw, points, c.explanation_ja, c.explanation_en)
        )
    return PublicContributionScore(total=sum(r.points for r in rows), components=tuple(rows))
