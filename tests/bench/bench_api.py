"""API benchmark: the project list endpoint against raw asyncpg and a bare JSON endpoint.

    uv run python tests/bench/bench_api.py [--seconds 8] [--connections 64] [--projects 10000]

Starts an embedded PostgreSQL in a temporary directory, migrates it, inserts generated
projects, starts the service with granian (one worker, bench endpoints on), then drives
three endpoints in turn with the same number of keep-alive connections:

  (a) GET /api/v1/projects?...       the real handler (SQLAlchemy Core + msgspec)
  (b) GET /bench/projects-raw?...     the same compiled SQL via a bare asyncpg pool
  (c) GET /bench/plain                a constant JSON body

and prints requests/s, p50 and p99 latency for each and the ratio a/b. Absolute numbers
depend on the machine; the ratios are what to compare between runs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from service.db import create_engine  # noqa: E402
from service.db.embedded import EmbeddedPostgres, ensure_database  # noqa: E402
from service.db.migrate import upgrade  # noqa: E402
from service.models.enums import Instrument, ProjectStatus, Sector, Stage  # noqa: E402

QUERIES = [
    "sector=energy&ticket_max=50000000&limit=50",
    "prefecture=13&limit=50",
    "instrument=equity&sort=funding_target_yen&limit=50",
    "status=funding&sector=mobility&sector=retail&limit=50",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def seed(url: str, projects: int) -> None:
    engine = create_engine(url, pool_size=1)
    await upgrade(engine)
    await engine.dispose()
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        munis = await conn.fetch("SELECT code, prefecture_code FROM municipality")
        org_ids = [uuid.uuid4() for _ in range(200)]
        user_id = uuid.uuid4()
        await conn.execute(
            "INSERT INTO app_user (id, email, display_name) VALUES ($1, 'bench@example.jp', 'bench')", user_id
        )
        await conn.executemany(
            "INSERT INTO organisation (id, kind, name_ja, name_en) VALUES ($1, 'company', $2, $3)",
            [(o, f"ベンチ組織{i}", f"Bench org {i}") for i, o in enumerate(org_ids)],
        )
        rng = random.Random(7)
        statuses = [ProjectStatus.vetted, ProjectStatus.funding, ProjectStatus.funded, ProjectStatus.draft]
        rows = []
        for i in range(projects):
            m = rng.choice(munis)
            target = rng.choice([5, 10, 30, 50, 100, 300]) * 1_000_000
            rows.append(
                (
                    uuid.uuid4(),
                    rng.choice(org_ids),
                    user_id,
                    f"地域プロジェクト {i}",
                    f"Regional project {i}",
                    "地域の暮らしを支える事業。",
                    "A business that keeps regional life going.",
                    rng.choice(list(Sector)).value,
                    rng.choice(list(Instrument)).value,
                    rng.choice(list(Stage)).value,
                    rng.choice(statuses).value,
                    [m["code"]],
                    [m["prefecture_code"]],
                    target,
                    max(10_000, target // rng.choice([10, 50, 100, 1000])),
                    1.0,
                    4.0,
                    60,
                )
            )
        await conn.copy_records_to_table(
            "project",
            records=rows,
            columns=[
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
            ],
        )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


async def one_connection(port: int, paths: list[str], deadline: float, latencies: list[float]) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    done = 0
    i = 0
    try:
        while time.perf_counter() < deadline:
            path = paths[i % len(paths)]
            i += 1
            start = time.perf_counter()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            await writer.drain()
            status = await reader.readline()
            length = 0
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            await reader.readexactly(length)
            if not status.startswith(b"HTTP/1.1 200"):
                raise RuntimeError(f"{path}: {status!r}")
            latencies.append(time.perf_counter() - start)
            done += 1
    finally:
        writer.close()
    return done


async def drive(port: int, paths: list[str], seconds: float, connections: int) -> tuple[float, float, float]:
    await asyncio.gather(*(one_connection(port, paths, time.perf_counter() + 1.0, []) for _ in range(connections)))
    latencies: list[float] = []
    start = time.perf_counter()
    counts = await asyncio.gather(
        *(one_connection(port, paths, start + seconds, latencies) for _ in range(connections))
    )
    elapsed = time.perf_counter() - start
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    return sum(counts) / elapsed, statistics.median(latencies) * 1000, p99 * 1000


def wait_ready(port: int, timeout: float = 60.0) -> None:
    end = time.time() + timeout
    while time.time() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
                if s.recv(64).startswith(b"HTTP/1.1 200"):
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("service did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--projects", type=int, default=10_000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="kyoso-bench-") as tmp:
        server = EmbeddedPostgres(Path(tmp) / "pg")
        try:
            ensure_database(server, "bench")
            url = server.url("bench")
            asyncio.run(seed(url, args.projects))
            port = free_port()
            env = {
                **os.environ,
                "KYOSO_DATABASE_URL": url,
                "KYOSO_BENCH_ENDPOINTS": "true",
                "KYOSO_DATA_DIR": tmp,
                "KYOSO_LOG_LEVEL": "WARNING",
            }
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "granian",
                    "--interface",
                    "asgi",
                    "--factory",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--workers",
                    "1",
                    "--no-access-log",
                    "--log-level",
                    "warning",
                    "service.app:create_app_from_env",
                ],
                cwd=ROOT,
                env=env,
            )
            try:
                wait_ready(port)
                scenarios = {
                    "(a) /api/v1/projects": [f"/api/v1/projects?{q}" for q in QUERIES],
                    "(b) raw asyncpg + msgspec": [f"/bench/projects-raw?{q}" for q in QUERIES],
                    "(c) bare JSON": ["/bench/plain"],
                }
                results = {
                    name: asyncio.run(drive(port, paths, args.seconds, args.connections))
                    for name, paths in scenarios.items()
                }
            finally:
                proc.terminate()
                proc.wait(timeout=20)
        finally:
            server.stop()

    print(f"\n{args.projects} projects, {args.connections} connections, {args.seconds:.0f} s each, 1 granian worker")
    print(f"{'endpoint':30} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for name, (rps, p50, p99) in results.items():
        print(f"{name:30} {rps:9.0f} {p50:8.1f} {p99:8.1f}")
    a, b = results["(a) /api/v1/projects"][0], results["(b) raw asyncpg + msgspec"][0]
    print(f"ratio a/b = {a / b:.2f}   (aim ≥ 0.5)   a/c = {a / results['(c) bare JSON'][0]:.2f}")


if __name__ == "__main__":
    main()
