"""Readable ja/en reasons for a match, built from its largest score components."""

from __future__ import annotations

import msgspec

from ._geo import prefecture_name
from ._records import INSTRUMENT_LABELS, SECTOR_LABELS


class Reason(msgspec.Struct, frozen=True):
    """One reason: a stable ``code``, texts, and the score it contributes (logit units)."""

    code: str
    ja: str
    en: str
    contribution: float


class Match(msgspec.Struct, frozen=True):
    """A ranked pair. ``sum(components.values()) + bias == score``.

    ``reasons`` explain the score as a person reads it: ``baseline`` is what an average
    catalogue project would score for this investor, each reason is a group of components'
    lift over that average (largest first), and a final ``other`` reason carries the rest, so
    ``baseline + sum(r.contribution for r in reasons) == score``; ``other`` is never first.
    ``ranker`` is ``"learned"`` or ``"content"``. ``match_score`` (0–100) is the calibrated
    probability of interest in percent (see :func:`matching.calibrate`); ``score`` stays the
    raw margin."""

    investor_id: str
    project_id: str
    score: float
    bias: float
    components: dict[str, float]
    reasons: list[Reason]
    ranker: str
    baseline: float = 0.0
    match_score: int = 0


def reason_text(code: str, sector: str, instrument: str, prefecture: int) -> tuple[str, str]:
    s_ja, s_en = SECTOR_LABELS.get(sector, (sector, sector))
    i_ja, i_en = INSTRUMENT_LABELS.get(instrument, (instrument, instrument))
    texts = {
        "stated_sector": (f"希望分野: {s_ja}", f"preferred sector: {s_en}"),
        "hist_sector": (f"よく関心を示す分野: {s_ja}", f"a sector you often engage with: {s_en}"),
        "stated_region": (
            f"希望地域: {prefecture_name(prefecture)}",
            f"a region you chose: {prefecture_name(prefecture, 'en')}",
        ),
        "near": ("投資・関心を寄せてきた地域に近い", "near the regions you invest in"),
        "instrument": (f"希望する投資手法: {i_ja}", f"an instrument you use: {i_en}"),
        "ticket": ("投資額の範囲に合う", "ticket size fits"),
        "risk": ("リスク許容度と事業段階が合う", "stage fits your risk appetite"),
        "impact": ("関心のあるインパクトと一致", "matches the impact you care about"),
        "text": ("投資方針の内容に近い", "close to your investment thesis"),
        "similar_backed": ("支援・関心を示したプロジェクトに似ている", "similar to projects you backed"),
        "similar_investors": ("似た投資家が関心を示している", "investors like you are interested"),
        "popular": ("多くの投資家が関心を示している", "drawing interest from many investors"),
        "quality": ("事業の段階と実績", "stage and track record"),
        "new_project": ("新着プロジェクト", "new project"),
        "activity": ("活発に活動している投資家", "an active investor"),
    }
    return texts.get(code, (code, code))


def build_reasons(
    components: dict[str, float],
    reason_of: dict[str, str],
    *,
    sector: str,
    instrument: str,
    prefecture: int,
    top: int = 3,
) -> list[Reason]:
    """Sum components by reason code, keep the ``top`` positive ones (largest first), and add
    one ``other`` reason with the remainder so the reasons add up to ``sum(components)``."""
    by_code: dict[str, float] = {}
    for name, value in components.items():
        code = reason_of[name]
        by_code[code] = by_code.get(code, 0.0) + value
    best = sorted((v, c) for c, v in by_code.items() if v > 1e-6)[::-1][:top]
    if not best and by_code:
        # Nothing lifts this project above an average one: still lead with what helps most,
        # so "other factors" is never the first reason.
        best = [max((v, c) for c, v in by_code.items())]
    reasons = [Reason(c, *reason_text(c, sector, instrument, prefecture), contribution=v) for v, c in best]
    rest = sum(components.values()) - sum(r.contribution for r in reasons)
    if abs(rest) > 1e-9:
        reasons.append(
            Reason(
                "other",
                "その他の要因（平均的な案件との差）",
                "other factors (difference from an average project)",
                rest,
            )
        )
    return reasons
