"""公共貢献 score and the data-driven eligibility rules."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

import impact

FURUSATO_OK: dict[str, Any] = {
    "in_certified_regional_plan": True,
    "donor_head_office_municipality_code": "131016",  # 千代田区
    "project_municipality_code": "312029",  # 米子市
    "donation_yen": 100_000,
    "donor_receives_economic_return": False,
}


def test_score_components_show_weights_and_points() -> None:
    facts = {
        "serves_daily_life_needs": True,
        "depopulating_population_share": 0.4,
        "municipalities_served": 2,
        "local_cofinancing_share": 0.6,
        "lm3": 1.5,
    }
    s = impact.public_contribution_score(facts)
    points = {c.id: c.points for c in s.components}
    # daily life 25; depopulating 25·0.4 = 10; cross-border 15·(2−1)/(3−1) = 7.5;
    # co-financing 20 (0.6 ≥ 0.5, capped); LM3 15·(1.5−1)/(2−1) = 7.5 → 70.
    assert points == pytest.approx(
        {"daily_life": 25, "depopulating": 10, "cross_border": 7.5, "local_cofinancing": 20, "circulation": 7.5}
    )
    assert s.total == pytest.approx(70)
    assert sum(c.weight for c in s.components) == 100
    assert all(c.label_ja and c.label_en and c.explanation_ja for c in s.components)


def test_missing_facts_score_zero_and_show_no_raw_value() -> None:
    s = impact.public_contribution_score({})
    assert s.total == 0
    assert all(c.raw is None for c in s.components)


def test_score_weights_are_data() -> None:
    custom = [
        msgspec.structs.replace(c, weight=w) for c, w in zip(impact.SCORE_COMPONENTS, (100, 0, 0, 0, 0), strict=True)
    ]
    assert impact.public_contribution_score({"serves_daily_life_needs": True}, custom).total == 100
    bad = [msgspec.structs.replace(c, weight=10) for c in impact.SCORE_COMPONENTS]
    with pytest.raises(impact.ImpactInputError):
        impact.public_contribution_score({}, bad)


def test_furusato_donation_that_meets_every_rule_is_eligible() -> None:
    r = impact.evaluate_rules(impact.FURUSATO_RULESET, FURUSATO_OK)
    assert r.eligible
    assert [c.rule_id for c in r.checks] == ["certified_plan", "donor_outside", "min_donation", "no_return"]
    assert all(c.passed and c.explanation_ja and c.explanation_en and c.detail_ja for c in r.checks)


@pytest.mark.parametrize(
    ("change", "failing"),
    [
        ({"in_certified_regional_plan": False}, "certified_plan"),
        ({"donor_head_office_municipality_code": "312029"}, "donor_outside"),
        ({"donation_yen": 99_999}, "min_donation"),
        ({"donor_receives_economic_return": True}, "no_return"),
        ({"donation_yen": None}, "min_donation"),
    ],
)
def test_furusato_each_broken_rule_is_the_only_failure(change: dict[str, Any], failing: str) -> None:
    r = impact.evaluate_rules(impact.FURUSATO_RULESET, {**FURUSATO_OK, **change})
    assert not r.eligible
    assert [c.rule_id for c in r.checks if not c.passed] == [failing]


def test_public_money_cap_is_exact_at_two_thirds() -> None:
    # 民都機構: public investment at most 2/3 of total project cost. 200 of 300 is exactly 2/3.
    ok = impact.evaluate_rules(impact.PUBLIC_MONEY_CAP, {"public_funds_yen": 200, "project_cost_yen": 300})
    over = impact.evaluate_rules(impact.PUBLIC_MONEY_CAP, {"public_funds_yen": 201, "project_cost_yen": 300})
    big = impact.evaluate_rules(
        impact.PUBLIC_MONEY_CAP, {"public_funds_yen": 66_666_667, "project_cost_yen": 100_000_000}
    )
    assert ok.eligible
    assert not over.eligible
    assert not big.eligible  # 66,666,667 > 66,666,666.67
    assert "2/3" in over.checks[0].detail_en


def test_rules_language_supports_every_operator() -> None:
    def rule(op: str, value: Any = None, other: str | None = None) -> impact.Rule:
        return impact.Rule(
            id=op,
            label_ja=op,
            label_en=op,
            field="x",
            op=op,
            value=value,  # type: ignore[arg-type]
            other_field=other,
            explanation_ja="",
            explanation_en="",
        )

    rules = impact.Ruleset(
        id="t",
        name_ja="t",
        name_en="t",
        source="test",
        rules=(
            rule("eq", 5),
            rule("ne", 4),
            rule("ge", 5),
            rule("le", 5),
            rule("gt", 4),
            rule("lt", 6),
            rule("in", [1, 5]),
            rule("not_in", [1, 2]),
            rule("le_ratio_of", 0.5, "y"),
            rule("ge", None, "z"),
        ),
    )
    r = impact.evaluate_rules(rules, {"x": 5, "y": 10, "z": 5})
    assert [c.rule_id for c in r.checks if not c.passed] == []
    r = impact.evaluate_rules(rules, {"x": 6, "y": 10, "z": 7})
    assert [c.rule_id for c in r.checks if not c.passed] == ["eq", "le", "lt", "in", "le_ratio_of", "ge"]


def test_rulesets_are_plain_data() -> None:
    for rs in impact.RULESETS.values():
        data = msgspec.json.encode(rs)
        assert msgspec.json.decode(data, type=impact.Ruleset) == rs


@pytest.mark.parametrize(
    ("rule", "facts", "field", "code"),
    [
        ({"op": "between", "value": 1}, {"x": 1}, "r", "impact.invalid_rule"),
        ({"op": "in", "value": 1}, {"x": 1}, "r", "impact.invalid_rule"),
        ({"op": "le_ratio_of", "value": "2/3"}, {"x": 1}, "r", "impact.invalid_rule"),
        ({"op": "ge", "value": 100}, {"x": "a lot"}, "x", "impact.wrong_type"),
        ({"op": "eq", "value": True}, {"x": 1}, "x", "impact.wrong_type"),
    ],
)
def test_bad_rules_or_facts_raise_one_named_error(
    rule: dict[str, Any], facts: dict[str, Any], field: str, code: str
) -> None:
    r = impact.Rule(id="r", label_ja="", label_en="", field="x", explanation_ja="", explanation_en="", **rule)
    rs = impact.Ruleset(id="t", name_ja="", name_en="", source="", rules=(r,))
    with pytest.raises(impact.ImpactInputError) as info:
        impact.evaluate_rules(rs, facts)
    assert (info.value.field, info.value.code) == (field, code)
