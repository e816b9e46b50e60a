"""Migration 0010 removes the OIDC links the old email auto-link may have written to local
accounts, and keeps the rest: run on a scratch database migrated to just before it."""

from __future__ import annotations

import uuid

import asyncpg
from sqlalchemy.engine import make_url

from service.db import create_engine
from service.db.migrate import upgrade


async def test_migration_0010_drops_legacy_links_of_local_accounts_only(database_url):
    name = f"kyoso_scratch_0010_{uuid.uuid4().hex[:8]}"
    libpq = database_url.replace("postgresql+asyncpg://", "postgresql://")
    admin = await asyncpg.connect(libpq)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    scratch_url = make_url(database_url).set(database=name).render_as_string(hide_password=False)
    scratch = create_engine(scratch_url, pool_size=1)
    try:
        await upgrade(scratch, "0010-1")
        conn = await asyncpg.connect(scratch_url.replace("postgresql+asyncpg://", "postgresql://"))
        try:
            local, oidc_only = uuid.uuid4(), uuid.uuid4()
            await conn.execute(
                "INSERT INTO app_user (id, email, display_name, password_hash) VALUES ($1, 'l@example.jp', 'l', 'h')",
                local,
            )
            await conn.execute(
                "INSERT INTO app_user (id, email, display_name) VALUES ($1, 'x@oidc.invalid', 'o')", oidc_only
            )
            rows = [
                ("legacy-on-local", local, None),  # what the old auto-link wrote: removed
                ("confirmed-on-local", local, "l@idp.example"),  # a link confirmed since 0005: kept
                ("legacy-on-oidc-account", oidc_only, None),  # the account's only way in: kept
            ]
            for subject, user_id, email in rows:
                await conn.execute(
                    "INSERT INTO oidc_identity (id, user_id, issuer, subject, email)"
                    " VALUES ($1, $2, 'https://idp.example', $3, $4)",
                    uuid.uuid4(),
                    user_id,
                    subject,
                    email,
                )
            await upgrade(scratch, "0010")
            left = {r["subject"] for r in await conn.fetch("SELECT subject FROM oidc_identity")}
            users = await conn.fetchval("SELECT count(*) FROM app_user")
        finally:
            await conn.close()
    finally:
        await scratch.dispose()
        admin = await asyncpg.connect(libpq)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()
    assert left == {"confirmed-on-local", "legacy-on-oidc-account"}
    assert users == 2  # accounts are untouched, only the links go
