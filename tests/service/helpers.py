"""Payload builders shared by the API tests."""

from __future__ import annotations

import uuid
from typing import Any

from service.models import Project


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


def project_row(organisation_id: uuid.UUID, created_by: uuid.UUID, status: str = "vetted", **overrides: Any) -> Project:
    """A project row to add straight to the database (status and all), for arranging a test."""
    values: dict[str, Any] = {
        "organisation_id": organisation_id,
        "created_by": created_by,
        "title_ja": f"テスト案件（{status}）",
        "title_en": f"Test project ({status})",
        "summary_ja": "検証用の案件。",
        "summary_en": "A project for tests.",
        "sector": "energy",
        "instrument": "equity",
        "stage": "operating",
        "status": status,
        "municipality_codes": ["31202"],
        "prefecture_codes": [31],
        "funding_target_yen": 100_000_000,
        "min_ticket_yen": 1_000_000,
        "expected_return_min_pct": 1.0,
        "expected_return_max_pct": 3.0,
        "term_months": 60,
    }
    return Project(**{**values, **overrides})
