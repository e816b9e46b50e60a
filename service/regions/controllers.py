"""HTTP for regions: public reference data; admins define living spheres."""

from __future__ import annotations

import uuid
from typing import Annotated

import msgspec
from litestar import Controller, Router, get, post
from litestar.params import Parameter
from litestar.status_codes import HTTP_201_CREATED
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.guards import requires_admin
from service.pagination import Cursor, PageLimit, offset_from, page_from_list, page_of
from service.regions.schemas import LivingSphereCreate, LivingSphereRead, MunicipalityRead, PrefectureRead
from service.regions.service import RegionService
from service.types import Page


class RegionController(Controller):
    path = "/regions"

    @get("/prefectures", summary="The 47 prefectures")
    async def prefectures(
        self, db_session: AsyncSession, limit: PageLimit = 50, cursor: Cursor = None
    ) -> Page[PrefectureRead]:
        rows = [msgspec.convert(p.model_dump(), PrefectureRead) for p in await RegionService(db_session).prefectures()]
        return page_from_list(rows, limit=limit, cursor=cursor)

    @get("/municipalities", summary="Municipalities (JIS codes, town-hall coordinates); source: japancode (MIT)")
    async def municipalities(
        self,
        db_session: AsyncSession,
        prefecture: Annotated[int | None, Parameter(ge=1, le=47)] = None,
        q: Annotated[str | None, Parameter(max_length=50)] = None,
        limit: Annotated[int, Parameter(ge=1, le=2000)] = 100,
        cursor: Cursor = None,
    ) -> Page[MunicipalityRead]:
        offset = offset_from(cursor)
        rows, total = await RegionService(db_session).municipalities(
            prefecture=prefecture, q=q, limit=limit, offset=offset
        )
        items = [msgspec.convert(m.model_dump(), MunicipalityRead) for m in rows]
        return page_of(items, total=total, limit=limit, offset=offset)

    @get("/living-spheres", summary="Living spheres (地域生活圏): named groups of municipalities")
    async def living_spheres(
        self, db_session: AsyncSession, limit: PageLimit = 100, cursor: Cursor = None
    ) -> Page[LivingSphereRead]:
        return page_from_list(await RegionService(db_session).living_spheres(), limit=limit, cursor=cursor)

    @get("/living-spheres/{sphere_id:uuid}", summary="One living sphere")
    async def living_sphere(self, sphere_id: uuid.UUID, db_session: AsyncSession) -> LivingSphereRead:
        return await RegionService(db_session).living_sphere(sphere_id)

    @post(
        "/living-spheres",
        status_code=HTTP_201_CREATED,
        summary="Define a living sphere (admins)",
        guards=[requires_admin],
        opt={"idempotent": True},
    )
    async def create_living_sphere(self, data: LivingSphereCreate, db_session: AsyncSession) -> LivingSphereRead:
        return await RegionService(db_session).create_living_sphere(data)


router = Router(path="/api/v1", route_handlers=[RegionController], tags=["regions"])
