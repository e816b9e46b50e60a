"""Stated preferences as a strong prior, record validation, reasons and the match score."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

import matching
from matching._geo import PREFECTURE_BLOCK

T0 = datetime(2026, 1, 1, tzinfo=UTC)
TICKETS = {  # (min ticket a project asks) for each instrument, inside every generated range
    "equity": 100_000,
    "loan": 5_000_000,
    "revenue_share": 100_000,
    "social_impact_bond": 5_000_000,
    "donation": 10_000,
    "corporate_furusato": 1_000_000,
}


def _investor(rng: np.random.Generator, k: int) -> matching.InvestorRecord:
    sectors = list(rng.choice(matching.SECTORS, int(rng.integers(1, 4)), replace=False))
    prefectures = [int(p) for p in rng.choice(np.arange(1, 48), int(rng.integers(1, 3)), replace=False)]
    instruments = list(
        rng.choice(["equity", "loan", "revenue_share", "donation"], int(rng.integers(1, 3)), replace=False)
    )
    return matching.InvestorRecord(
        id=f"gen-{k}",
        investor_type=str(rng.choice(["individual", "company", "fund"])),  # type: ignore[arg-type]
        sectors=sectors,
        prefectures=prefectures,
        instruments=instruments,
        ticket_min_yen=10_000,
        ticket_max_yen=int(rng.choice([50_000_000, 200_000_000])),
        target_return_pct=None,
        risk_tolerance=str(rng.choice(["low", "medium", "high"])),  # type: ignore[arg-type]
        impact_themes=list(
            rng.choice(["local_economy", "climate", "jobs", "care"], int(rng.integers(0, 3)), replace=False)
        ),
        thesis=str(rng.choice(["", "地域を元気にしたい", "keep rural services running", "除雪と交通"])),
        created_at=T0,
    )


def _project(pid: str, sector: str, pref: int, instrument: str, min_ticket: int, text: str) -> matching.ProjectRecord:
    return matching.ProjectRecord(
        id=pid,
        sector=sector,  # type: ignore[arg-type]
        prefecture=pref,
        municipality_code=None,
        lat=None,
        lng=None,
        instrument=instrument,  # type: ignore[arg-type]
        funding_target_yen=50_000_000,
        min_ticket_yen=min_ticket,
        stage="operating",
        status="funding",
        impact={"KY-LM3": 1.8, "KY-CO2": 12.0},
        text=text,
        created_at=T0,
    )


def _pair(rng: np.random.Generator, inv: matching.InvestorRecord, k: int) -> tuple[matching.ProjectRecord, ...]:
    """A project fitting every stated field, and one fitting none (other sector, a prefecture
    in another block, an instrument not accepted, a ticket above the investor's maximum)."""
    text = str(rng.choice(["地域交通の維持", "snow removal for the town", "空き家の再生", "community clinic"]))
    instrument = str(rng.choice(inv.instruments))
    fit = _project(
        f"fit-{k}",
        str(rng.choice(inv.sectors)),
        int(rng.choice(inv.prefectures)),
        instrument,
        TICKETS[instrument],
        text,
    )
    blocks = {int(PREFECTURE_BLOCK[p - 1]) for p in inv.prefectures}
    far = [p for p in range(1, 48) if int(PREFECTURE_BLOCK[p - 1]) not in blocks]
    other_sector = [s for s in matching.SECTORS if s not in inv.sectors]
    other_instrument = [i for i in matching.INSTRUMENTS if i not in inv.instruments and i != "corporate_furusato"]
    none = _project(
        f"none-{k}",
        str(rng.choice(other_sector)),
        int(rng.choice(far)),
        str(rng.choice(other_instrument)),
        inv.ticket_max_yen * 2,
        text,
    )
    return fit, none


def _agreeing_history(
    rng: np.random.Generator, inv: matching.InvestorRecord, model: matching.MatchModel, market: matching.SyntheticMarket
) -> list[matching.EventRecord]:
    """Interest in catalogue projects that fit the stated sectors: behaviour that agrees."""
    fits = [p.id for p in market.projects if p.sector in inv.sectors and p.id in model.project_index_]
    chosen = rng.choice(fits, min(len(fits), int(rng.integers(1, 6))), replace=False)
    return [
        matching.EventRecord(investor_id=inv.id, project_id=str(pid), kind=kind, at=T0 + timedelta(days=d))
        for d, pid in enumerate(chosen)
        for kind in ("view", "interest")
    ]


@pytest.mark.parametrize("with_history", [False, True])
def test_a_project_fitting_every_stated_preference_ranks_above_one_fitting_none(
    model: matching.MatchModel, market: matching.SyntheticMarket, with_history: bool
) -> None:
    rng = np.random.default_rng(7 + with_history)
    for k in range(150):
        inv = _investor(rng, k)
        history = _agreeing_history(rng, inv, model, market) if with_history else None
        fit, none = _pair(rng, inv, k)
        s_fit = model.explain(inv, fit, history=history).score
        s_none = model.explain(inv, none, history=history).score
        assert s_fit > s_none, (inv, fit, none)


def test_behaviour_that_contradicts_a_stated_sector_weakens_its_prior(
    model: matching.MatchModel, market: matching.SyntheticMarket
) -> None:
    rng = np.random.default_rng(3)
    inv = _investor(rng, 0)
    fit, _ = _pair(rng, inv, 0)
    stated = [p.id for p in market.projects if p.sector == fit.sector and p.id in model.project_index_][:8]
    elsewhere = [p.id for p in market.projects if p.sector not in inv.sectors and p.id in model.project_index_][:8]
    declines = [
        matching.EventRecord(investor_id=inv.id, project_id=pid, kind=kind, at=T0)
        for pid in stated
        for kind in ("view", "decline")
    ] + [matching.EventRecord(investor_id=inv.id, project_id=pid, kind="interest", at=T0) for pid in elsewhere]
    fresh = model.explain(inv, fit).components["prior_sector"]
    told_otherwise = model.explain(inv, fit, history=declines).components["prior_sector"]
    assert fresh > 0
    assert told_otherwise < 0.5 * fresh


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sector", "space_travel"),
        ("instrument", "crypto"),
        ("stage", "dreaming"),
        ("status", "live"),
        ("prefecture", 0),
        ("prefecture", 48),
    ],
)
def test_a_project_record_with_an_unknown_value_names_the_field(field: str, value: object) -> None:
    good = _project("p", "snow_removal", 6, "donation", 10_000, "")
    with pytest.raises(matching.InvalidRecord) as err:
        matching.ProjectRecord(**{**{f: getattr(good, f) for f in good.__struct_fields__}, field: value})
    assert err.value.field == field
    assert err.value.code == "matching.invalid_record"
    assert field in str(err.value)
    assert field in err.value.message_ja
    assert isinstance(err.value, matching.MatchingError)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sectors", ["mobility", "space_travel"]),
        ("instruments", ["bitcoin"]),
        ("prefectures", [0]),
        ("risk_tolerance", "yolo"),
        ("investor_type", "alien"),
    ],
)
def test_an_investor_record_with_an_unknown_value_names_the_field(field: str, value: object) -> None:
    good = _investor(np.random.default_rng(0), 0)
    with pytest.raises(matching.InvalidRecord) as err:
        matching.InvestorRecord(**{**{f: getattr(good, f) for f in good.__struct_fields__}, field: value})
    assert err.value.field == field


def test_an_event_of_an_unknown_kind_is_refused() -> None:
    with pytest.raises(matching.InvalidRecord) as err:
        matching.EventRecord(investor_id="i", project_id="p", kind="like", at=T0)  # type: ignore[arg-type]
    assert err.value.field == "kind"


@pytest.mark.parametrize("ranker_name", ["model", "content"])
def test_other_factors_is_never_the_first_reason(request: pytest.FixtureRequest, ranker_name: str) -> None:
    ranker: matching.Ranker = request.getfixturevalue(ranker_name)
    firsts = []
    for inv in ranker.investor_ids_[:60]:
        for m in ranker.rank_projects(inv, k=10):
            assert m.reasons
            firsts.append(m.reasons[0].code)
            assert abs(m.baseline + sum(r.contribution for r in m.reasons) - m.score) < 1e-3
    assert firsts
    assert "other" not in firsts


def test_impact_themes_use_the_projects_computed_metrics(model: matching.MatchModel) -> None:
    rng = np.random.default_rng(1)
    inv = _investor(rng, 0)
    inv = matching.InvestorRecord(
        **{**{f: getattr(inv, f) for f in inv.__struct_fields__}, "impact_themes": list(model.space_.themes_[:3])}
    )
    with_metrics, _ = _pair(rng, inv, 0)
    without = matching.ProjectRecord(
        **{**{f: getattr(with_metrics, f) for f in with_metrics.__struct_fields__}, "impact": {}}
    )
    assert model.space_.metrics_  # the market's projects carry metric ids
    metric = model.space_.metrics_[0]
    rich = matching.ProjectRecord(
        **{**{f: getattr(with_metrics, f) for f in with_metrics.__struct_fields__}, "impact": {metric: 50.0}}
    )
    a = model.explain(inv, rich).components["themes_impact"]
    b = model.explain(inv, without).components["themes_impact"]
    assert a != b


def test_match_score_is_a_calibrated_percentage(market: matching.SyntheticMarket) -> None:
    result = matching.train(market.investors, market.projects, market.events)
    cal = result.calibration
    assert cal.check_pairs > 1_000
    # Measured on investors the calibration fit did not see.
    assert cal.ece < 0.05
    # ... and it discriminates: higher scores, more interest (not a constant base rate).
    assert cal.a > 0
    assert cal.bins[-1].observed > cal.bins[0].observed
    assert cal.bins[-1].predicted > 2 * cal.bins[0].predicted
    assert sum(b.pairs for b in cal.bins) == cal.check_pairs
    matches = result.model.rank_projects(result.model.investor_ids_[0], k=10)
    scores = [m.match_score for m in matches]
    assert all(0 <= s <= 100 for s in scores)
    assert scores == sorted(scores, reverse=True)
    restored = matching.load_model(result.model.to_bytes())
    assert [m.match_score for m in restored.rank_projects(restored.investor_ids_[0], k=10)] == scores
