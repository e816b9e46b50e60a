"""The activation gate: a trained version is served only if it beats the rankers that need no
training on its own held-out split.

``matching.train`` evaluates the held-out model next to the content ranker and popularity on
the same test investors; the gate reads NDCG@k of the three rows::

    verdict = judge(result.metrics, margin=0.01)
    verdict.passed, verdict.reason      # True, "model.gate.passed"
    verdict.message()                   # Message(ja=…, en=…) with the figures filled in

The learned model passes when its NDCG@k exceeds both baselines' by at least ``margin`` (NDCG
points, ``KYOSO_MATCHING_GATE_MARGIN``). No held-out figures (a metric that is NaN, too few
test investors) is a failure: a model nobody could check is not served.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import matching
from service.errors import Message
from service.matching.messages import MESSAGES

LEARNED, CONTENT, POPULARITY = "learned", "content cosine", "popularity"
PASSED = "model.gate.passed"
#: Every verdict code, for documentation and tests.
REASONS = (PASSED, "model.gate.loses_to_content", "model.gate.loses_to_popularity", "model.gate.no_held_out")


@dataclass(frozen=True, slots=True)
class Verdict:
    passed: bool
    reason: str
    learned: float | None
    content: float | None
    popularity: float | None
    margin: float
    k: int

    def figures(self) -> dict[str, Any]:
        """What the version row stores in ``gate`` (JSON: no NaN)."""
        return {
            "learned": self.learned,
            "content": self.content,
            "popularity": self.popularity,
            "margin": self.margin,
            "k": self.k,
        }

    def message(self) -> Message:
        return reason_message(self.reason, self.figures())


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def judge(metrics: matching.EvaluationTable, *, margin: float) -> Verdict:
    """The gate's verdict on a held-out evaluation table (see the module docstring)."""
    ndcg = {row.ranker: _finite(row.ndcg) for row in metrics.rows}
    learned, content, popularity = ndcg.get(LEARNED), ndcg.get(CONTENT), ndcg.get(POPULARITY)
    if learned is None or content is None or popularity is None or metrics.n_test_investors == 0:
        reason = "model.gate.no_held_out"
    elif learned < content + margin:
        reason = "model.gate.loses_to_content"
    elif learned < popularity + margin:
        reason = "model.gate.loses_to_popularity"
    else:
        reason = PASSED
    return Verdict(reason == PASSED, reason, learned, content, popularity, margin, metrics.k)


def _shown(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, int | float) else "—"


def reason_message(code: str | None, figures: Mapping[str, Any]) -> Message:
    """A stored verdict (``gate_reason`` and ``gate``) as its ja/en text."""
    k = figures.get("k", 10)
    learned, content = _shown(figures.get("learned")), _shown(figures.get("content"))
    popularity, margin = _shown(figures.get("popularity")), _shown(figures.get("margin"))
    if code == PASSED:
        return MESSAGES.text(
            "model.gate.passed", k=k, learned=learned, content=content, popularity=popularity, margin=margin
        )
    if code == "model.gate.loses_to_content":
        return MESSAGES.text(
            "model.gate.loses_to_content", k=k, learned=learned, content=content, popularity=popularity, margin=margin
        )
    if code == "model.gate.loses_to_popularity":
        return MESSAGES.text(
            "model.gate.loses_to_popularity",
            k=k,
            learned=learned,
            content=content,
            popularity=popularity,
            margin=margin,
        )
    return MESSAGES.text("model.gate.no_held_out")
