"""Probe the app role with statements the suite does not try (all must be refused)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.service.test_db_roles import app_engine, owner_engine, scratch_url  # noqa: F401

STATEMENTS = [
    "DROP TRIGGER audit_entry_no_update_delete ON audit_entry",
    "CREATE OR REPLACE FUNCTION audit_entry_immutable() RETURNS trigger LANGUAGE plpgsql"
    " AS $$ BEGIN RETURN NEW; END $$",
    "ALTER FUNCTION audit_entry_immutable() RENAME TO x",
    "ALTER TABLE audit_entry OWNER TO kyoso_app",
    "SELECT set_config('session_replication_role', 'replica', false)",
    "DELETE FROM alembic_version",
    "UPDATE alembic_version SET version_num = '0001'",
    "CREATE SCHEMA kyoso_app",
    "CREATE EXTENSION IF NOT EXISTS dblink",
    "COPY audit_entry TO PROGRAM 'id'",
    "SELECT pg_read_file('postgresql.conf')",
    "SET ROLE kyoso_owner",
    "SET ROLE postgres",
    "ALTER ROLE kyoso_app SUPERUSER",
    "CREATE ROLE x",
    "REINDEX TABLE audit_entry",
    "CLUSTER audit_entry",
    "VACUUM FULL audit_entry",
    "SECURITY LABEL ON TABLE audit_entry IS 'x'",
    "COMMENT ON TABLE audit_entry IS 'x'",
    "CREATE INDEX ON audit_entry (action)",
    "CREATE RULE r AS ON INSERT TO audit_entry DO INSTEAD NOTHING",
    "CREATE POLICY p ON audit_entry USING (false)",
    "ALTER TABLE audit_entry ENABLE ROW LEVEL SECURITY",
    "CREATE PUBLICATION p FOR TABLE audit_entry",
    "LOCK TABLE audit_entry IN ACCESS EXCLUSIVE MODE",
]


@pytest.mark.parametrize("statement", STATEMENTS)
async def test_app_role_refused(app_engine, statement):  # noqa: F811
    async with app_engine.connect() as conn:
        try:
            await conn.execute(text(statement))
            await conn.rollback()
        except Exception as exc:
            await conn.rollback()
            print(f"\nREFUSED {statement[:60]!r}: {str(getattr(exc, 'orig', exc)).splitlines()[0][:120]}")
            return
    pytest.fail(f"app role was allowed: {statement}")


async def test_app_role_privileges_overview(app_engine):  # noqa: F811
    async with app_engine.connect() as conn:
        rows = (
            await conn.execute(
                text(
                    "SELECT table_name, string_agg(privilege_type, ',' ORDER BY privilege_type) FROM"
                    " information_schema.role_table_grants WHERE grantee = 'kyoso_app' GROUP BY table_name ORDER BY 1"
                )
            )
        ).all()
        funcs = (
            await conn.execute(
                text(
                    "SELECT p.proname, p.prosecdef, pg_get_userbyid(p.proowner) FROM pg_proc p JOIN pg_namespace n"
                    " ON n.oid = p.pronamespace WHERE n.nspname = 'public' AND p.prosecdef"
                )
            )
        ).all()
        hba = None
    for r in rows:
        print(r)
    print("security definer functions:", funcs, hba)


async def test_grant_by_app_role_is_a_no_op(app_engine):  # noqa: F811
    async with app_engine.connect() as conn:
        await conn.execute(text("GRANT UPDATE ON audit_entry TO kyoso_app"))
        has = await conn.scalar(text("SELECT has_table_privilege('kyoso_app', 'audit_entry', 'UPDATE')"))
        await conn.rollback()
    assert has is False
