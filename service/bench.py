"""Bench-only endpoints (mounted when ``KYOSO_BENCH_ENDPOINTS=true``), the baselines that
``tests/bench/bench_api.py`` measures the real list endpoint against:

* ``/bench/projects-raw`` — the *same* prepared SQL as ``GET /api/v1/projects``, run on a bare
  asyncpg pool outside the app's session, encoded with msgspec into the same JSON shape;
* ``/bench/plain`` — a constant JSON body (the HTTP server + framework floor).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import msgspec
from litestar import Controller, Litestar, MediaType, Response, Router, get
from litestar.datastructures import State
from litestar.di import Provide

from service.projects.controllers import ProjectQuery, provide_project_query
from service.projects.queries import Visibility, prepared_list
from service.projects.schemas import ProjectSummary, from_stored
from service.types import Page, encode_cursor

_ENCODER = msgspec.json.Encoder()


@asynccontextmanager
async def bench_lifespan(app: Litestar) -> AsyncIterator[None]:
    url = app.state.settings.database_url or ""
    dsn = url.replace("postgresql+asyncpg://", "postgresql://", 1)
    pool = await asyncpg.create_pool(dsn, min_size=2, max_size=10)
    app.state.bench_pool = pool
    try:
        yield
    finally:
        await pool.close()


class BenchController(Controller):
    path = "/bench"
    include_in_schema = False

    @get("/plain", media_type=MediaType.JSON)
    async def plain(self) -> Response[bytes]:
        return Response(b'{"status":"ok"}', media_type=MediaType.JSON)

    @get("/projects-raw", media_type=MediaType.JSON, dependencies={"project_query": Provide(provide_project_query)})
    async def projects_raw(self, state: State, project_query: ProjectQuery) -> Response[bytes]:
        filters, limit, offset = project_query.filters, project_query.limit, project_query.offset
        sql, args = prepared_list(filters, Visibility(), limit=limit, offset=offset)
        pool: asyncpg.Pool = state.bench_pool
        async with pool.acquire() as conn:
            rows = await conn.fetch(sql, *args)
        total = int(rows[0]["total"]) if rows else 0
        page = Page(
            items=[from_stored(ProjectSummary, dict(r)) for r in rows],
            total=total,
            limit=limit,
            next_cursor=encode_cursor(offset + limit) if offset + limit < total else None,
        )
        return Response(_ENCODER.encode(page), media_type=MediaType.JSON)


router = Router(path="/", route_handlers=[BenchController])
