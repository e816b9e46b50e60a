"""Eligibility rules as data: a small rule language and one generic evaluator."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any, Literal

import msgspec

from ._errors import ImpactInputError

Op = Literal["eq", "ne", "ge", "le", "gt", "lt", "in", "not_in", "le_ratio_of"]

_OP_TEXT: dict[str, tuple[str, str]] = {
    "eq": ("＝", "equal to"),
    "ne": ("≠", "different from"),
    "ge": ("≥", "at least"),
    "le": ("≤", "at most"),
    "gt": (">", "more than"),
    "lt": ("<", "less than"),
    "in": ("∈", "one of"),
    "not_in": ("∉", "none of"),
    "le_ratio_of": ("≤", "at most"),
}


class Rule(msgspec.Struct, frozen=True, kw_only=True):
    """``facts[field] <op> value`` (or ``<op> facts[other_field]``); for ``le_ratio_of``:
    ``facts[field] ≤ value · facts[other_field]`` with ``value`` a number or a fraction string ("2/3")."""

    id: str
    label_ja: str
    label_en: str
    field: str
    op: Op
    value: Any = None
    other_field: str | None = None
    explanation_ja: str
    explanation_en: str


class Ruleset(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    name_ja: str
    name_en: str
    source: str
    rules: tuple[Rule, ...]


class EligibilityCheck(msgspec.Struct, frozen=True):
    """One rule's outcome; ``detail_*`` states the values compared, ``explanation_*`` why the rule exists."""

    rule_id: str
    label_ja: str
    label_en: str
    passed: bool
    actual: Any
    expected: Any
    explanation_ja: str
    explanation_en: str
    detail_ja: str
    detail_en: str


class EligibilityResult(msgspec.Struct, frozen=True):
    """``eligible`` is true when every check passed."""

    ruleset_id: str
    eligible: bool
    checks: tuple[EligibilityCheck, ...]


def _num(field: str, x: Any) -> Fraction:
    if isinstance(x, bool) or not isinstance(x, int | float | str | Fraction):
        raise ImpactInputError(field, "impact.wrong_type", f"expected a number, got {x!r}")
    try:
        return Fraction(x)
    except (ValueError, ZeroDivisionError) as exc:
        raise ImpactInputError(field, "impact.wrong_type", f"expected a number, got {x!r}") from exc


def _compare(rule: Rule, actual: Any, expected: Any) -> bool:
    op = rule.op
    if op in ("in", "not_in"):
        if not isinstance(expected, list | tuple):
            raise ImpactInputError(rule.id, "impact.invalid_rule", f"{op} needs a list value")
        return (actual in expected) == (op == "in")
    if op in ("eq", "ne"):
        if isinstance(actual, bool) != isinstance(expected, bool):
            raise ImpactInputError(rule.field, "impact.wrong_type", f"cannot compare {actual!r} with {expected!r}")
        return (actual == expected) == (op == "eq")
    a = _num(rule.field, actual)
    b = _num(rule.other_field or rule.field, expected)
    return {"ge": a >= b, "le": a <= b, "gt": a > b, "lt": a < b, "le_ratio_of": a <= b}[op]


def evaluate_rules(ruleset: Ruleset, facts: Mapping[str, Any]) -> EligibilityResult:
    """Evaluate every rule of ``ruleset`` against ``facts``; a missing fact fails its rule.

    Comparisons of numbers are exact (``Fraction``), so "≤ 2/3 of the cost" has no rounding edge.
    A malformed rule raises ``ImpactInputError(code="impact.invalid_rule")``; a fact of the wrong
    type raises ``impact.wrong_type`` naming the fact.

    >>> r = evaluate_rules(PUBLIC_MONEY_CAP, {"public_funds_yen": 200, "project_cost_yen": 300})
    >>> r.eligible
    True
    """
    checks = []
    for rule in ruleset.rules:
        if rule.op not in _OP_TEXT:
            raise ImpactInputError(rule.id, "impact.invalid_rule", f"unknown op {rule.op!r}")
        if rule.op == "le_ratio_of" and (rule.other_field is None or rule.value is None):
            raise ImpactInputError(rule.id, "impact.invalid_rule", "le_ratio_of needs value and other_field")
        actual = facts.get(rule.field)
        other = facts.get(rule.other_field) if rule.other_field else None
        if rule.op == "le_ratio_of":
            expected: Any = None if other is None else _num(rule.id, rule.value) * _num(rule.other_field or "", other)
        else:
            expected = other if rule.other_field else rule.value
        ja, en = _OP_TEXT[rule.op]
        if actual is None or (rule.other_field and other is None):
            missing = rule.field if actual is None else rule.other_field
            passed = False
            detail_ja, detail_en = f"{missing} が未入力です", f"{missing} was not provided"
        else:
            passed = _compare(rule, actual, expected)
            shown = float(expected) if isinstance(expected, Fraction) else expected
            mark_ja, mark_en = ("満たす", "passes") if passed else ("満たさない", "fails")
            basis = f" = {rule.value} × {rule.other_field}" if rule.op == "le_ratio_of" else ""
            detail_ja = f"{rule.field} = {actual!r}（条件 {ja} {shown!r}{basis}）: {mark_ja}"
            detail_en = f"{rule.field} = {actual!r} (must be {en} {shown!r}{basis}): {mark_en}"
            expected = shown
        checks.append(
            EligibilityCheck(
                rule.id,
                rule.label_ja,
                rule.label_en,
                passed,
                actual,
                expected,
                rule.explanation_ja,
                rule.explanation_en,
                detail_ja,
                detail_en,
            )
        )
    return EligibilityResult(ruleset.id, all(c.passed for c in checks), tuple(checks))


_FURUSATO: dict[str, Any] = {
    "id": "corporate_furusato",
    "name_ja": "企業版ふるさと納税（地方創生応援税制）",
    "name_en": "Corporate hometown-tax donation (regional revitalisation support tax system)",
    "source": "内閣府 地方創生推進事務局「企業版ふるさと納税 活用の手引き」; 地域再生法",
    "rules": [
        {
            "id": "certified_plan",
            "label_ja": "認定地域再生計画の事業",
            "label_en": "In a certified regional plan",
            "field": "in_certified_regional_plan",
            "op": "eq",
            "value": True,
            "explanation_ja": "寄附の対象は国の認定を受けた地域再生計画に位置付けられた事業に限られます。",
            "explanation_en": (
                "Donations may only fund projects in a nationally certified regional revitalisation plan."
            ),
        },
        {
            "id": "donor_outside",
            "label_ja": "本社が対象市町村の外",
            "label_en": "Donor head office outside",
            "field": "donor_head_office_municipality_code",
            "op": "ne",
            "other_field": "project_municipality_code",
            "explanation_ja": "本社が所在する地方公共団体への寄附は対象外です。",
            "explanation_en": "A company cannot donate to the local government where its head office is.",
        },
        {
            "id": "min_donation",
            "label_ja": "寄附額 10万円以上",
            "label_en": "Donation of ¥100,000 or more",
            "field": "donation_yen",
            "op": "ge",
            "value": 100_000,
            "explanation_ja": "1回あたりの寄附額は10万円以上が必要です。",
            "explanation_en": "Each donation must be at least ¥100,000.",
        },
        {
            "id": "no_return",
            "label_ja": "寄附企業への経済的見返りなし",
            "label_en": "No economic return to the donor",
            "field": "donor_receives_economic_return",
            "op": "eq",
            "value": False,
            "explanation_ja": "寄附の代償として経済的な利益を受けることは禁止されています。",
            "explanation_en": "The donor may not receive any economic benefit in return.",
        },
    ],
}

_PUBLIC_CAP: dict[str, Any] = {
    "id": "public_money_cap",
    "name_ja": "公的資金の上限（事業費の3分の2以下）",
    "name_en": "Public-money cap (at most two thirds of project cost)",
    "source": "民都機構 まちづくりファンド支援業務（出資は総事業費の2/3が上限）",
    "rules": [
        {
            "id": "public_share",
            "label_ja": "公的資金 ≤ 事業費 × 2/3",
            "label_en": "Public funds ≤ 2/3 of cost",
            "field": "public_funds_yen",
            "op": "le_ratio_of",
            "value": "2/3",
            "other_field": "project_cost_yen",
            "explanation_ja": "呼び水となる公的資金は総事業費の3分の2までとし、民間資金を引き出します。",
            "explanation_en": (
                "Pump-priming public money is capped at two thirds of the cost so private money comes in."
            ),
        },
    ],
}

FURUSATO_RULESET: Ruleset = msgspec.convert(_FURUSATO, Ruleset)
PUBLIC_MONEY_CAP: Ruleset = msgspec.convert(_PUBLIC_CAP, Ruleset)
RULESETS: dict[str, Ruleset] = {r.id: r for r in (FURUSATO_RULESET, PUBLIC_MONEY_CAP)}
"""The shipped rulesets by id."""
