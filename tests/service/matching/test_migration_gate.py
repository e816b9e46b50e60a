"""Migration 0016 judges the versions trained before the gate from their stored metrics: an
active version that lost to content ranking is retired (the service falls back to content, as it
would for a new such version), one that won keeps its place, one with no figures fails."""

from __future__ import annotations

import json

import asyncpg
from alembic.script import ScriptDirectory

from service.db import create_engine
from service.db.migrate import alembic_config, upgrade
from tests.support.scratch_db import scratch_database

INSERT = (
    "INSERT INTO model_version (id, version, ranker, status, trained_by, n_events, n_investors, n_projects,"
    " metrics, artifact, artifact_size, sha256, activated_at)"
    " VALUES (gen_random_uuid(), $1, 'learned', $2, 'test', 1, 1, 1, $3::jsonb, '\\x00', 1, $4, $5)"
)


def _metrics(learned: float | None, content: float, popularity: float) -> str:
    rows = [("learned", learned), ("content cosine", content), ("popularity", popularity)]
    return json.dumps({"k": 10, "rows": [{"ranker": r, "ndcg": v} for r, v in rows]})


async def test_versions_from_before_the_gate_are_judged_and_a_losing_active_one_is_retired(database_url):
    before = ScriptDirectory.from_config(alembic_config(database_url)).get_revision("0016").down_revision
    assert isinstance(before, str)
    async with scratch_database(database_url, revision=before) as url:
        conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
        try:
            await conn.execute(INSERT, "v-lost", "active", _metrics(0.325, 0.664, 0.30), "a" * 64, None)
            await conn.execute(INSERT, "v-won", "retired", _metrics(0.50, 0.40, 0.30), "b" * 64, None)
            await conn.execute(INSERT, "v-blank", "candidate", _metrics(None, 0.40, 0.30), "c" * 64, None)
            engine = create_engine(url, pool_size=1)
            try:
                await upgrade(engine)
            finally:
                await engine.dispose()
            rows = await conn.fetch("SELECT version, status, gate_passed, gate_reason, gate FROM model_version")
        finally:
            await conn.close()
    judged = {r["version"]: (r["status"], r["gate_passed"], r["gate_reason"]) for r in rows}
    assert judged == {
        "v-lost": ("retired", False, "model.gate.loses_to_content"),
        "v-won": ("retired", True, "model.gate.passed"),
        "v-blank": ("candidate", False, "model.gate.no_held_out"),
    }
    figures = {r["version"]: json.loads(r["gate"]) for r in rows}
    assert figures["v-lost"] == {"learned": 0.325, "content": 0.664, "popularity": 0.30, "margin": 0.0, "k": 10}
