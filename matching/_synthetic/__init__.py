"""Synthetic markets (internal package; re-exported from :mod:`matching`)."""

from ._generate import SyntheticMarket, simulate_events, synthetic_market
from ._truth import Truth

__all__ = ["SyntheticMarket", "Truth", "simulate_events", "synthetic_market"]
