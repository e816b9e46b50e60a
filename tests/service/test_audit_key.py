"""The audit chain is keyed: someone who can write the table (here a superuser who disables the
append-only trigger) and recomputes every later hash is still found, by ``verify_chain``, the API
and the CLI; so is verification with the wrong key. Legacy (unkeyed) rows are reported until
re-signed, re-signing refuses a broken chain, and a rotated key keeps old rows verifiable."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import async_sessionmaker

from service.app import create_app
from service.audit import keys
from service.audit.keys import AuditKeyring
from service.audit.rekey import rekey
from service.audit.service import GENESIS_HASH, verify_chain
from service.cli import audit_report, print_audit_report
from service.models.enums import Role
from service.settings import Settings
from tests.conftest import TEST_AUDIT_KEY, TEST_SECRET
from tests.service.helpers import project_payload

API = "/api/v1"
WRONG_KEY = "another-audit-key-" + "z" * 40
TRIGGER = "audit_entry_no_update_delete"


def _plain_sha256(row: Any, *, payload: str, prev_hash: str) -> str:
    """The unkeyed hash as the old chain computed it, written out independently of the service."""
    body = {
        "seq": row.seq,
        "at": row.at.isoformat(),
        "actor": str(row.actor_id) if row.actor_id else None,
        "action": row.action,
        "object_type": row.object_type,
        "object_id": row.object_id,
        "payload": json.loads(payload),
        "prev_hash": prev_hash,
    }
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


async def _rows(db) -> list[Any]:
    return list((await db.execute(text("SELECT * FROM audit_entry ORDER BY seq"))).all())


async def _rewrite_with_plain_hashes(db, *, from_seq: int, drop_key_id: bool, payload: str | None = None) -> None:
    """As a superuser: switch the trigger off, change row ``from_seq`` and recompute sha256 for it
    and every later row, so each ``prev_hash`` link holds again; switch the trigger back on."""
    await db.execute(text(f"ALTER TABLE audit_entry DISABLE TRIGGER {TRIGGER}"))
    rows = await _rows(db)
    prev = rows[from_seq - 2].hash if from_seq > 1 else GENESIS_HASH
    for row in rows[from_seq - 1 :]:
        body = payload if (payload is not None and row.seq == from_seq) else row.payload
        new_hash = _plain_sha256(row, payload=body, prev_hash=prev)
        await db.execute(
            text(
                "UPDATE audit_entry SET payload = :payload, prev_hash = :prev, hash = :hash,"
                " key_id = CASE WHEN :drop THEN NULL ELSE key_id END WHERE seq = :seq"
            ),
            {"payload": body, "prev": prev, "hash": new_hash, "drop": drop_key_id, "seq": row.seq},
        )
        prev = new_hash
    await db.execute(text(f"ALTER TABLE audit_entry ENABLE TRIGGER {TRIGGER}"))
    await db.commit()


async def _three_projects(client, make_actor):
    lead, admin = await make_actor(Role.project_lead), await make_actor(Role.admin)
    for _ in range(3):
        response = await client.post(f"{API}/projects", json=project_payload(), headers=lead.headers)
        assert response.status_code == 201, response.text
    return admin


@pytest.mark.parametrize("drop_key_id", [False, True], ids=["key-id-kept", "made-to-look-legacy"])
async def test_a_rewrite_with_recomputed_unkeyed_hashes_is_found(
    client, db, connection, make_actor, capsys, drop_key_id
):
    admin = await _three_projects(client, make_actor)
    assert (await verify_chain(db)).ok

    await _rewrite_with_plain_hashes(db, from_seq=2, drop_key_id=drop_key_id, payload='{"title_ja":"書き換え"}')
    rows = await _rows(db)
    assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]  # every plain link holds

    report = (await client.get(f"{API}/admin/audit/verify", headers=admin.headers)).json()
    assert (report["ok"], report["broken_seq"]) == (False, 2)
    assert report["problem_code"] == ("unsigned" if drop_key_id else "tampered")
    assert report["problem_ja"]
    assert report["problem_en"].startswith("seq 2:")

    assert print_audit_report(await audit_report(connection)) == 1
    assert "BROKEN at seq 2" in capsys.readouterr().err


async def test_verifying_with_the_wrong_key_is_reported(
    client, db, connection, session_maker, make_actor, capsys, tmp_path
):
    await _three_projects(client, make_actor)
    wrong = AuditKeyring.from_secrets(WRONG_KEY)

    report = await verify_chain(db, keyring=wrong)
    assert (report.ok, report.broken_seq, report.problem_code) == (False, 1, "unknown_key")
    assert "wrong KYOSO_AUDIT_KEY" in (report.problem_en or "")

    # An app configured with another key says so over HTTP.
    settings = Settings(data_dir=tmp_path, secret_key=TEST_SECRET, audit_key=WRONG_KEY)
    read_maker = async_sessionmaker(bind=connection, expire_on_commit=False, join_transaction_mode="rollback_only")
    other_app = create_app(settings, session_maker=session_maker, read_session_maker=read_maker)
    admin = await make_actor(Role.admin)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=other_app), base_url="https://testserver") as c:
        body = (await c.get(f"{API}/admin/audit/verify", headers=admin.headers)).json()
    assert (body["ok"], body["broken_seq"], body["problem_code"]) == (False, 1, "unknown_key")

    # And so does the CLI's report, run with that key installed.
    keys.install(wrong)
    try:
        assert print_audit_report(await audit_report(connection)) == 1
    finally:
        keys.install(AuditKeyring.from_secrets(TEST_AUDIT_KEY))
    assert "BROKEN at seq 1" in capsys.readouterr().err


async def test_a_rotated_key_keeps_old_rows_verifiable_until_they_are_resigned(client, db, make_actor):
    await _three_projects(client, make_actor)
    old_id = keys.key_id_of(TEST_AUDIT_KEY.encode())
    rotated = AuditKeyring.from_secrets(WRONG_KEY, previous=[TEST_AUDIT_KEY])
    report = await verify_chain(db, keyring=rotated)
    assert report.ok
    assert report.key_ids == [old_id]

    result = await rekey(db, keyring=rotated)
    assert (result.resigned, result.entries, result.refused) == (3, 3, None)
    only_new = AuditKeyring.from_secrets(WRONG_KEY)
    report = await verify_chain(db, keyring=only_new)
    assert report.ok
    assert report.key_ids == [only_new.current_id]
    assert not (await verify_chain(db, keyring=AuditKeyring.from_secrets(TEST_AUDIT_KEY))).ok


async def _legacy_chain(db, n: int) -> None:
    """Rows as the code before the key wrote them: plain sha256, no key id."""
    prev = GENESIS_HASH
    for seq in range(1, n + 1):
        payload = json.dumps({"n": seq})
        row = (
            await db.execute(
                text(
                    "INSERT INTO audit_entry (seq, at, actor_id, action, object_type, object_id, payload,"
                    " prev_hash, hash) VALUES (:seq, now(), NULL, 'project.create', 'project', :oid, :payload,"
                    " :prev, '') RETURNING *"
                ),
                {"seq": seq, "oid": f"legacy-{seq}", "payload": payload, "prev": prev},
            )
        ).one()
        digest = _plain_sha256(row, payload=payload, prev_hash=prev)
        await db.execute(text(f"ALTER TABLE audit_entry DISABLE TRIGGER {TRIGGER}"))
        await db.execute(text("UPDATE audit_entry SET hash = :h WHERE seq = :s"), {"h": digest, "s": seq})
        await db.execute(text(f"ALTER TABLE audit_entry ENABLE TRIGGER {TRIGGER}"))
        prev = digest


async def test_legacy_rows_are_reported_until_resigned_and_then_the_chain_continues(db, audit_keyring):
    await _legacy_chain(db, 3)
    report = await verify_chain(db)
    assert (report.ok, report.broken_seq, report.problem_code) == (False, 1, "unsigned")
    assert "kyoso audit rekey" in (report.problem_en or "")

    result = await rekey(db)
    assert (result.resigned, result.refused) == (3, None)
    rows = await _rows(db)
    assert {r.key_id for r in rows} == {audit_keyring.current_id}
    assert [r.payload for r in rows] == [json.dumps({"n": n}) for n in (1, 2, 3)]  # content untouched
    from service.audit.service import append

    await append(db, actor_id=None, action="project.create", object_type="project", object_id="after")
    report = await verify_chain(db)
    assert (report.ok, report.entries) == (True, 4)
    assert (await rekey(db)).resigned == 0  # nothing left to sign


async def test_resigning_refuses_a_tampered_legacy_row(db):
    await _legacy_chain(db, 3)
    await db.execute(text(f"ALTER TABLE audit_entry DISABLE TRIGGER {TRIGGER}"))
    await db.execute(text("UPDATE audit_entry SET payload = :p WHERE seq = 2"), {"p": json.dumps({"n": 99})})
    await db.execute(text(f"ALTER TABLE audit_entry ENABLE TRIGGER {TRIGGER}"))

    result = await rekey(db)
    assert result.resigned == 0
    assert result.refused is not None
    assert (result.refused.broken_seq, result.refused.problem_code) == (2, "tampered")
    assert all(r.key_id is None for r in await _rows(db))


async def test_resigning_refuses_unsigned_rows_after_signed_ones(client, db, make_actor):
    """Keyed rows rewritten as "legacy" ones are not laundered into a valid chain."""
    await _three_projects(client, make_actor)
    await _rewrite_with_plain_hashes(db, from_seq=2, drop_key_id=True)
    result = await rekey(db)
    assert result.refused is not None
    assert (result.resigned, result.refused.broken_seq) == (0, 2)
