"""Arrangement for the authorization-matrix rows of the impact, claims and audit endpoints.

Claims live on ``org_a``'s vetted project (public) unless the target names another project
status (``draft:submitted`` = a submitted claim on the draft). The evidence upload is multipart,
so these rows send their own requests.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from service.models import ClaimStatus, ImpactClaim
from tests.service.conftest import World

API = "/api/v1"
CSV = b"month,kwh\n2025-04,120000\n"
UNKNOWN = "00000000-0000-4000-8000-000000000000"
#: Paths (as in the matrix) whose rows ``request`` sends.
IMPACT_PATHS = frozenset(
    {
        f"{API}/impact/metrics",
        f"{API}/impact/metrics/{{metric_id}}",
        f"{API}/impact/calculate",
        f"{API}/projects/{{project_id}}/public-contribution",
        f"{API}/projects/{{project_id}}/eligibility",
        f"{API}/projects/{{project_id}}/claims",
        f"{API}/claims/{{claim_id}}",
        f"{API}/claims/{{claim_id}}/decisions",
        f"{API}/claims/{{claim_id}}/resubmit",
        f"{API}/claims/{{claim_id}}/contest",
        f"{API}/claims/{{claim_id}}/evidence",
        f"{API}/claims/{{claim_id}}/evidence/{{evidence_id}}",
        f"{API}/admin/audit",
        f"{API}/admin/audit/verify",
    }
)
CLAIM = {
    "metric_id": "PI4060",
    "value": 1200,
    "period_start": "2025-04-01",
    "period_end": "2026-03-31",
    "boundary": "利用者",
    "method": "利用記録",
    "baseline": "なし",
}


async def _claim(db: Any, world: World, target: str) -> str:
    if target == "unknown":
        return UNKNOWN
    project_status, _, claim_status = target.rpartition(":")
    claim = ImpactClaim(
        project_id=world.projects[project_status or "vetted"],
        metric_id="PI4060",
        value=1200,
        unit="persons",
        period_start=date(2025, 4, 1),
        period_end=date(2026, 3, 31),
        boundary="利用者",
        method="利用記録",
        baseline="なし",
        status=ClaimStatus(claim_status),
        submitted_by=world.actors["lead_owner"].user.id,
        rejected_by=world.actors["lead_other"].user.id if claim_status == "rejected" else None,
    )
    db.add(claim)
    await db.commit()
    return str(claim.id)


def _body(path: str, target: str) -> dict[str, Any] | None:
    if path.endswith("/calculate"):
        return {"metric_id": "KY-LM3", "inputs": {"lm3_r1_yen": 10, "lm3_r2_yen": 8, "lm3_r3_yen": 6.4}}
    if path.endswith("/projects/{project_id}/claims"):
        return CLAIM
    if path.endswith("/decisions"):
        return {"decision": "review", "reason": "確認します"}
    if path.endswith(("/resubmit", "/contest")):
        return {"reason": "理由があります"}
    return None


async def request(client: Any, db: Any, world: World, method: str, path: str, target: str, caller: str) -> Any:
    """Send the row's request as ``caller``; returns the response."""
    names: dict[str, str] = {"metric_id": "KY-NOPE" if target == "unknown" else "KY-LM3"}
    if "{project_id}" in path:
        pid = world.projects.get(target)
        names["project_id"] = str(pid) if pid else UNKNOWN
    if "{claim_id}" in path:
        names["claim_id"] = await _claim(db, world, target)
    if "{evidence_id}" in path:
        names["evidence_id"] = UNKNOWN
        if target != "unknown":
            owner = world.headers("lead_owner")
            claim_id = names["claim_id"]
            if target.endswith(":verified"):  # upload while open, then verify directly
                await db.execute(
                    ImpactClaim.__table__.update()
                    .where(ImpactClaim.id == uuid.UUID(claim_id))
                    .values(status="submitted")
                )
                await db.commit()
            uploaded = await client.post(
                f"{API}/claims/{claim_id}/evidence", files={"file": ("m.csv", CSV, "text/csv")}, headers=owner
            )
            assert uploaded.status_code == 201, uploaded.text
            names["evidence_id"] = uploaded.json()["id"]
            if target.endswith(":verified"):
                await db.execute(
                    ImpactClaim.__table__.update()
                    .where(ImpactClaim.id == uuid.UUID(claim_id))
                    .values(status="verified")
                )
                await db.commit()
    url = path.format(**names)
    headers = world.headers(caller)
    if path.endswith("/eligibility"):
        return await client.get(
            url, params={"donor_organisation_id": str(world.investor_org.id), "donation_yen": 100_000}, headers=headers
        )
    if path.endswith("/claims/{claim_id}/evidence") and method == "POST":
        return await client.post(url, files={"file": ("m.csv", CSV, "text/csv")}, headers=headers)
    return await client.request(method, url, json=_body(path, target), headers=headers)
