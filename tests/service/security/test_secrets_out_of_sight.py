"""Secrets stay out of what ends up in logs and tracebacks: the settings' repr and the text of a
failed database statement."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from service.db import create_engine
from service.settings import OIDCSettings, Settings

SECRETS = {
    "secret_key": "s3cret-key-" + "k" * 40,
    "audit_key": "audit-key-" + "a" * 40,
    "audit_previous": "retired-audit-key-" + "r" * 40,
    "client_secret": "oidc-client-secret-xyz",
    "db_password": "db-pass-word-123",
    "owner_password": "owner-pass-word-456",
}


def test_settings_repr_shows_no_secret(tmp_path):
    settings = Settings(
        data_dir=tmp_path,
        database_url=f"postgresql+asyncpg://app:{SECRETS['db_password']}@db.example/kyoso",
        secret_key=SECRETS["secret_key"],
        migration_database_url=f"postgresql+asyncpg://owner:{SECRETS['owner_password']}@db.example/kyoso",
        audit_key=SECRETS["audit_key"],
        audit_previous_keys=(SECRETS["audit_previous"],),
        oidc=OIDCSettings(
            issuer="https://idp.example",
            client_id="kyoso",
            client_secret=SECRETS["client_secret"],
            redirect_uri="https://kyoso.example/cb",
        ),
    )
    shown = repr(settings) + str(settings)
    leaked = [name for name, secret in SECRETS.items() if secret in shown]
    assert leaked == []
    assert "https://idp.example" in shown  # what is not secret is still there to read
    assert settings.secret_key == SECRETS["secret_key"]  # hidden from repr only


async def test_a_failed_statement_does_not_carry_its_parameters(database_url):
    """What a DB error during sign-up would log: the statement, never the bound values."""
    engine = create_engine(database_url, pool_size=1)
    secret = "$argon2id$v=19$m=65536,t=3,p=4$not-for-logs"
    try:
        async with engine.connect() as conn:
            with pytest.raises(DBAPIError) as failed:
                await conn.execute(text("SELECT CAST(:value AS integer)"), {"value": secret})
    finally:
        await engine.dispose()
    assert "CAST" in str(failed.value)
    assert secret not in str(failed.value)
