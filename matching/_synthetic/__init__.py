"""Synthetic markets (internal package; re-exported from :mod:`matching`)."""

from ._generate import SyntheticMarket, simulate_events, synthetic_market
from ._structures import STRUCTURES, StructuredTruth, structured_market
from ._truth import Truth

__all__ = [
    "STRUCTURES",
    "StructuredTruth",
    "SyntheticMarket",
    "Truth",
    "simulate_events",
    "structured_market",
    "synthetic_market",
]
