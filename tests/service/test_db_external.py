"""An external PostgreSQL server: the operator's one-time SQL (``operator_sql``, quoted in the
README) is enough for ``kyoso migrate upgrade`` to run as the owner and leave the app role with
only what it needs; without ``KYOSO_MIGRATION_DATABASE_URL`` a warning says the app has owner
rights. Also the settings that carry the URLs and the audit key."""

from __future__ import annotations

import asyncio
import logging
import stat
import tempfile
from collections.abc import Iterator

import asyncpg
import pytest
from click.testing import CliRunner
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from service.audit import keys
from service.audit.keys import AuditKeyring
from service.audit.service import append
from service.cli import main
from service.db import create_engine, session_factory
from service.db.roles import operator_sql
from service.runtime import OWNER_RIGHTS_WARNING, external_urls
from service.settings import Settings, SettingsError
from tests.conftest import TEST_AUDIT_KEY, TEST_SECRET

DATABASE, OWNER, APP = "kyoso_ext", "kyoso_ext_owner", "kyoso_ext_app"


def _libpq(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


async def _operator_setup(database_url: str) -> tuple[str, str]:
    """Run the documented SQL as the server's administrator; the app's and the owner's URLs."""
    admin = await asyncpg.connect(_libpq(database_url))
    try:
        if not await admin.fetchval("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"):
            pytest.skip("needs an administrator URL (the embedded test server has one)")
        await admin.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        for role in (OWNER, APP):
            await admin.execute(f"DROP ROLE IF EXISTS {role}")
        statements = operator_sql(DATABASE, owner=OWNER, app=APP)
        for statement in statements[:3]:
            await admin.execute(statement)
    finally:
        await admin.close()
    base = make_url(database_url).set(database=DATABASE)
    in_database = await asyncpg.connect(_libpq(base.render_as_string(hide_password=False)))
    try:
        for statement in statements[3:]:
            await in_database.execute(statement)
    finally:
        await in_database.close()
    return (
        base.set(username=APP).render_as_string(hide_password=False),
        base.set(username=OWNER).render_as_string(hide_password=False),
    )


async def _try(url: str, statement: str) -> str | None:
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.begin() as conn:
            await conn.execute(text(statement))
    except DBAPIError as exc:
        return str(exc.orig)
    finally:
        await engine.dispose()
    return None


@pytest.fixture(scope="module")
def external_env(database_url: str) -> Iterator[dict[str, str]]:
    """The roles and database made by the operator's SQL, migrated by ``kyoso migrate upgrade``."""
    app_url, owner_url = asyncio.run(_operator_setup(database_url))
    with tempfile.TemporaryDirectory(prefix="kyoso-external-") as data_dir:
        env = {
            "KYOSO_DATABASE_URL": app_url,
            "KYOSO_MIGRATION_DATABASE_URL": owner_url,
            "KYOSO_DATA_DIR": data_dir,
            "KYOSO_SECRET_KEY": TEST_SECRET,
            "KYOSO_AUDIT_KEY": TEST_AUDIT_KEY,
        }
        result = CliRunner().invoke(main, ["migrate", "upgrade"], env=env)
        assert result.exit_code == 0, result.output
        yield env


def test_the_operator_sql_is_all_an_external_server_needs(external_env):
    app_url = external_env["KYOSO_DATABASE_URL"]
    assert asyncio.run(_try(app_url, "SELECT count(*) FROM project")) is None
    assert "permission denied" in (asyncio.run(_try(app_url, "DELETE FROM audit_entry")) or "")
    assert "must be owner" in (
        asyncio.run(_try(app_url, "ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_no_update_delete")) or ""
    )
    verified = CliRunner().invoke(main, ["audit", "verify"], env=external_env)
    assert verified.exit_code == 0, verified.output
    assert "OK: 0 entries" in verified.output


async def _append_three(app_url: str, keyring: AuditKeyring) -> None:
    engine = create_engine(app_url, pool_size=1)
    try:
        async with session_factory(engine)() as session, session.begin():
            for n in range(3):
                await append(
                    session,
                    actor_id=None,
                    action="project.create",
                    object_type="project",
                    object_id=f"e{n}",
                    keyring=keyring,
                )
    finally:
        await engine.dispose()


def test_kyoso_audit_verify_and_rekey_across_a_key_rotation(external_env):
    asyncio.run(_append_three(external_env["KYOSO_DATABASE_URL"], AuditKeyring.from_secrets(TEST_AUDIT_KEY)))
    runner = CliRunner()
    try:
        assert runner.invoke(main, ["audit", "verify"], env=external_env).exit_code == 0

        new_key = {"KYOSO_AUDIT_KEY": "rotated-audit-key-" + "r" * 40}
        wrong = runner.invoke(main, ["audit", "verify"], env={**external_env, **new_key})
        assert wrong.exit_code == 1
        assert "BROKEN at seq 1" in wrong.stderr
        assert "wrong KYOSO_AUDIT_KEY" in wrong.stderr

        rotated = {**external_env, **new_key, "KYOSO_AUDIT_PREVIOUS_KEYS": TEST_AUDIT_KEY}
        assert runner.invoke(main, ["audit", "verify"], env=rotated).exit_code == 0
        resigned = runner.invoke(main, ["audit", "rekey"], env=rotated)
        assert resigned.exit_code == 0, resigned.output
        assert "re-signed 3 of 3 entries" in resigned.output
        after = runner.invoke(main, ["audit", "verify"], env={**external_env, **new_key})
        assert after.exit_code == 0, after.output
        assert AuditKeyring.from_secrets(new_key["KYOSO_AUDIT_KEY"]).current_id in after.output
    finally:
        keys.install(AuditKeyring.from_secrets(TEST_AUDIT_KEY))  # the CLI installed its own


def test_kyoso_audit_verify_anchors_the_head_it_verified(external_env, tmp_path):
    """The verified head is kept in the data dir (mode 600); deleting the newest entries is then
    reported as truncated, and --expect-head compares with a head published elsewhere. (Runs
    after the key rotation above: both keys verify, its own data dir holds no head yet.)"""
    runner = CliRunner()
    external_env = {
        **external_env,
        "KYOSO_DATA_DIR": str(tmp_path),
        "KYOSO_AUDIT_KEY": "rotated-audit-key-" + "r" * 40,
        "KYOSO_AUDIT_PREVIOUS_KEYS": TEST_AUDIT_KEY,
    }
    stored = tmp_path / "audit-head"
    asyncio.run(_append_three(external_env["KYOSO_DATABASE_URL"], AuditKeyring.from_secrets(TEST_AUDIT_KEY)))
    try:
        first = runner.invoke(main, ["audit", "verify"], env=external_env)
        assert first.exit_code == 0, first.output
        seq, digest = stored.read_text().strip().split(":")
        assert stat.S_IMODE(stored.stat().st_mode) == 0o600
        assert f"head seq {seq} hash {digest}" in first.output
        asyncio.run(_delete_newest(external_env["KYOSO_MIGRATION_DATABASE_URL"], int(seq)))
        truncated = runner.invoke(main, ["audit", "verify"], env=external_env)
        assert truncated.exit_code == 1
        assert f"BROKEN at seq {seq}" in truncated.stderr
        assert "newest entries are missing" in truncated.stderr
        assert stored.read_text().strip() == f"{seq}:{digest}"  # a failed run keeps the anchor
        # An operator's own published head: the current (shorter) chain's head verifies.
        stored.unlink()
        shorter = runner.invoke(main, ["audit", "verify"], env=external_env)
        assert shorter.exit_code == 0, shorter.output
        current = stored.read_text().strip()
        published = runner.invoke(main, ["audit", "verify", "--expect-head", f"{seq}:{digest}"], env=external_env)
        assert published.exit_code == 1
        assert runner.invoke(main, ["audit", "verify", "--expect-head", current], env=external_env).exit_code == 0
        assert runner.invoke(main, ["audit", "verify", "--expect-head", "x:y"], env=external_env).exit_code == 2
    finally:
        keys.install(AuditKeyring.from_secrets(TEST_AUDIT_KEY))
        stored.unlink(missing_ok=True)


async def _delete_newest(owner_url: str, seq: int) -> None:
    engine = create_engine(owner_url, pool_size=1)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("ALTER TABLE audit_entry DISABLE TRIGGER USER"))
            await conn.execute(text("DELETE FROM audit_entry WHERE seq = :s"), {"s": seq})
            await conn.execute(text("ALTER TABLE audit_entry ENABLE TRIGGER USER"))
    finally:
        await engine.dispose()


def test_without_a_migration_url_the_app_runs_with_owner_rights_and_is_told(tmp_path, caplog):
    url = "postgresql+asyncpg://someone@db.example/kyoso"
    with caplog.at_level(logging.WARNING, logger="kyoso"):
        urls = external_urls(Settings(data_dir=tmp_path, database_url=url))
    assert (urls.app, urls.owner, urls.app_role) == (url, url, None)
    assert OWNER_RIGHTS_WARNING in caplog.text

    caplog.clear()
    owner = "postgresql+asyncpg://kyoso_owner@db.example/kyoso"
    with caplog.at_level(logging.WARNING, logger="kyoso"):
        urls = external_urls(Settings(data_dir=tmp_path, database_url=url, migration_database_url=owner))
    assert (urls.owner, urls.app_role) == (owner, "someone")
    assert caplog.text == ""


def test_settings_read_the_migration_url_and_keep_a_generated_audit_key_private(tmp_path):
    env = {
        "KYOSO_DATA_DIR": str(tmp_path),
        "KYOSO_DATABASE_URL": "postgresql://app@h/kyoso",
        "KYOSO_MIGRATION_DATABASE_URL": "postgres://owner@h/kyoso",
    }
    first = Settings.from_env(env)
    assert first.migration_database_url == "postgresql+asyncpg://owner@h/kyoso"
    key_file = tmp_path / "audit_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first.audit_key == key_file.read_text()
    assert len(first.audit_key) >= 32
    assert first.audit_key != first.secret_key
    assert Settings.from_env(env).audit_key == first.audit_key  # kept, not regenerated

    given = Settings.from_env(
        {**env, "KYOSO_AUDIT_KEY": "k" * 40, "KYOSO_AUDIT_PREVIOUS_KEYS": "a" * 32 + ", " + "b" * 32}
    )
    assert (given.audit_key, given.audit_previous_keys) == ("k" * 40, ("a" * 32, "b" * 32))

    with pytest.raises(SettingsError, match="KYOSO_AUDIT_KEY"):
        Settings.from_env({**env, "KYOSO_AUDIT_KEY": "short"})
    with pytest.raises(SettingsError, match="KYOSO_MIGRATION_DATABASE_URL"):
        Settings.from_env({**env, "KYOSO_MIGRATION_DATABASE_URL": "mysql://x"})
