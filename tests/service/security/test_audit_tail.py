"""The keyed chain detects rewritten rows, but on its own not a removed tail: whoever can delete
rows (the owner role, a superuser, a restored backup) drops the newest entries and what is left
still links up. Fixed by anchoring the head: ``verify_chain(..., expected_head=(seq, hash))``,
``GET /admin/audit/verify?expect_head=SEQ:HASH`` and ``kyoso audit verify`` (which stores the
head it verified in ``$KYOSO_DATA_DIR/audit-head``) report ``truncated``. (The review's test
called ``verify_chain(s)`` without an anchor; detecting a removed tail needs one, so it now
passes the head of the earlier report, as an operator who published it would.)"""

from __future__ import annotations

import stat

from sqlalchemy import text

from service.audit.head import read_head, write_head
from service.audit.service import append, verify_chain
from service.db import session_factory
from service.models.enums import Role
from tests.service.helpers import project_payload
from tests.service.test_db_roles import app_engine, owner_engine, scratch_url  # noqa: F401

API = "/api/v1"


async def test_deleting_the_newest_entries_is_detected_against_the_anchored_head(app_engine, owner_engine):  # noqa: F811
    maker = session_factory(app_engine)
    for i in range(5):
        async with maker() as s, s.begin():
            await append(s, actor_id=None, action="project.create", object_type="project", object_id=f"tail-{i}")
    async with maker() as s:
        before = await verify_chain(s)
    assert before.ok
    anchor = (before.head_seq, before.head_hash)
    async with maker() as s:
        assert (await verify_chain(s, expected_head=anchor)).ok  # the intact chain reaches its anchor
    async with owner_engine.begin() as conn:
        await conn.execute(text("ALTER TABLE audit_entry DISABLE TRIGGER USER"))
        head = await conn.scalar(text("SELECT max(seq) FROM audit_entry"))
        await conn.execute(text("DELETE FROM audit_entry WHERE seq > :s"), {"s": head - 3})
        await conn.execute(text("ALTER TABLE audit_entry ENABLE TRIGGER USER"))
    async with maker() as s:
        unanchored = await verify_chain(s)
        after = await verify_chain(s, expected_head=anchor)
    print(f"\nbefore: ok={before.ok} entries={before.entries}; after deleting 3: {after.problem_en}")
    assert unanchored.ok  # what the chain alone can tell: why the anchor is needed
    assert not after.ok, "three newest audit entries removed, verify_chain still ok"
    assert after.problem_code == "truncated"
    assert after.broken_seq == before.head_seq - 2
    assert after.entries == before.entries - 3
    assert after.problem_ja.startswith(f"seq {after.broken_seq}: ")
    assert "削除" in after.problem_ja

    # Appending anew up to the old length does not hide it: the entry at the anchor differs.
    for i in range(3):
        async with maker() as s, s.begin():
            await append(s, actor_id=None, action="project.create", object_type="project", object_id=f"new-{i}")
    async with maker() as s:
        rewritten = await verify_chain(s, expected_head=anchor)
    assert (rewritten.ok, rewritten.problem_code, rewritten.broken_seq) == (False, "truncated", anchor[0])


async def test_the_api_compares_with_the_expected_head(client, db, make_actor):
    lead, admin = await make_actor(Role.project_lead), await make_actor(Role.admin)
    for _ in range(3):
        await client.post(f"{API}/projects", json=project_payload(), headers=lead.headers)
    url = f"{API}/admin/audit/verify"
    report = (await client.get(url, headers=admin.headers)).json()
    anchor = f"{report['head_seq']}:{report['head_hash']}"
    assert (await client.get(url, params={"expect_head": anchor}, headers=admin.headers)).json()["ok"] is True
    await db.execute(text("SET LOCAL session_replication_role = replica"))  # triggers off, this transaction only
    await db.execute(text("DELETE FROM audit_entry WHERE seq = :s"), {"s": report["head_seq"]})
    await db.execute(text("SET LOCAL session_replication_role = origin"))
    truncated = (await client.get(url, params={"expect_head": anchor}, headers=admin.headers)).json()
    assert (truncated["ok"], truncated["problem_code"]) == (False, "truncated")
    assert (await client.get(url, headers=admin.headers)).json()["ok"] is True
    bad = await client.get(url, params={"expect_head": "3:nothex"}, headers=admin.headers)
    assert bad.status_code == 400
    assert "expect_head" in bad.text


def test_the_stored_head_is_private_and_round_trips(tmp_path):
    path = tmp_path / "audit-head"
    assert read_head(path) is None
    write_head(path, 7, "a" * 64)
    assert read_head(path) == (7, "a" * 64)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.write_text("garbage\n")
    assert read_head(path) is None
