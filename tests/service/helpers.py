"""Payload builders shared by the API tests."""

from __future__ import annotations

from typing import Any


def project_payload(**overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "title_ja": "米子の地域電源を増やす",
        "title_en": "More local generation for Yonago",
        "summary_ja": "地域でお金が回る電力事業の拡張。",
        "summary_en": "Growing a power business that keeps money in the region.",
        "sector": "energy",
        "instrument": "equity",
        "stage": "operating",
        "municipality_codes": ["31202", "31204"],
        "funding_target_yen": 100_000_000,
        "min_ticket_yen": 1_000_000,
        "expected_return_min_pct": 1.0,
        "expected_return_max_pct": 3.0,
        "term_months": 60,
    }
    payload.update(overrides)
    return payload


def vetting_payload(decision: str = "approve", **checklist: bool) -> dict[str, Any]:
    items = {
        "identity_verified": True,
        "financials_reviewed": True,
        "impact_model_reviewed": True,
        "legal_structure_reviewed": True,
        "regional_benefit_confirmed": True,
    }
    items.update(checklist)
    return {"decision": decision, "reason": "確認済み / checked", "checklist": items}
