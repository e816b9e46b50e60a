"""One call that trains, evaluates against baselines, and refits for serving.

::

    result = matching.train(investors, projects, events, progress=lambda msg, frac: print(msg))
    print(result.report)                 # evaluation table as text
    result.model.save("models/latest")
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

import msgspec
import numpy as np

from ._evaluate import EvaluationTable, evaluate, format_table, popularity_scorer, random_scorer
from ._model import ContentRanker, MatchModel
from ._records import EventRecord, InvestorRecord, ProjectRecord
from ._synthetic import Truth


class TrainResult:
    """``model`` (fitted on all events when ``refit``), the held-out ``metrics`` table and
    ``report``, its text form."""

    def __init__(self, model: MatchModel, metrics: EvaluationTable) -> None:
        self.model, self.metrics = model, metrics
        self.report = format_table(metrics)

    @property
    def metrics_table(self) -> str:
        return self.report


def train(
    investors: Iterable[InvestorRecord],
    projects: Iterable[ProjectRecord],
    events: Iterable[EventRecord],
    *,
    split_at: datetime | None = None,
    progress: Callable[[str, float], None] | None = None,
    truth: Truth | None = None,
    refit: bool = True,
    params: dict[str, Any] | None = None,
) -> TrainResult:
    """Fit on events before ``split_at`` (default: the time 85% of events precede), evaluate
    on the rest next to content-cosine, popularity and random baselines, then (``refit``)
    fit again on every event. Raises :class:`NotEnoughData` when there is too little.
    """
    say = progress or (lambda _m, _f: None)
    investors, projects, events = list(investors), list(projects), list(events)
    if split_at is None:
        ts = np.array([e.at.timestamp() for e in events]) if events else np.zeros(1)
        split_at = datetime.fromtimestamp(float(np.quantile(ts, 0.85)), UTC)
    past = [e for e in events if e.at < split_at]

    def sub(lo: float, hi: float) -> Callable[[str, float], None]:
        return lambda msg, f: say(msg, lo + (hi - lo) * f)

    held_out = MatchModel(**(params or {})).fit(investors, projects, past, progress=sub(0.0, 0.45))
    say("evaluating against baselines", 0.45)
    content = ContentRanker().fit(investors, projects, past)
    table = evaluate(
        investors,
        projects,
        events,
        split_at=split_at,
        truth=truth,
        rankers={
            "learned": held_out,
            "content cosine": content,
            "popularity": popularity_scorer(past, investors, projects),
            "random": random_scorer(len(projects)),
        },
    )
    model = held_out
    if refit:
        model = MatchModel(**(params or {})).fit(investors, projects, events, progress=sub(0.55, 1.0))
    model.metrics_ = msgspec.to_builtins(table)
    say("done", 1.0)
    return TrainResult(model, table)
