"""Kyoso matching: rank projects for investors and investors for projects, with reasons.

A pure library over plain records, so any market is trained and evaluated the same way::

    import matching

    result = matching.train(investors, projects, events)      # learned model + evaluation
    model = result.model
    model.rank_projects("inv-1", k=10)       # [Match(project_id, score, components, reasons)]
    model.rank_investors("prj-9", k=10)
    model.explain("inv-1", "prj-9")          # components + bias == score
    model.save("models/latest"); model = matching.load_model("models/latest")

With too few events :class:`NotEnoughData` is raised; rank with :class:`ContentRanker`
instead (same interface, ``Match.ranker == "content"``).
"""

from ._calibration import CalibrationBin, CalibrationReport, calibrate
from ._constraints import FURUSATO_INVESTOR_TYPES, INDIVIDUAL_EQUITY_CAP_YEN, eligibility_problems
from ._errors import ArtifactError, InvalidRecord, MatchingError, NotEnoughData, UnknownEntity
from ._evaluate import EvaluationRow, EvaluationTable, evaluate, format_table, ndcg_at_k
from ._fairness import (
    FairnessReport,
    depopulating_groups,
    exposure_shares,
    fair_rerank,
    fairness_report,
    region_groups,
)
from ._geo import BLOCKS, PREFECTURES, block_name, block_of, prefecture_centroid, prefecture_name
from ._model import ContentRanker, MatchModel, Ranker
from ._model._artifact import load_model
from ._reasons import Match, Reason
from ._records import (
    EVENT_KINDS,
    INSTRUMENTS,
    INVESTOR_TYPES,
    PROJECT_STATUSES,
    RANKABLE_STATUSES,
    SECTOR_LABELS,
    SECTORS,
    STAGES,
    EventRecord,
    InvestorRecord,
    ProjectRecord,
)
from ._synthetic import (
    STRUCTURES,
    StructuredTruth,
    SyntheticMarket,
    Truth,
    simulate_events,
    structured_market,
    synthetic_market,
)
from ._topk import chunked_top_k, top_k_rows
from ._train import TrainResult, train

__all__ = [
    "BLOCKS",
    "EVENT_KINDS",
    "FURUSATO_INVESTOR_TYPES",
    "INDIVIDUAL_EQUITY_CAP_YEN",
    "INSTRUMENTS",
    "INVESTOR_TYPES",
    "PREFECTURES",
    "PROJECT_STATUSES",
    "RANKABLE_STATUSES",
    "SECTORS",
    "SECTOR_LABELS",
    "STAGES",
    "STRUCTURES",
    "ArtifactError",
    "CalibrationBin",
    "CalibrationReport",
    "ContentRanker",
    "EvaluationRow",
    "EvaluationTable",
    "EventRecord",
    "FairnessReport",
    "InvalidRecord",
    "InvestorRecord",
    "Match",
    "MatchModel",
    "MatchingError",
    "NotEnoughData",
    "ProjectRecord",
    "Ranker",
    "Reason",
    "StructuredTruth",
    "SyntheticMarket",
    "TrainResult",
    "Truth",
    "UnknownEntity",
    "block_name",
    "block_of",
    "calibrate",
    "chunked_top_k",
    "depopulating_groups",
    "eligibility_problems",
    "evaluate",
    "exposure_shares",
    "fair_rerank",
    "fairness_report",
    "format_table",
    "load_model",
    "ndcg_at_k",
    "prefecture_centroid",
    "prefecture_name",
    "region_groups",
    "simulate_events",
    "structured_market",
    "synthetic_market",
    "top_k_rows",
    "train",
]
