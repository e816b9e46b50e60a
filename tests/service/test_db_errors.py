"""Database errors answer by kind (issue 7): bad data 422, a lost serialization race or a deadlock
409 with Retry-After, a lost connection 503 — each provoked for real on a scratch database and
sent through the app's own exception handlers by a test-only route."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar import get
from litestar.datastructures import State
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from service.db import create_engine
from service.db_errors import database_error_kind
from tests.support.scratch_db import scratch_database


@pytest.fixture
async def scratch(database_url: str) -> AsyncIterator[AsyncEngine]:
    """A scratch database with one table, for races that need real commits."""
    async with scratch_database(database_url, revision=None) as url:
        engine = create_engine(url, pool_size=4)
        try:
            async with engine.begin() as conn:
                await conn.execute(text("CREATE TABLE ledger (k int PRIMARY KEY, v int NOT NULL)"))
                await conn.execute(text("INSERT INTO ledger VALUES (1, 10), (2, 20)"))
            yield engine
        finally:
            await engine.dispose()


async def serialization_failure(engine: AsyncEngine) -> None:
    """Two SERIALIZABLE transactions each read the total and insert it: the second commit fails."""
    serial = engine.execution_options(isolation_level="SERIALIZABLE")
    async with serial.connect() as a, serial.connect() as b:
        await a.begin()
        await b.begin()
        total_a = (await a.execute(text("SELECT sum(v) FROM ledger"))).scalar_one()
        total_b = (await b.execute(text("SELECT sum(v) FROM ledger"))).scalar_one()
        await a.execute(text("INSERT INTO ledger VALUES (3, :v)"), {"v": total_a})
        await b.execute(text("INSERT INTO ledger VALUES (4, :v)"), {"v": total_b})
        await a.commit()
        await b.commit()  # raises: 40001


async def deadlock(engine: AsyncEngine) -> None:
    """Two transactions lock the two rows in opposite orders: PostgreSQL aborts one (40P01)."""
    async with engine.connect() as a, engine.connect() as b:
        await a.begin()
        await b.begin()
        await a.execute(text("SET LOCAL deadlock_timeout = '50ms'"))
        await b.execute(text("SET LOCAL deadlock_timeout = '50ms'"))
        await a.execute(text("UPDATE ledger SET v = v + 1 WHERE k = 1"))
        await b.execute(text("UPDATE ledger SET v = v + 1 WHERE k = 2"))
        results = await asyncio.gather(
            a.execute(text("UPDATE ledger SET v = v + 1 WHERE k = 2")),
            b.execute(text("UPDATE ledger SET v = v + 1 WHERE k = 1")),
            return_exceptions=True,
        )
        failures = [r for r in results if isinstance(r, BaseException)]
        assert len(failures) == 1, results
        raise failures[0]


async def terminated_backend(engine: AsyncEngine) -> None:
    """The server ends our session (pg_terminate_backend, as a failover or restart would)."""
    async with engine.connect() as victim, engine.connect() as killer:
        pid = (await victim.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        await killer.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        await killer.commit()
        await asyncio.sleep(0.05)
        await victim.execute(text("SELECT 1"))  # raises: the connection is gone


async def data_error(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        await conn.execute(text("SELECT CAST('十' AS integer)"))


async def raw_driver_data_error(engine: AsyncEngine) -> None:
    """The hot list query's path: asyncpg directly, unwrapped. NUL cannot be stored in text."""
    async with engine.connect() as conn:
        raw = await conn.get_raw_connection()
        driver: Any = raw.driver_connection
        await driver.fetchval("SELECT $1::text", "a\x00b")


PROVOKE = {
    "serialization": serialization_failure,
    "deadlock": deadlock,
    "terminated": terminated_backend,
    "data": data_error,
    "raw_data": raw_driver_data_error,
}


@pytest.fixture
def app_with_failures(app: Any, scratch: AsyncEngine) -> Any:
    """The app, plus one test-only route per failure kind, run against the scratch database."""

    @get("/test/db-failure/{kind:str}")
    async def provoke(kind: str, state: State) -> dict[str, str]:
        await PROVOKE[kind](state.scratch_engine)
        return {"status": "no failure"}

    app.state.scratch_engine = scratch
    app.register(provoke)
    return app


@pytest.fixture
async def failing_client(app_with_failures: Any) -> AsyncIterator[Any]:
    import httpx

    transport = httpx.ASGITransport(app=app_with_failures)
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as c:
        yield c


@pytest.mark.parametrize(
    ("kind", "status", "code", "retry_after"),
    [
        ("serialization", 409, "db.retry", "1"),
        ("deadlock", 409, "db.retry", "1"),
        ("terminated", 503, "db.unavailable", "5"),
        ("data", 422, "validation.rejected_by_database", None),
        ("raw_data", 422, "validation.rejected_by_database", None),
    ],
)
async def test_a_database_failure_answers_by_its_kind(failing_client, kind, status, code, retry_after):
    response = await failing_client.get(f"/test/db-failure/{kind}", headers={"Accept-Language": "en"})
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"] == code
    assert problem["detail"]
    assert response.headers.get("retry-after") == retry_after


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("serialization", ("retry", "40001")),
        ("deadlock", ("retry", "40P01")),
        ("data", ("data", "22P02")),
        ("raw_data", ("data", "22021")),
    ],
)
async def test_real_exceptions_are_classified(scratch, kind, expected):
    with pytest.raises(Exception) as caught:
        await PROVOKE[kind](scratch)
    assert database_error_kind(caught.value) == expected


async def test_a_terminated_connection_is_unavailable(scratch):
    with pytest.raises(DBAPIError) as caught:
        await terminated_backend(scratch)
    kind, _ = database_error_kind(caught.value)
    assert kind == "unavailable"


async def test_a_refused_connection_is_unavailable():
    """Nothing listens on the port: the kind is ``unavailable`` (a 503), not a 500."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        free_port = s.getsockname()[1]
    engine = create_engine(f"postgresql+asyncpg://kyoso:x@127.0.0.1:{free_port}/kyoso", pool_size=1)
    try:
        with pytest.raises(Exception) as caught:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
    finally:
        await engine.dispose()
    assert database_error_kind(caught.value)[0] == "unavailable"


async def test_a_missing_unix_socket_is_unavailable(tmp_path):
    """A stopped embedded server leaves no socket file: the driver's FileNotFoundError is turned
    into a refused connection at connect time, so the kind is ``unavailable`` (a 503)."""
    engine = create_engine(f"postgresql+asyncpg://kyoso:x@/kyoso?host={tmp_path}", pool_size=1)
    try:
        with pytest.raises(ConnectionRefusedError) as caught:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
    finally:
        await engine.dispose()
    assert isinstance(caught.value.__cause__, FileNotFoundError)
    assert database_error_kind(caught.value)[0] == "unavailable"


async def test_an_unknown_failure_is_a_500_not_a_400(failing_client, app_with_failures):
    async def undefined_table(engine: AsyncEngine) -> None:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT * FROM no_such_table"))

    PROVOKE["undefined"] = undefined_table
    try:
        response = await failing_client.get("/test/db-failure/undefined")
    finally:
        del PROVOKE["undefined"]
    assert response.status_code == 500, response.text
    assert response.json()["code"] == "server.error"
