"""Objects for the fuzzer to find: random ids only ever reach 404s, these reach real answers.

A listed project of the lead's organisation (with LM3 inputs), its claim, the investor's profile
and a living sphere, made through the API as users make them.
"""

from __future__ import annotations

from typing import Any

from tests.service.helpers import project_payload, vetting_payload

API = "/api/v1"


async def seed(client: Any, actors: dict[str, Any]) -> dict[str, str]:
    """Create the objects; returns the value to use for each path parameter name."""
    lead, admin, investor = actors["lead"], actors["admin"], actors["investor"]
    inputs = {"lm3_r1_yen": 100, "lm3_r2_yen": 50, "lm3_r3_yen": 7.3}
    project = await _ok(
        client.post(f"{API}/projects", json=project_payload(impact_inputs=inputs), headers=lead.headers)
    )
    pid = project["id"]
    move = {"to_status": "submitted", "reason": "審査をお願いします"}
    await _ok(client.post(f"{API}/projects/{pid}/transitions", json=move, headers=lead.headers))
    await _ok(client.post(f"{API}/vetting/{pid}/decision", json=vetting_payload(), headers=admin.headers))
    claim = {
        "metric_id": "KY-LM3",
        "value": 1.57,
        "period_start": "2025-04-01",
        "period_end": "2026-03-31",
        "boundary": "米子市の需要家",
        "method": "会計帳簿から域内支出を集計",
        "baseline": "域外電力会社の場合",
    }
    claim_id = (await _ok(client.post(f"{API}/projects/{pid}/claims", json=claim, headers=lead.headers)))["id"]
    profile = {
        "display_name_ja": "テスト投資家",
        "display_name_en": "Test investor",
        "investor_type": "company",
        "ticket_min_yen": 1_000_000,
        "ticket_max_yen": 50_000_000,
        "risk_tolerance": "medium",
        "organisation_id": str(investor.organisation.id),
        "sectors": ["energy"],
    }
    profile_id = (await _ok(client.post(f"{API}/investors", json=profile, headers=investor.headers)))["id"]
    sphere = {
        "name_ja": "米子生活圏",
        "name_en": "Yonago sphere",
        "core_municipality_code": "31202",
        "member_codes": ["31202", "31204"],
    }
    sphere_id = (await _ok(client.post(f"{API}/regions/living-spheres", json=sphere, headers=admin.headers)))["id"]
    return {
        "project_id": pid,
        "claim_id": claim_id,
        "profile_id": profile_id,
        "sphere_id": sphere_id,
        "organisation_id": str(lead.organisation.id),
        "metric_id": "KY-LM3",
    }


async def _ok(request: Any) -> dict[str, Any]:
    response = await request
    assert response.status_code in (200, 201), response.text
    body: dict[str, Any] = response.json()
    return body
