"""The keyed chain detects rewritten rows, but not a removed tail: whoever can delete rows
(the owner role, a superuser, a restored backup) drops the newest entries and verify says ok."""

from __future__ import annotations

from sqlalchemy import text

from service.audit.service import append, verify_chain
from service.db import session_factory
from tests.service.test_db_roles import app_engine, owner_engine, scratch_url  # noqa: F401


async def test_deleting_the_newest_entries_is_not_detected(app_engine, owner_engine):  # noqa: F811
    maker = session_factory(app_engine)
    for i in range(5):
        async with maker() as s, s.begin():
            await append(s, actor_id=None, action="project.create", object_type="project", object_id=f"tail-{i}")
    async with maker() as s:
        before = await verify_chain(s)
    assert before.ok
    async with owner_engine.begin() as conn:
        await conn.execute(text("ALTER TABLE audit_entry DISABLE TRIGGER USER"))
        head = await conn.scalar(text("SELECT max(seq) FROM audit_entry"))
        await conn.execute(text("DELETE FROM audit_entry WHERE seq > :s"), {"s": head - 3})
        await conn.execute(text("ALTER TABLE audit_entry ENABLE TRIGGER USER"))
    async with maker() as s:
        after = await verify_chain(s)
    print(f"\nbefore: ok={before.ok} entries={before.entries}; after deleting 3: ok={after.ok} entries={after.entries}")
    assert not after.ok, "three newest audit entries removed, verify_chain still ok"
