"""The case record ``Bad``, shared constants and the valid request bodies the cases start from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

VALID_CORPORATE_NUMBER = "7000012050002"  # 国税庁 (National Tax Agency)
BAD_CHECK_DIGIT = "8" + VALID_CORPORATE_NUMBER[1:]
TOO_MUCH_YEN = 10**13 + 1
MALFORMED = b'{"title_ja": "unterminated'


@dataclass(frozen=True)
class Bad:
    endpoint: str
    name: str
    body: Any
    status: int
    field: str | None = None
    code: str | None = None
    path: str | None = None  # overrides the endpoint's path


def signup(**overrides: Any) -> dict[str, Any]:
    body = {"email": "new@example.jp", "password": "correct horse battery", "display_name": "新規"}
    return {**body, **overrides}


def signup_org(**organisation: Any) -> dict[str, Any]:
    org = {"kind": "company", "name_ja": "新会社", "name_en": "New company", **organisation}
    return signup(organisation={"organisation": org, "role": "project_lead"})


def org(**overrides: Any) -> dict[str, Any]:
    return {"kind": "company", "name_ja": "新組織", "name_en": "New organisation", **overrides}


def sphere(**overrides: Any) -> dict[str, Any]:
    body = {
        "name_ja": "新生活圏",
        "name_en": "New sphere",
        "core_municipality_code": "31202",
        "member_codes": ["31204"],
    }
    return {**body, **overrides}


def profile(**overrides: Any) -> dict[str, Any]:
    body = {
        "display_name_ja": "新しい投資家",
        "display_name_en": "New investor",
        "investor_type": "fund",
        "ticket_min_yen": 1_000_000,
        "ticket_max_yen": 10_000_000,
        "risk_tolerance": "low",
        "organisation_id": "{investor_org}",
    }
    return {**body, **overrides}


def event(**overrides: Any) -> dict[str, Any]:
    body = {
        "id": "5b0c8b0e-6a43-4f6e-9a55-1f0e7c1f4b2a",
        "investor_id": "{hidden_user}",
        "project_id": "{funding}",
        "kind": "bookmark",
    }
    return {**body, **overrides}


def without(body: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != key}


UNKNOWN = "00000000-0000-4000-8000-000000000000"
# Impact claims (issue 3): an unknown claim, and a valid claim body.
CLAIM = f"/claims/{UNKNOWN}"
CLAIM_BODY = {
    "metric_id": "KY-LM3",
    "value": 2.44,
    "period_start": "2025-04-01",
    "period_end": "2026-03-31",
    "boundary": "米子市・境港市",
    "method": "会計帳簿",
    "baseline": "域外電力会社",
}
