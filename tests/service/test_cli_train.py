"""``kyoso train`` against a scratch database: the ja/en message and exit 1 with too few events
(nothing stored), then a stored, active version and its evaluation table; ``--no-activate``
stores a candidate. The CLI commits through its own engine, hence the scratch database."""

from __future__ import annotations

import asyncio

import asyncpg
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.engine import make_url

from service.cli import main
from service.db import create_engine, session_factory
from service.db.migrate import upgrade
from service.models import ModelVersion
from tests.conftest import TEST_SECRET
from tests.service.market import learnable_market

SCRATCH = "kyoso_cli_scratch"


async def _fresh_database(database_url: str) -> str:
    admin = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {SCRATCH}")
        await admin.execute(f"CREATE DATABASE {SCRATCH}")
    finally:
        await admin.close()
    url = make_url(database_url).set(database=SCRATCH).render_as_string(hide_password=False)
    engine = create_engine(url, pool_size=1)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()
    return url


async def _run(url: str, job):
    engine = create_engine(url, pool_size=1)
    try:
        async with session_factory(engine)() as session, session.begin():
            return await job(session)
    finally:
        await engine.dispose()


async def _versions(session):
    return [(v.status, v.n_events) for v in (await session.execute(select(ModelVersion))).scalars()]


def test_kyoso_train_refuses_too_few_events_then_stores_and_activates(database_url, tmp_path):
    url = asyncio.run(_fresh_database(database_url))
    env = {"KYOSO_DATABASE_URL": url, "KYOSO_DATA_DIR": str(tmp_path), "KYOSO_SECRET_KEY": TEST_SECRET}
    runner = CliRunner()

    refused = runner.invoke(main, ["train"], env=env)
    assert refused.exit_code == 1, refused.output
    assert "不足" in refused.stderr
    assert "not enough interaction data" in refused.stderr
    assert asyncio.run(_run(url, _versions)) == []

    market = asyncio.run(_run(url, learnable_market))  # one whose model passes the gate
    trained = runner.invoke(main, ["train"], env=env)
    assert trained.exit_code == 0, trained.output
    assert "NDCG@10" in trained.stdout
    assert "active (served now)" in trained.stdout
    candidate = runner.invoke(main, ["train", "--no-activate"], env=env)
    assert candidate.exit_code == 0, candidate.output
    assert sorted(asyncio.run(_run(url, _versions))) == [("active", market.n_events), ("candidate", market.n_events)]
