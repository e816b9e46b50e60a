"""A small synthetic market and models fitted on it, shared by the matching tests."""

from __future__ import annotations

import pytest

import matching


@pytest.fixture(scope="session")
def market() -> matching.SyntheticMarket:
    return matching.synthetic_market(n_investors=1200, n_projects=600, seed=11)


@pytest.fixture(scope="session")
def split_at(market: matching.SyntheticMarket):
    return market.split_time(0.8)


@pytest.fixture(scope="session")
def past_events(market: matching.SyntheticMarket, split_at) -> list[matching.EventRecord]:
    return [e for e in market.events if e.at < split_at]


@pytest.fixture(scope="session")
def model(market: matching.SyntheticMarket, past_events) -> matching.MatchModel:
    return matching.MatchModel().fit(market.investors, market.projects, past_events)


@pytest.fixture(scope="session")
def content(market: matching.SyntheticMarket, past_events) -> matching.ContentRanker:
    return matching.ContentRanker().fit(market.investors, market.projects, past_events)
