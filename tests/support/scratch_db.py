"""A scratch database on the tests' embedded server, built by the migrations, whose commits are
real: for tests of concurrency (row locks, SKIP LOCKED) that a rolled-back connection cannot show.

    async with scratch_database(database_url) as url:
        engine = create_engine(url)

``revision`` stops the migrations early (a migration's own test upgrades the rest of the way);
``None`` leaves the database empty.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from sqlalchemy.engine import make_url

from service.db import create_engine
from service.db.migrate import upgrade


@asynccontextmanager
async def scratch_database(database_url: str, revision: str | None = "head") -> AsyncIterator[str]:
    """Create, migrate to ``revision`` and finally drop a database named ``kyoso_scratch_<random>``."""
    name = f"kyoso_scratch_{uuid.uuid4().hex[:12]}"
    libpq = database_url.replace("postgresql+asyncpg://", "postgresql://")
    admin = await asyncpg.connect(libpq)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    url = make_url(database_url).set(database=name).render_as_string(hide_password=False)
    if revision is not None:
        engine = create_engine(url, pool_size=1)
        try:
            await upgrade(engine, revision)
        finally:
            await engine.dispose()
    try:
        yield url
    finally:
        admin = await asyncpg.connect(libpq)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()
