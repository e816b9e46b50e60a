"""Impact claims through the API: who may submit and decide, the review states, the contest by a
different admin, flagging against the project's own inputs, evidence limits and integrity, and
only verified claims in public figures."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from service.claims.evidence import MAX_EVIDENCE_BYTES
from service.models import EvidenceFile
from service.models.enums import Role
from tests.service.helpers import project_payload, vetting_payload

API = "/api/v1"
LM3_ROUNDS = {"lm3_r1_yen": 10_000, "lm3_r2_yen": 8_000, "lm3_r3_yen": 6_400}  # LM3 = 2.44
CSV = b"month,kwh\n2025-04,120000\n2025-05,118000\n"


def claim_payload(**overrides):
    body = {
        "metric_id": "KY-LM3",
        "value": 2.5,
        "period_start": "2025-04-01",
        "period_end": "2026-03-31",
        "boundary": "米子市・境港市の需要家への小売電気事業",
        "method": "会計帳簿から域内支出を集計（LM3）",
        "baseline": "域外電力会社の場合（LM3 1.05）",
    }
    return {**body, **overrides}


@pytest.fixture
async def cast(client, make_actor):
    """A public project of ``lead``'s organisation, with LM3 inputs; two admins; outsiders."""
    lead = await make_actor(Role.project_lead)
    actors = {
        "lead": lead,
        "other_lead": await make_actor(Role.project_lead),
        "investor": await make_actor(Role.investor),
        "admin": await make_actor(Role.admin),
        "admin2": await make_actor(Role.admin),
    }
    created = await client.post(f"{API}/projects", json=project_payload(impact_inputs=LM3_ROUNDS), headers=lead.headers)
    pid = created.json()["id"]
    move = {"to_status": "submitted", "reason": "審査をお願いします"}
    await client.post(f"{API}/projects/{pid}/transitions", json=move, headers=lead.headers)
    decided = await client.post(
        f"{API}/vetting/{pid}/decision", json=vetting_payload(), headers=actors["admin"].headers
    )
    assert decided.status_code == 201, decided.text
    actors["project_id"] = pid
    return actors


async def _submit(client, cast, **overrides):
    response = await client.post(
        f"{API}/projects/{cast['project_id']}/claims", json=claim_payload(**overrides), headers=cast["lead"].headers
    )
    assert response.status_code == 201, response.text
    return response.json()


async def _decide(client, claim_id, actor, decision, reason="確認しました / checked"):
    return await client.post(
        f"{API}/claims/{claim_id}/decisions", json={"decision": decision, "reason": reason}, headers=actor.headers
    )


async def _upload(client, claim_id, actor, content=CSV, name="meter.csv", media_type="text/csv"):
    return await client.post(
        f"{API}/claims/{claim_id}/evidence", files={"file": (name, content, media_type)}, headers=actor.headers
    )


async def test_only_the_projects_own_lead_submits(client, cast):
    url = f"{API}/projects/{cast['project_id']}/claims"
    for who, status in (("other_lead", 403), ("investor", 403), ("admin", 403)):
        response = await client.post(url, json=claim_payload(), headers=cast[who].headers)
        assert response.status_code == status, (who, response.text)
    assert (await client.post(url, json=claim_payload())).status_code == 401
    claim = await _submit(client, cast)
    assert claim["status"] == "submitted"
    assert claim["unit"] == "ratio"
    assert claim["events"][0]["action"] == "submit"


async def test_full_cycle_review_verify_and_only_verified_claims_are_public(client, cast):
    claim = await _submit(client, cast, value=2.44)
    cid, pid = claim["id"], cast["project_id"]
    # Before verification only the project's organisation and admins see the claim.
    assert (await client.get(f"{API}/claims/{cid}")).status_code == 404
    assert (await client.get(f"{API}/claims/{cid}", headers=cast["other_lead"].headers)).status_code == 404
    assert (await client.get(f"{API}/projects/{pid}/claims")).json() == {
        "items": [],
        "total": 0,
        "limit": 50,
        "next_cursor": None,
    }
    assert (await client.get(f"{API}/projects/{pid}")).json()["verified_metrics"] == []

    assert (await _decide(client, cid, cast["lead"], "review")).status_code == 403
    assert (await _decide(client, cid, cast["investor"], "review")).status_code == 403
    assert (await _decide(client, cid, cast["admin"], "verify")).status_code == 409  # review first
    assert (await _decide(client, cid, cast["admin"], "review")).status_code == 200
    verified = await _decide(client, cid, cast["admin"], "verify", "帳簿と一致 / matches the ledger")
    assert verified.status_code == 200, verified.text
    body = verified.json()
    assert body["status"] == "verified"
    assert [e["action"] for e in body["events"]] == ["submit", "review", "verify"]
    assert body["events"][-1]["reason"] == "帳簿と一致 / matches the ledger"

    public = (await client.get(f"{API}/projects/{pid}")).json()
    assert public["verified_metrics"][0]["metric_id"] == "KY-LM3"
    assert public["verified_metrics"][0]["value"] == pytest.approx(2.44)
    assert [c["id"] for c in (await client.get(f"{API}/projects/{pid}/claims")).json()["items"]] == [cid]
    score = (await client.get(f"{API}/projects/{pid}/public-contribution")).json()
    circulation = next(c for c in score["components"] if c["id"] == "circulation")
    assert circulation["raw"] == pytest.approx(2.44)
    assert circulation["points"] == 15


async def test_a_submitted_claim_does_not_count_in_public_figures(client, cast):
    await _submit(client, cast, value=2.44)
    score = (await client.get(f"{API}/projects/{cast['project_id']}/public-contribution")).json()
    assert next(c for c in score["components"] if c["id"] == "circulation")["raw"] is None


async def test_needs_evidence_then_the_lead_adds_a_file_and_resubmits(client, cast):
    cid = (await _submit(client, cast))["id"]
    await _decide(client, cid, cast["admin"], "review")
    asked = await _decide(client, cid, cast["admin"], "request_evidence", "メーターの記録を添付してください")
    assert asked.json()["status"] == "needs_evidence"
    assert (await _upload(client, cid, cast["lead"])).status_code == 201
    url = f"{API}/claims/{cid}/resubmit"
    assert (await client.post(url, json={"reason": "x"}, headers=cast["other_lead"].headers)).status_code == 404
    again = await client.post(url, json={"reason": "記録を添付しました"}, headers=cast["lead"].headers)
    assert again.status_code == 200, again.text
    assert again.json()["status"] == "submitted"
    assert len(again.json()["evidence"]) == 1
    assert (await client.post(url, json={"reason": "twice"}, headers=cast["lead"].headers)).status_code == 409


async def test_a_rejection_is_contested_once_and_a_different_admin_decides(client, cast):
    cid = (await _submit(client, cast))["id"]
    await _decide(client, cid, cast["admin"], "review")
    rejected = await _decide(client, cid, cast["admin"], "reject", "根拠が不十分 / not enough support")
    assert rejected.json()["status"] == "rejected"
    url = f"{API}/claims/{cid}/contest"
    contested = await client.post(url, json={"reason": "監査済みの決算書があります"}, headers=cast["lead"].headers)
    assert contested.status_code == 200, contested.text
    assert contested.json()["contest_reason"] == "監査済みの決算書があります"

    same = await _decide(client, cid, cast["admin"], "verify")
    assert same.status_code == 403
    assert same.json()["code"] == "impact_claim.same_reviewer"
    final = await _decide(client, cid, cast["admin2"], "reject", "再確認しても不十分 / still insufficient")
    assert final.status_code == 200
    assert final.json()["status"] == "rejected"
    twice = await client.post(url, json={"reason": "もう一度"}, headers=cast["lead"].headers)
    assert twice.status_code == 409
    assert twice.json()["code"] == "impact_claim.already_contested"


async def test_a_contest_can_end_verified_by_another_admin(client, cast):
    cid = (await _submit(client, cast))["id"]
    await _decide(client, cid, cast["admin"], "review")
    await _decide(client, cid, cast["admin"], "reject")
    await client.post(f"{API}/claims/{cid}/contest", json={"reason": "根拠あり"}, headers=cast["lead"].headers)
    verified = await _decide(client, cid, cast["admin2"], "verify", "異議を認める / contest upheld")
    assert verified.json()["status"] == "verified"


@pytest.mark.parametrize(
    ("value", "flags"), [(2.44, []), (2.6, []), (2.7, ["differs_from_computed"]), (1.0, ["differs_from_computed"])]
)
async def test_a_claim_far_from_the_value_computed_from_the_projects_inputs_is_flagged(client, cast, value, flags):
    claim = await _submit(client, cast, value=value)
    assert claim["computed_value"] == pytest.approx(2.44)
    assert claim["tolerance"] == 0.10
    assert claim["flags"] == flags


async def test_a_claim_the_inputs_cannot_compute_says_so(client, cast):
    claim = await _submit(client, cast, metric_id="PI4060", value=1200)
    assert claim["computed_value"] is None
    assert claim["flags"] == ["no_computed_value"]


async def test_evidence_is_stored_with_its_sha256_and_served_only_to_the_org_and_admins(client, cast, settings):
    cid = (await _submit(client, cast))["id"]
    uploaded = await _upload(client, cid, cast["lead"], media_type="application/octet-stream")
    assert uploaded.status_code == 201, uploaded.text
    evidence = uploaded.json()
    assert evidence["sha256"] == hashlib.sha256(CSV).hexdigest()
    assert evidence["media_type"] == "text/csv"  # sniffed from the bytes
    assert evidence["size_bytes"] == len(CSV)
    url = f"{API}/claims/{cid}/evidence/{evidence['id']}"
    for who in ("lead", "admin"):
        response = await client.get(url, headers=cast[who].headers)
        assert response.status_code == 200, response.text
        assert response.content == CSV
        assert response.headers["x-evidence-sha256"] == evidence["sha256"]
    for who in ("other_lead", "investor"):
        assert (await client.get(url, headers=cast[who].headers)).status_code == 404
    assert (await client.get(url)).status_code == 401
    # Even once verified (the claim is public), the evidence stays with the org and admins.
    await _decide(client, cid, cast["admin"], "review")
    await _decide(client, cid, cast["admin"], "verify")
    assert (await client.get(url, headers=cast["investor"].headers)).status_code == 404

    # A file changed on disk is refused, not served.
    stored = Path(settings.data_dir) / "evidence" / evidence["sha256"][:2] / evidence["sha256"]
    stored.write_bytes(CSV + b"2025-06,1\n")
    tampered = await client.get(url, headers=cast["admin"].headers)
    assert tampered.status_code == 500
    assert tampered.json()["code"] == "evidence.integrity_failed"


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "media_type", "sniffed"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "report.pdf", "application/pdf", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 16, "meter.png", "image/png", "image/png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 16, "site.jpg", "image/jpeg", "image/jpeg"),
        (
            _xlsx(),
            "ledger.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
    ids=["pdf", "png", "jpeg", "xlsx"],
)
async def test_allowed_evidence_types_are_recognised_by_their_bytes(client, cast, content, name, media_type, sniffed):
    cid = (await _submit(client, cast))["id"]
    response = await _upload(client, cid, cast["lead"], content, name, media_type)
    assert response.status_code == 201, response.text
    assert response.json()["media_type"] == sniffed


@pytest.mark.parametrize(
    ("content", "name", "media_type", "status"),
    [
        (b"MZ\x90\x00" + b"\x00" * 64, "tool.exe", "application/octet-stream", 415),
        (b"MZ\x90\x00" + b"\x00" * 64, "fake.pdf", "application/pdf", 415),  # the header lies
        (b"%PDF-1.7\n", "report.png", "image/png", 415),  # content and declared type disagree
        (b"PK\x03\x04not-a-zip", "book.xlsx", "application/octet-stream", 415),
        (b"", "empty.csv", "text/csv", 422),
        (b"a" * (MAX_EVIDENCE_BYTES + 1), "big.csv", "text/csv", 413),
    ],
    ids=["executable", "lying_header", "type_mismatch", "broken_zip", "empty", "oversize"],
)
async def test_evidence_size_and_type_limits(client, db, cast, content, name, media_type, status):
    cid = (await _submit(client, cast))["id"]
    before = await db.scalar(select(func.count()).select_from(EvidenceFile))
    response = await _upload(client, cid, cast["lead"], content, name, media_type)
    assert response.status_code == status, response.text
    problem = response.json()
    assert problem["errors"][0]["field"] == "file"
    assert problem["errors"][0]["message"]["ja"]
    assert await db.scalar(select(func.count()).select_from(EvidenceFile)) == before


async def test_only_the_lead_uploads_evidence(client, cast):
    cid = (await _submit(client, cast))["id"]
    assert (await _upload(client, cid, cast["admin"])).status_code == 403
    assert (await _upload(client, cid, cast["other_lead"])).status_code == 404
