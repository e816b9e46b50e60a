"""The admins' claim queue: ``GET /claims?status=`` — admins only, filtered by status, oldest first,
paged ``{items, total, limit, next_cursor}``, each item with the evidence and history its detail has."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from service.models import ClaimStatus, EvidenceFile, ImpactClaim, ImpactClaimEvent, Project
from service.models.base import utcnow
from service.models.enums import Role
from tests.service.helpers import project_row

API = "/api/v1"


def _project(org_id, user_id) -> Project:
    return project_row(
        org_id,
        user_id,
        "funding",
        title_ja="地域交通",
        title_en="Local transport",
        sector="mobility",
        instrument="loan",
        funding_target_yen=50_000_000,
        min_ticket_yen=100_000,
        expected_return_max_pct=2.0,
        term_months=36,
    )


@pytest.fixture
async def queue(db, make_actor):
    """Five claims made a minute apart: three submitted, one under review, one verified."""
    lead = await make_actor(Role.project_lead)
    project = _project(lead.organisation.id, lead.user.id)
    db.add(project)
    await db.flush()
    start = utcnow() - timedelta(hours=1)
    statuses = ["submitted", "under_review", "submitted", "verified", "submitted"]
    claims = []
    for i, status in enumerate(statuses):
        claim = ImpactClaim(
            project_id=project.id,
            metric_id="PI4060",
            value=100 + i,
            unit="persons",
            period_start=date(2025, 4, 1),
            period_end=date(2026, 3, 31),
            boundary="利用者",
            method="利用記録",
            baseline="なし",
            status=status,
            flags=[],
            submitted_by=lead.user.id,
            created_at=start + timedelta(minutes=i),
            updated_at=start + timedelta(minutes=i),
        )
        db.add(claim)
        claims.append(claim)
    await db.flush()
    db.add(
        ImpactClaimEvent(
            claim_id=claims[0].id,
            action="submit",
            from_status=None,
            to_status="submitted",
            actor_id=lead.user.id,
            reason="報告を提出 / submitted",
        )
    )
    db.add(
        EvidenceFile(
            claim_id=claims[0].id,
            filename="usage.csv",
            media_type="text/csv",
            size_bytes=10,
            sha256="0" * 64,
            storage_key="k",
            uploaded_by=lead.user.id,
        )
    )
    await db.commit()
    return {"admin": await make_actor(Role.admin), "lead": lead, "claims": [str(c.id) for c in claims]}


async def test_the_queue_holds_submitted_claims_oldest_first(client, queue):
    response = await client.get(f"{API}/claims", params={"status": "submitted"}, headers=queue["admin"].headers)
    assert response.status_code == 200, response.text
    page = response.json()
    claims = queue["claims"]
    assert [c["id"] for c in page["items"]] == [claims[0], claims[2], claims[4]]
    assert {c["status"] for c in page["items"]} == {ClaimStatus.submitted.value}
    assert (page["total"], page["limit"], page["next_cursor"]) == (3, 50, None)


async def test_queue_items_carry_the_evidence_and_history_of_their_detail(client, queue):
    admin = queue["admin"].headers
    first = (await client.get(f"{API}/claims", params={"status": "submitted"}, headers=admin)).json()["items"][0]
    detail = (await client.get(f"{API}/claims/{first['id']}", headers=admin)).json()
    assert first == detail
    assert len(first["evidence"]) == 1
    assert [e["action"] for e in first["events"]] == ["submit"]


async def test_several_statuses_or_none_and_pages_with_a_cursor(client, queue):
    admin = queue["admin"].headers
    claims = queue["claims"]
    both = await client.get(f"{API}/claims", params={"status": ["submitted", "under_review"]}, headers=admin)
    assert [c["id"] for c in both.json()["items"]] == [claims[0], claims[1], claims[2], claims[4]]
    first = (await client.get(f"{API}/claims", params={"limit": 2}, headers=admin)).json()
    assert ([c["id"] for c in first["items"]], first["total"]) == (claims[:2], 5)
    rest = (
        await client.get(f"{API}/claims", params={"limit": 2, "cursor": first["next_cursor"]}, headers=admin)
    ).json()
    assert [c["id"] for c in rest["items"]] == claims[2:4]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"status": "approved"}, "status"), ({"limit": 0}, "limit"), ({"cursor": "not-a-cursor"}, "cursor")],
)
async def test_bad_queue_parameters_are_a_problem_naming_the_parameter(client, queue, params, field):
    response = await client.get(f"{API}/claims", params=params, headers=queue["admin"].headers)
    assert response.status_code in (400, 422), response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in {e["field"] for e in response.json()["errors"]}


async def test_only_admins_see_the_queue(client, queue, make_actor):
    investor = await make_actor(Role.investor)
    for headers, status, code in [
        ({}, 401, "auth.unauthenticated"),
        (queue["lead"].headers, 403, "auth.role_required"),
        (investor.headers, 403, "auth.role_required"),
    ]:
        response = await client.get(f"{API}/claims", params={"status": "submitted"}, headers=headers)
        assert response.status_code == status, response.text
        assert response.json()["code"] == code
    english = await client.get(
        f"{API}/claims", headers={**investor.headers, "Accept-Language": "en"}, params={"status": "submitted"}
    )
    assert english.json()["detail"] == "This needs one of these roles: admin"
