from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

import matching


def test_components_plus_bias_equal_the_score(model: matching.MatchModel) -> None:
    inv = model.investor_ids_[5]
    matches = model.rank_projects(inv, k=5)
    ids, scores = model.top_projects(inv, k=5)
    assert [m.project_id for m in matches] == ids
    for m, s in zip(matches, scores, strict=True):
        assert sum(m.components.values()) + m.bias == pytest.approx(m.score, abs=1e-12)
        # The explained score is the ranking score (float32 matmul vs float64 sum).
        assert m.score == pytest.approx(float(s), abs=1e-3)
        assert m.reasons
        assert all(r.ja and r.en for r in m.reasons)
        assert m.ranker == "learned"


def test_reasons_add_up_from_the_average_project_baseline_to_the_score(model: matching.MatchModel) -> None:
    for m in model.rank_projects(model.investor_ids_[7], k=5):
        assert m.baseline + sum(r.contribution for r in m.reasons) == pytest.approx(m.score, abs=1e-9)
        # The named reasons come first, largest lift first; "other" carries only the remainder.
        named = [r.contribution for r in m.reasons if r.code != "other"]
        assert named == sorted(named, reverse=True)
        assert [r.code for r in m.reasons].count("other") <= 1


def test_content_ranker_explains_with_the_same_interface(content: matching.ContentRanker) -> None:
    m = content.rank_projects(content.investor_ids_[0], k=3)[0]
    assert m.ranker == "content"
    assert sum(m.components.values()) + m.bias == pytest.approx(m.score, abs=1e-12)
    assert m.baseline + sum(r.contribution for r in m.reasons) == pytest.approx(m.score, abs=1e-9)


def test_ranked_projects_pass_every_hard_constraint(
    market: matching.SyntheticMarket, model: matching.MatchModel
) -> None:
    projects = {p.id: p for p in market.projects}
    for inv in market.investors[:60]:
        for m in model.rank_projects(inv.id, k=10):
            assert matching.eligibility_problems(inv, projects[m.project_id]) == []


def test_hard_constraints_reject_each_rule(market: matching.SyntheticMarket) -> None:
    p = next(p for p in market.projects if p.instrument == "corporate_furusato" and p.status == "vetted")
    person = matching.InvestorRecord(
        id="x",
        investor_type="individual",
        sectors=[],
        prefectures=[],
        instruments=["corporate_furusato"],
        ticket_min_yen=1,
        ticket_max_yen=10**9,
        target_return_pct=None,
        risk_tolerance="low",
        impact_themes=[],
        thesis="",
        created_at=datetime(2024, 1, 1, tzinfo=UTC),
    )
    assert matching.eligibility_problems(person, p) == ["furusato_requires_corporation"]
    import msgspec

    company = msgspec.structs.replace(person, investor_type="company")
    assert matching.eligibility_problems(company, p) == []
    assert "instrument_not_accepted" in matching.eligibility_problems(
        msgspec.structs.replace(company, instruments=["loan"]), p
    )
    assert "ticket_too_small" in matching.eligibility_problems(
        msgspec.structs.replace(company, ticket_max_yen=p.min_ticket_yen - 1), p
    )
    equity = msgspec.structs.replace(p, instrument="equity", min_ticket_yen=600_000)
    assert "ticket_too_small" in matching.eligibility_problems(
        msgspec.structs.replace(person, instruments=["equity"]), equity
    )
    assert "project_not_listed" in matching.eligibility_problems(company, msgspec.structs.replace(p, status="draft"))


def test_rank_investors_returns_only_eligible_investors(
    market: matching.SyntheticMarket, model: matching.MatchModel
) -> None:
    investors = {i.id: i for i in market.investors}
    project = next(p for p in market.projects if p.status in matching.RANKABLE_STATUSES)
    found = model.rank_investors(project.id, k=20)
    assert found
    for m in found:
        assert matching.eligibility_problems(investors[m.investor_id], project) == []
        assert m.project_id == project.id


@pytest.mark.parametrize("ranker_name", ["model", "content"])
def test_a_new_investor_is_ranked_by_stated_preferences(
    request: pytest.FixtureRequest, ranker_name: str, market: matching.SyntheticMarket
) -> None:
    ranker: matching.Ranker = request.getfixturevalue(ranker_name)
    sector_of = {p.id: p.sector for p in market.projects}

    def newcomer(sector: str) -> matching.InvestorRecord:
        return matching.InvestorRecord(
            id=f"new-{sector}",
            investor_type="regional_bank",
            sectors=[sector],
            prefectures=[3],
            instruments=["loan"],
            ticket_min_yen=1_000_000,
            ticket_max_yen=500_000_000,
            target_return_pct=2.0,
            risk_tolerance="medium",
            impact_themes=[],
            thesis="",
            created_at=datetime(2026, 1, 1, tzinfo=UTC),
        )

    def share(stated: str, of: str) -> float:
        return float(np.mean([sector_of[m.project_id] == of for m in ranker.rank_projects(newcomer(stated), k=20)]))

    listed = [p for p in market.projects if p.status in matching.RANKABLE_STATUSES and p.instrument == "loan"]
    for a, b in (("energy", "childcare"), ("childcare", "energy")):
        base = np.mean([p.sector == a for p in listed])
        # Stating a sector moves it up a newcomer's list, well above its base rate.
        assert share(a, a) >= share(b, a) + 0.1
        assert share(a, a) >= 1.5 * base


def test_unknown_ids_raise_a_matching_error(model: matching.MatchModel) -> None:
    with pytest.raises(matching.UnknownEntity):
        model.rank_projects("nobody")
