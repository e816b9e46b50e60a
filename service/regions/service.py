"""Regions: reference lookups and living spheres (地域生活圏)."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.errors import Conflict, NotFound
from service.models import LivingSphere, LivingSphereMember, Municipality, Prefecture
from service.regions.messages import MESSAGES
from service.regions.schemas import LivingSphereCreate, LivingSphereRead


class RegionService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def prefectures(self) -> list[Prefecture]:
        return list((await self.session.execute(select(Prefecture).order_by(Prefecture.code))).scalars())

    async def municipalities(
        self, *, prefecture: int | None, q: str | None, limit: int, offset: int
    ) -> tuple[list[Municipality], int]:
        query = select(Municipality)
        if prefecture is not None:
            query = query.where(Municipality.prefecture_code == prefecture)
        if q:
            like = f"%{q}%"
            query = query.where(
                Municipality.name_ja.ilike(like)
                | Municipality.name_kana.ilike(like)  # type: ignore[attr-defined]
                | Municipality.name_en.ilike(like)
            )  # type: ignore[attr-defined]
        total = (await self.session.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
        rows = await self.session.execute(query.order_by(Municipality.code).limit(limit).offset(offset))
        return list(rows.scalars()), int(total)

    async def living_spheres(self) -> list[LivingSphereRead]:
        spheres = list((await self.session.execute(select(LivingSphere).order_by(LivingSphere.name_ja))).scalars())
        members = await self._members([s.id for s in spheres])
        return [self._read(s, members.get(s.id, [])) for s in spheres]

    async def living_sphere(self, sphere_id: uuid.UUID) -> LivingSphereRead:
        sphere = await self.session.get(LivingSphere, sphere_id)
        if sphere is None:
            raise MESSAGES.error(NotFound, "living_sphere.not_found")
        return self._read(sphere, (await self._members([sphere.id])).get(sphere.id, []))

    async def create_living_sphere(self, data: LivingSphereCreate) -> LivingSphereRead:
        codes = list(dict.fromkeys([data.core_municipality_code, *data.member_codes]))
        found = set(
            (await self.session.execute(select(Municipality.code).where(Municipality.code.in_(codes)))).scalars()
        )  # type: ignore[attr-defined]
        missing = [c for c in codes if c not in found]
        if missing:
            field = "core_municipality_code" if data.core_municipality_code in missing else "member_codes"
            raise MESSAGES.invalid(field, "region.unknown_municipality", codes=", ".join(missing))
        if await self.session.scalar(select(LivingSphere.id).where(LivingSphere.name_ja == data.name_ja)):
            raise MESSAGES.error(Conflict, "living_sphere.name_taken")
        sphere = LivingSphere(
            name_ja=data.name_ja,
            name_en=data.name_en,
            core_municipality_code=data.core_municipality_code,
            description_ja=data.description_ja,
            description_en=data.description_en,
        )
        self.session.add(sphere)
        await self.session.flush()
        self.session.add_all([LivingSphereMember(living_sphere_id=sphere.id, municipality_code=c) for c in codes])
        await self.session.flush()
        return self._read(sphere, codes)

    async def _members(self, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
        if not ids:
            return {}
        rows = await self.session.execute(
            select(LivingSphereMember.living_sphere_id, LivingSphereMember.municipality_code)
            .where(LivingSphereMember.living_sphere_id.in_(ids))  # type: ignore[attr-defined]
            .order_by(LivingSphereMember.municipality_code)
        )
        out: dict[uuid.UUID, list[str]] = {}
        for sphere_id, code in rows.all():
            out.setdefault(sphere_id, []).append(code)
        return out

    @staticmethod
    def _read(sphere: LivingSphere, members: list[str]) -> LivingSphereRead:
        return LivingSphereRead(
            id=sphere.id,
            name_ja=sphere.name_ja,
            name_en=sphere.name_en,
            core_municipality_code=sphere.core_municipality_code,
            member_codes=members,
            description_ja=sphere.description_ja,
            description_en=sphere.description_en,
        )
