"""The hash-chained audit log: appended for every project, vetting and claim action; the chain
verifies; a tampered row is found by the API and by `kyoso audit verify`; PostgreSQL itself
refuses UPDATE and DELETE on the log."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from service.audit.keys import key_id_of
from service.audit.service import GENESIS_HASH
from service.cli import audit_report, print_audit_report
from service.models.enums import Role
from tests.conftest import TEST_AUDIT_KEY
from tests.service.helpers import project_payload, vetting_payload

API = "/api/v1"


async def _project_history(client, lead, admin):
    """Create, edit, submit and vet a project, then submit and verify a claim on it."""
    pid = (await client.post(f"{API}/projects", json=project_payload(), headers=lead.headers)).json()["id"]
    await client.patch(f"{API}/projects/{pid}", json={"title_en": "Edited"}, headers=lead.headers)
    move = {"to_status": "submitted", "reason": "審査をお願いします"}
    await client.post(f"{API}/projects/{pid}/transitions", json=move, headers=lead.headers)
    await client.post(f"{API}/vetting/{pid}/decision", json=vetting_payload(), headers=admin.headers)
    claim = {
        "metric_id": "PI4060",
        "value": 1200,
        "period_start": "2025-04-01",
        "period_end": "2026-03-31",
        "boundary": "利用者",
        "method": "利用記録",
        "baseline": "なし",
    }
    cid = (await client.post(f"{API}/projects/{pid}/claims", json=claim, headers=lead.headers)).json()["id"]
    for decision in ("review", "verify"):
        body = {"decision": decision, "reason": "確認 / checked"}
        response = await client.post(f"{API}/claims/{cid}/decisions", json=body, headers=admin.headers)
        assert response.status_code == 200, response.text
    return pid, cid


async def _entries(client, admin, **params):
    response = await client.get(f"{API}/admin/audit", params={"limit": 200, **params}, headers=admin.headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def test_project_vetting_and_claim_actions_are_appended_to_one_chain(client, make_actor):
    lead, admin = await make_actor(Role.project_lead), await make_actor(Role.admin)
    pid, cid = await _project_history(client, lead, admin)

    project_actions = [e["action"] for e in reversed(await _entries(client, admin, object_id=pid))]
    assert project_actions == ["project.create", "project.update", "project.transition", "vetting.approve"]
    claim_actions = [e["action"] for e in reversed(await _entries(client, admin, object_type="claim", object_id=cid))]
    assert claim_actions == ["claim.submit", "claim.review", "claim.verify"]

    entries = list(reversed(await _entries(client, admin)))
    assert [e["seq"] for e in entries] == list(range(1, len(entries) + 1))
    assert entries[0]["prev_hash"] == GENESIS_HASH
    for before, after in itertools.pairwise(entries):
        assert after["prev_hash"] == before["hash"]
    vetting = next(e for e in entries if e["action"] == "vetting.approve")
    assert vetting["actor_id"] == str(admin.user.id)
    assert vetting["payload"]["checklist"]["financials_reviewed"] is True

    report = (await client.get(f"{API}/admin/audit/verify", headers=admin.headers)).json()
    assert report["ok"] is True
    assert report["entries"] == len(entries)
    assert report["head_hash"] == entries[-1]["hash"]


def _canonical(entry, *, key_id=None) -> bytes:
    body = {
        "seq": entry["seq"],
        "at": entry["at"].replace("Z", "+00:00"),
        "actor": entry["actor_id"],
        "action": entry["action"],
        "object_type": entry["object_type"],
        "object_id": entry["object_id"],
        "payload": entry["payload"],
        "prev_hash": entry["prev_hash"],
    }
    if key_id is not None:
        body["key_id"] = key_id
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


async def test_the_hash_is_an_hmac_of_the_canonical_entry_under_the_audit_key(client, make_actor, audit_keyring):
    lead, admin = await make_actor(Role.project_lead), await make_actor(Role.admin)
    await client.post(f"{API}/projects", json=project_payload(), headers=lead.headers)
    entry = (await _entries(client, admin))[0]
    assert entry["key_id"] == audit_keyring.current_id == key_id_of(TEST_AUDIT_KEY.encode())
    key = TEST_AUDIT_KEY.encode()
    assert hmac.new(key, _canonical(entry, key_id=entry["key_id"]), hashlib.sha256).hexdigest() == entry["hash"]
    # Not the unkeyed sha256 anyone with write access could recompute.
    assert hashlib.sha256(_canonical(entry)).hexdigest() != entry["hash"]


@pytest.mark.parametrize("role", [None, Role.investor, Role.project_lead, Role.bank])
async def test_only_admins_read_and_verify_the_log(client, make_actor, role):
    actor = await make_actor(role)
    for path in ("/admin/audit", "/admin/audit/verify"):
        assert (await client.get(API + path, headers=actor.headers)).status_code == 403
        assert (await client.get(API + path)).status_code == 401


async def _tamper(db, seq: int) -> None:
    # Only inside this test's transaction (rolled back afterwards).
    await db.execute(text("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_no_update_delete"))
    await db.execute(
        text("""UPDATE audit_entry SET payload = '{"title_ja":"書き換え"}' WHERE seq = :seq"""), {"seq": seq}
    )
    await db.execute(text("ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_no_update_delete"))
    await db.commit()


async def test_a_tampered_row_is_reported_by_the_api_and_the_cli(client, db, connection, make_actor, capsys):
    lead, admin = await make_actor(Role.project_lead), await make_actor(Role.admin)
    for _ in range(3):
        await client.post(f"{API}/projects", json=project_payload(), headers=lead.headers)
    assert print_audit_report(await audit_report(connection)) == 0
    assert "OK: 3 entries" in capsys.readouterr().out

    await _tamper(db, 2)
    report = (await client.get(f"{API}/admin/audit/verify", headers=admin.headers)).json()
    assert report["ok"] is False
    assert report["broken_seq"] == 2
    assert "tampered" in report["problem_en"]

    assert print_audit_report(await audit_report(connection)) == 1
    assert "BROKEN at seq 2" in capsys.readouterr().err


async def test_a_deleted_row_breaks_the_chain_at_the_gap(client, db, connection, make_actor):
    lead = await make_actor(Role.project_lead)
    for _ in range(3):
        await client.post(f"{API}/projects", json=project_payload(), headers=lead.headers)
    await db.execute(text("SET LOCAL session_replication_role = replica"))  # triggers off, this transaction only
    await db.execute(text("DELETE FROM audit_entry WHERE seq = 2"))
    await db.execute(text("SET LOCAL session_replication_role = origin"))
    report = await audit_report(connection)
    assert (report.ok, report.broken_seq) == (False, 3)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_entry SET action = 'project.nothing' WHERE seq = 1",
        "DELETE FROM audit_entry WHERE seq = 1",
        "TRUNCATE audit_entry",
    ],
    ids=["update", "delete", "truncate"],
)
async def test_postgresql_refuses_to_change_or_remove_log_rows(client, db, make_actor, statement):
    lead = await make_actor(Role.project_lead)
    await client.post(f"{API}/projects", json=project_payload(), headers=lead.headers)
    with pytest.raises(DBAPIError, match="append-only"):
        async with db.begin_nested():
            await db.execute(text(statement))
