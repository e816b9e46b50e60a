"""One call that trains once, evaluates against baselines, and calibrates the match score.

::

    result = matching.train(investors, projects, events, progress=lambda msg, frac: print(msg))
    print(result.report)                 # evaluation table as text
    result.calibration.ece               # match-score calibration, measured on held-out data
    result.model.save("models/latest")
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

import msgspec
import numpy as np

from ._calibration import CalibrationReport, calibrate
from ._evaluate import EvaluationTable, evaluate, format_table, popularity_scorer, random_scorer
from ._model import ContentRanker, MatchModel
from ._records import EventRecord, InvestorRecord, ProjectRecord
from ._synthetic._truth import GroundTruth


class TrainResult:
    """``model`` (weights fitted once, on events before the split; catalogue, behaviour and
    collaborative factors rebuilt from every event when ``refit``), the held-out ``metrics``
    table, ``report`` (its text form) and the match-score ``calibration``."""

    def __init__(self, model: MatchModel, metrics: EvaluationTable, calibration: CalibrationReport) -> None:
        self.model, self.metrics, self.calibration = model, metrics, calibration
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
    truth: GroundTruth | None = None,
    refit: bool = True,
    params: dict[str, Any] | None = None,
) -> TrainResult:
    """Fit once on events before ``split_at`` (default: the time 85% of events precede),
    evaluate on the rest next to content-cosine, popularity and random baselines, calibrate
    the match score on the same held-out period, then (``refit``) rebuild the catalogue from
    every event — the learned weights are kept, there is no second fit. Raises
    :class:`NotEnoughData` when there is too little.
    """
    say = progress or (lambda _m, _f: None)
    investors, projects, events = list(investors), list(projects), list(events)
    if split_at is None:
        ts = np.array([e.at.timestamp() for e in events]) if events else np.zeros(1)
        split_at = datetime.fromtimestamp(float(np.quantile(ts, 0.85)), UTC)
    past = [e for e in events if e.at < split_at]

    def sub(lo: float, hi: float) -> Callable[[str, float], None]:
        return lambda msg, f: say(msg, lo + (hi - lo) * f)

    model = MatchModel(**(params or {})).fit(investors, projects, past, progress=sub(0.0, 0.7))
    say("evaluating against baselines", 0.7)
    content = ContentRanker().fit(investors, projects, past)
    table = evaluate(
        investors,
        projects,
        events,
        split_at=split_at,
        truth=truth,
        rankers={
            "learned": model,
            "content cosine": content,
            "popularity": popularity_scorer(past, investors, projects),
            "random": random_scorer(len(projects)),
        },
    )
    say("calibrating the match score", 0.85)
    calibration = calibrate(model, investors, projects, events, split_at=split_at)
    if refit and len(past) < len(events):
        say("rebuilding the catalogue from every event", 0.9)
        model.refresh(investors, projects, events)
        model.training_["last_event"] = max(e.at for e in events).isoformat()
    # ``events`` is what the served model knows; the weights were fitted on ``fit_events``.
    model.training_["fit_events"] = model.training_["events"]
    if refit:
        model.training_["events"] = len(events)
    model.training_["fitted_before"] = split_at.isoformat()
    model.metrics_ = msgspec.to_builtins(table)
    say("done", 1.0)
    return TrainResult(model, table, calibration)
