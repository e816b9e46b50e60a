"""Matches API benchmark: req/s of ``GET /investors/{id}/matches`` at 10k and at 100k projects,
in one run, on one database and one served model.

    uv run python tests/bench/bench_matches_api.py [--seconds 8] [--connections 16] [--investors 2000]

Starts an embedded PostgreSQL in a temporary directory, migrates it, writes a synthetic market
(:func:`matching.synthetic_market`: investors, 10,000 projects, simulated events) and trains and
activates a model on it (activated with an override if the gate refuses it: the benchmark
measures serving, not the model). Then it starts the service with granian (one worker) and
drives the matches endpoint with keep-alive connections, each request for another investor
(round-robin over ``--sample`` investors, so nothing is answered from a per-investor cache):

  1. at 10,000 projects;
  2. after adding 90,000 more (the version counter makes the running service rebuild its
     served ranker on the next request; the same learned weights score the larger catalogue).

It prints req/s, p50 and p99 for each, the time the first request after each change took (the
rebuild), and the ratio req/s at 100k / req/s at 10k (aim ≥ 0.8). Absolute numbers depend on
the machine (and on what else runs on it); the ratio is what to compare.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import matching  # noqa: E402
from service.audit import keys  # noqa: E402
from service.auth.tokens import TokenCodec  # noqa: E402
from service.db import create_engine, session_factory  # noqa: E402
from service.db.embedded import EmbeddedPostgres, ensure_database  # noqa: E402
from service.db.migrate import upgrade  # noqa: E402
from service.matching.store import activate_version, train_and_store  # noqa: E402
from tests.bench.bench_api import free_port, wait_ready  # noqa: E402  (the API bench's server helpers)

SECRET = "bench-secret-" + "z" * 40
AUDIT_KEY = "bench-audit-key-" + "q" * 40
SMALL = {"n_text_components": 8, "n_cf_components": 8}
PROJECT_COLUMNS = [
    "id",
    "organisation_id",
    "created_by",
    "title_ja",
    "title_en",
    "summary_ja",
    "summary_en",
    "sector",
    "instrument",
    "stage",
    "status",
    "municipality_codes",
    "prefecture_codes",
    "funding_target_yen",
    "min_ticket_yen",
    "expected_return_min_pct",
    "expected_return_max_pct",
    "term_months",
    "created_at",
]


def _libpq(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


async def _first_municipality(conn: asyncpg.Connection) -> dict[int, str]:
    rows = await conn.fetch("SELECT prefecture_code, min(code) AS code FROM municipality GROUP BY prefecture_code")
    return {r["prefecture_code"]: r["code"] for r in rows}


async def add_projects(
    conn: asyncpg.Connection, projects: list[matching.ProjectRecord], org: uuid.UUID, user: uuid.UUID
) -> dict[str, uuid.UUID]:
    """Projects as rows (COPY); returns record id → row id."""
    muni = await _first_municipality(conn)
    ids = {p.id: uuid.uuid4() for p in projects}
    rows = [
        (
            ids[p.id],
            org,
            user,
            f"合成案件 {n}",
            f"Synthetic project {n}",
            p.text[:900] or "合成",
            p.text[:900] or "synthetic",
            p.sector,
            p.instrument,
            p.stage,
            p.status,
            [muni[p.prefecture]],
            [p.prefecture],
            max(p.funding_target_yen, p.min_ticket_yen, 1),
            max(p.min_ticket_yen, 1),
            1.0,
            4.0,
            36,
            p.created_at,
        )
        for n, p in enumerate(projects)
    ]
    await conn.copy_records_to_table("project", records=rows, columns=PROJECT_COLUMNS)
    return ids


async def seed(url: str, n_investors: int, n_projects: int) -> tuple[list[uuid.UUID], dict[str, str], float]:
    """The first market, a trained active model, an admin's token; (profile ids, headers, train s)."""
    engine = create_engine(url, pool_size=1)
    await upgrade(engine)
    market = matching.synthetic_market(n_investors=n_investors, n_projects=n_projects, seed=11, mean_views=15)
    conn = await asyncpg.connect(_libpq(url))
    try:
        admin, org = uuid.uuid4(), uuid.uuid4()
        await conn.execute(
            "INSERT INTO app_user (id, email, display_name) VALUES ($1, 'bench@example.jp', 'bench')", admin
        )
        await conn.execute(
            "INSERT INTO organisation (id, kind, name_ja, name_en) VALUES ($1, 'company', 'ベンチ', 'Bench')", org
        )
        await conn.execute(
            "INSERT INTO membership (id, user_id, organisation_id, role) VALUES ($1, $2, $3, 'admin')",
            uuid.uuid4(),
            admin,
            org,
        )
        project_ids = await add_projects(conn, market.projects, org, admin)
        owners = [uuid.uuid4() for _ in market.investors]
        await conn.copy_records_to_table(
            "app_user",
            records=[(o, f"inv-{n}@example.jp", f"投資家 {n}") for n, o in enumerate(owners)],
            columns=["id", "email", "display_name"],
        )
        profile_ids = {inv.id: uuid.uuid4() for inv in market.investors}
        await conn.copy_records_to_table(
            "investor_profile",
            records=[
                (
                    profile_ids[inv.id],
                    owner,
                    owner,
                    f"投資家 {n}",
                    f"Investor {n}",
                    inv.investor_type,
                    inv.sectors,
                    inv.prefectures,
                    inv.instruments,
                    max(inv.ticket_min_yen, 1),
                    max(inv.ticket_max_yen, inv.ticket_min_yen, 1),
                    inv.risk_tolerance,
                    inv.impact_themes,
                    inv.thesis[:5000],
                    inv.created_at,
                )
                for n, (inv, owner) in enumerate(zip(market.investors, owners, strict=True))
            ],
            columns=[
                "id",
                "owner_user_id",
                "created_by",
                "display_name_ja",
                "display_name_en",
                "investor_type",
                "sectors",
                "prefecture_codes",
                "instruments",
                "ticket_min_yen",
                "ticket_max_yen",
                "risk_tolerance",
                "impact_themes",
                "thesis_ja",
                "created_at",
            ],
        )
        await conn.copy_records_to_table(
            "interaction_event",
            records=[
                (uuid.uuid4(), profile_ids[e.investor_id], project_ids[e.project_id], e.kind, e.at)
                for e in market.events
            ],
            columns=["id", "investor_profile_id", "project_id", "kind", "at"],
        )
        now = datetime.now(UTC)
        session_id = uuid.uuid4()
        await conn.execute(
            "INSERT INTO auth_session (id, user_id, method, created_at, expires_at) VALUES ($1, $2, 'bench', $3, $4)",
            session_id,
            admin,
            now,
            now + timedelta(hours=6),
        )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
    start = time.perf_counter()
    async with session_factory(engine)() as session, session.begin():
        version, result = await train_and_store(session, trained_by="bench", params=SMALL, margin=0.0)
        if version.status != "active":
            print(f"gate: {version.gate_reason}; activated with an override for the benchmark")
            await activate_version(session, version.id, override=True)
    trained = time.perf_counter() - start
    print(result.report.splitlines()[0])
    await engine.dispose()
    token = TokenCodec(SECRET).issue(admin, session_id, issued_at=now, expires_at=now + timedelta(hours=6))
    return list(profile_ids.values()), {"Authorization": f"Bearer {token}"}, trained


async def grow(url: str, n_more: int) -> None:
    """Another ``n_more`` projects (a second generated market's), written in one COPY."""
    more = matching.synthetic_market(n_investors=10, n_projects=n_more, seed=12, mean_views=0)
    conn = await asyncpg.connect(_libpq(url))
    try:
        org = await conn.fetchval("SELECT id FROM organisation LIMIT 1")
        user = await conn.fetchval("SELECT id FROM app_user WHERE email = 'bench@example.jp'")
        await add_projects(conn, more.projects, org, user)
        await conn.execute("ANALYZE project")
    finally:
        await conn.close()


async def one_connection(
    port: int, paths: list[str], headers: dict[str, str], deadline: float, latencies: list[float], most: int = 0
) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    done = 0
    try:
        while time.perf_counter() < deadline and not (most and done >= most):
            path = paths[done % len(paths)]
            start = time.perf_counter()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}\r\n".encode())
            await writer.drain()
            status = await reader.readline()
            length = 0
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            body = await reader.readexactly(length)
            if not status.startswith(b"HTTP/1.1 200"):
                raise RuntimeError(f"{path}: {status!r} {body[:300]!r}")
            latencies.append(time.perf_counter() - start)
            done += 1
    finally:
        writer.close()
    return done


async def drive(
    port: int, paths: list[str], headers: dict[str, str], seconds: float, connections: int
) -> tuple[float, float, float]:
    # Each connection starts at another investor, so concurrent requests are for different ones.
    shares = [
        paths[i * len(paths) // connections :] + paths[: i * len(paths) // connections] for i in range(connections)
    ]
    latencies: list[float] = []
    start = time.perf_counter()
    counts = await asyncio.gather(
        *(one_connection(port, share, headers, start + seconds, latencies) for share in shares)
    )
    elapsed = time.perf_counter() - start
    latencies.sort()
    return sum(counts) / elapsed, statistics.median(latencies) * 1000, latencies[int(len(latencies) * 0.99) - 1] * 1000


async def first_request(port: int, path: str, headers: dict[str, str]) -> float:
    """One request, timed: the first after a change rebuilds the served ranker."""
    latencies: list[float] = []
    await one_connection(port, [path], headers, time.perf_counter() + 3600.0, latencies, most=1)
    return latencies[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--investors", type=int, default=2_000)
    parser.add_argument("--sample", type=int, default=500, help="distinct investors the requests cycle through")
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--grow-to", type=int, default=100_000)
    args = parser.parse_args()

    results: dict[int, tuple[float, float, float, float]] = {}
    keys.install(keys.keyring_of(AUDIT_KEY))  # training is audited
    with tempfile.TemporaryDirectory(prefix="kyoso-bench-") as tmp:
        server = EmbeddedPostgres(Path(tmp) / "pg")
        try:
            ensure_database(server, "bench")
            url = server.url("bench")
            started = time.perf_counter()
            profiles, headers, trained = asyncio.run(seed(url, args.investors, args.projects))
            print(f"seeded in {time.perf_counter() - started:.0f} s (training {trained:.0f} s)")
            paths = [f"/api/v1/investors/{p}/matches?limit=20" for p in profiles[: args.sample]]
            port = free_port()
            env = {
                **os.environ,
                "KYOSO_DATABASE_URL": url,
                "KYOSO_DATA_DIR": tmp,
                "KYOSO_SECRET_KEY": SECRET,
                "KYOSO_AUDIT_KEY": AUDIT_KEY,
                "KYOSO_LOG_LEVEL": "WARNING",
            }
            command = [sys.executable, "-m", "granian", "--interface", "asgi", "--factory", "--host", "127.0.0.1"]
            command += ["--port", str(port), "--workers", "1", "--no-access-log", "--log-level", "warning"]
            proc = subprocess.Popen([*command, "service.app:create_app_from_env"], cwd=ROOT, env=env)
            try:
                wait_ready(port, timeout=120.0)
                for size in (args.projects, args.grow_to):
                    if size != args.projects:
                        asyncio.run(grow(url, size - args.projects))
                    rebuild = asyncio.run(first_request(port, paths[0], headers))
                    rps, p50, p99 = asyncio.run(drive(port, paths, headers, args.seconds, args.connections))
                    results[size] = (rps, p50, p99, rebuild)
                    print(f"{size:>7} projects: {rps:.0f} req/s", flush=True)
            finally:
                proc.terminate()
                proc.wait(timeout=20)
        finally:
            server.stop()

    print(
        f"\nGET /api/v1/investors/{{id}}/matches?limit=20, {args.investors} investors ({args.sample} distinct per run),"
        f" {args.connections} connections, {args.seconds:.0f} s each, 1 granian worker"
    )
    print(f"{'projects':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'first request (rebuild) s':>26}")
    for size, (rps, p50, p99, rebuild) in results.items():
        print(f"{size:>9} {rps:8.1f} {p50:8.1f} {p99:8.1f} {rebuild:26.2f}")
    small, large = results[args.projects][0], results[args.grow_to][0]
    print(f"req/s at {args.grow_to} / req/s at {args.projects} = {large / small:.2f}   (aim ≥ 0.8)")


if __name__ == "__main__":
    main()
