"""Rankers (internal package; re-exported from :mod:`matching`)."""

from ._content import ContentRanker
from ._learned import MatchModel
from ._ranker import Ranker

__all__ = ["ContentRanker", "MatchModel", "Ranker"]
