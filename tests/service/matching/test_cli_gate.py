"""``kyoso train`` obeys the activation gate: a version that does not beat content ranking and
popularity by ``KYOSO_MATCHING_GATE_MARGIN`` is stored as a candidate, says why in ja and en, and
nothing is activated; one that does is served. A margin that is not a number stops the command."""

from __future__ import annotations

import asyncio

from click.testing import CliRunner
from sqlalchemy import select

from service.audit import keys
from service.cli import main
from service.db import create_engine, session_factory
from service.models import ModelVersion
from tests.conftest import TEST_AUDIT_KEY, TEST_SECRET
from tests.service.market import learnable_market
from tests.support.scratch_db import scratch_database


async def _run(url: str, job):
    engine = create_engine(url, pool_size=1)
    try:
        async with session_factory(engine)() as session, session.begin():
            return await job(session)
    finally:
        await engine.dispose()


async def _versions(session):
    rows = (await session.execute(select(ModelVersion).order_by(ModelVersion.created_at))).scalars()
    return [(v.status, v.gate_passed, v.gate_reason) for v in rows]


def test_kyoso_train_activates_only_a_version_that_passes_the_gate(database_url, tmp_path, audit_keyring):
    async def scenario() -> None:
        async with scratch_database(database_url) as url:
            await _run(url, learnable_market)
            env = {
                "KYOSO_DATABASE_URL": url,
                "KYOSO_DATA_DIR": str(tmp_path),
                "KYOSO_SECRET_KEY": TEST_SECRET,
                "KYOSO_AUDIT_KEY": TEST_AUDIT_KEY,
            }
            runner = CliRunner()

            lost = await asyncio.to_thread(
                runner.invoke, main, ["train"], env={**env, "KYOSO_MATCHING_GATE_MARGIN": "1"}
            )
            assert lost.exit_code == 0, lost.output
            assert "NOT activated" in lost.stdout
            assert "did not beat content ranking" in lost.stdout
            assert "コンテンツベース" in lost.stdout
            assert await _run(url, _versions) == [("candidate", False, "model.gate.loses_to_content")]

            won = await asyncio.to_thread(
                runner.invoke, main, ["train"], env={**env, "KYOSO_MATCHING_GATE_MARGIN": "0"}
            )
            assert won.exit_code == 0, won.output
            assert "active (served now)" in won.stdout
            assert await _run(url, _versions) == [
                ("candidate", False, "model.gate.loses_to_content"),
                ("active", True, "model.gate.passed"),
            ]

            broken = await asyncio.to_thread(
                runner.invoke, main, ["train"], env={**env, "KYOSO_MATCHING_GATE_MARGIN": "lots"}
            )
            assert broken.exit_code == 2
            assert "KYOSO_MATCHING_GATE_MARGIN must be a number" in broken.stderr

    try:
        asyncio.run(scenario())
    finally:  # the command installs its own keyring in this process: give the other tests theirs back
        keys.install(audit_keyring)
