"""Run Alembic programmatically: ``upgrade``, ``downgrade``, ``current``, and the drift check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from service.db.roles import grant_app

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


async def upgrade(engine: AsyncEngine, revision: str = "head", *, app_role: str | None = None) -> None:
    """Migrate (as the owner role); then, given ``app_role``, grant it what it needs on every table."""
    await _with_connection(engine, lambda cfg: command.upgrade(cfg, revision), app_role=app_role)


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    await _with_connection(engine, lambda cfg: command.downgrade(cfg, revision))


async def current(engine: AsyncEngine) -> str | None:
    async with engine.connect() as conn:
        return await conn.run_sync(lambda c: MigrationContext.configure(c).get_current_revision())


async def pending_diff(engine: AsyncEngine) -> list[Any]:
    """What autogenerate would add: empty when the models and migrations agree."""
    from alembic.autogenerate import compare_metadata

    from service.models import metadata

    async with engine.connect() as conn:
        return await conn.run_sync(
            lambda c: compare_metadata(MigrationContext.configure(c, opts={"compare_type": True}), metadata)
        )


#: Advisory-lock key ("kyoso" in ASCII): replicas starting together migrate one at a time.
MIGRATION_LOCK_KEY = 0x6B796F736F


async def _with_connection(engine: AsyncEngine, action: Any, *, app_role: str | None = None) -> None:
    async with engine.connect() as conn:
        await conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        await conn.commit()

        def run(sync_conn: Any) -> None:
            cfg = alembic_config(str(engine.url))
            cfg.attributes["connection"] = sync_conn
            action(cfg)

        try:
            await conn.run_sync(run)
            await conn.commit()
            if app_role is not None:
                await grant_app(conn, app_role)
                await conn.commit()
        finally:
            await conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
            await conn.commit()
