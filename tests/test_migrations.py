"""The schema comes only from the migrations, and they agree with the models."""

from __future__ import annotations

from sqlalchemy import text

from service.db.migrate import current, downgrade, pending_diff, upgrade


async def test_models_and_migrations_agree(engine):
    diff = await pending_diff(engine)
    assert diff == [], f"autogenerate would change the schema: {diff}"


async def test_migrations_are_at_head(engine):
    from alembic.script import ScriptDirectory

    from service.db.migrate import MIGRATIONS_DIR, alembic_config

    heads = ScriptDirectory.from_config(alembic_config(str(engine.url))).get_heads()
    assert len(heads) == 1, f"one linear history expected, found heads {heads}"
    assert await current(engine) == heads[0]
    assert MIGRATIONS_DIR.name == "migrations"


async def test_reference_data_has_every_prefecture_and_municipality(engine):
    async with engine.connect() as conn:
        prefectures = await conn.scalar(text("SELECT count(*) FROM prefecture"))
        municipalities = await conn.scalar(text("SELECT count(*) FROM municipality"))
        yonago = (await conn.execute(text("SELECT name_ja, lat, lng FROM municipality WHERE code = '31202'"))).one()
    assert prefectures == 47
    assert municipalities == 1916  # japancode 0.1.0, wards of designated cities included
    assert yonago.name_ja == "米子市"
    assert 35.3 < yonago.lat < 35.5  # 米子市役所
    assert 133.2 < yonago.lng < 133.4


async def test_downgrade_to_base_and_back_up(database_url, engine):
    """Every revision can be undone and redone (on a scratch database, not the shared one)."""
    import asyncpg
    from sqlalchemy.engine import make_url

    from service.db import create_engine

    libpq = database_url.replace("postgresql+asyncpg://", "postgresql://")
    admin = await asyncpg.connect(libpq)
    try:
        await admin.execute("DROP DATABASE IF EXISTS kyoso_scratch")
        await admin.execute("CREATE DATABASE kyoso_scratch")
    finally:
        await admin.close()
    scratch_url = make_url(database_url).set(database="kyoso_scratch")
    scratch = create_engine(scratch_url.render_as_string(hide_password=False), pool_size=1)
    try:
        await upgrade(scratch)
        await downgrade(scratch, "base")
        assert await current(scratch) is None
        await upgrade(scratch)
        assert await pending_diff(scratch) == []
    finally:
        await scratch.dispose()


async def test_concurrent_upgrades_serialise_on_the_advisory_lock(engine):
    """Replicas that start together all run `upgrade`; the lock makes that safe and idempotent."""
    import asyncio

    await asyncio.gather(upgrade(engine), upgrade(engine), upgrade(engine))
    assert await pending_diff(engine) == []
