"""Bench-only endpoints (mounted when ``KYOSO_BENCH_ENDPOINTS=true``), the baselines that
``tests/bench/bench_api.py`` measures the real list endpoint against:

* ``/bench/projects-raw`` — the *same* prepared SQL as ``GET /api/v1/projects``, run on a bare
  asyncpg pool outside the app's session, encoded with msgspec into the same JSON shape;
* ``/bench/plain`` — a constant JSON body (the HTTP server + framework floor).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

import asyncpg
import msgspec
from litestar import Controller, Litestar, MediaType, Response, get
from litestar.datastructures import State
from litestar.params import Parameter

from service.models.enums import Instrument, ProjectStatus, Sector
from service.projects.controllers import parse_list_params, summary_from_row
from service.projects.queries import Visibility, prepared_list
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

    @get("/projects-raw", media_type=MediaType.JSON)
    async def projects_raw(
        self,
        state: State,
        prefecture: Annotated[int | None, Parameter(ge=1, le=47)] = None,
        municipality: str | None = None,
        living_sphere: uuid.UUID | None = None,
        sector: list[Sector] | None = None,
        instrument: list[Instrument] | None = None,
        status: list[ProjectStatus] | None = None,
        ticket_min: int | None = None,
        ticket_max: int | None = None,
        organisation: uuid.UUID | None = None,
        q: str | None = None,
        sort: str = "-created_at",
        limit: Annotated[int, Parameter(ge=1, le=200)] = 20,
        cursor: str | None = None,
    ) -> Response[bytes]:
        filters, offset = parse_list_params(
            prefecture=prefecture,
            municipality=municipality,
            living_sphere=living_sphere,
            sector=sector,
            instrument=instrument,
            status=status,
            ticket_min=ticket_min,
            ticket_max=ticket_max,
            organisation=organisation,
            q=q,
            sort=sort,
            cursor=cursor,
        )
        sql, args = prepared_list(filters, Visibility(), limit=limit, offset=offset)
        pool: asyncpg.Pool = state.bench_pool
        async with pool.acquire() as conn:
            rows = await conn.fetch(sql, *args)
        total = int(rows[0]["total"]) if rows else 0
        page = Page(
            items=[summary_from_row(r) for r in rows],
            total=total,
            limit=limit,
            next_cursor=encode_cursor(offset + limit) if offset + limit < total else None,
        )
        return Response(_ENCODER.encode(page), media_type=MediaType.JSON)
