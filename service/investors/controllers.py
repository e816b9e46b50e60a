"""HTTP for investor profiles (signed-in callers only)."""

from __future__ import annotations

import uuid
from typing import Annotated

import msgspec
from litestar import Controller, delete, get, patch, post
from litestar.params import Parameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.principal import Principal
from service.investors.schemas import InvestorProfileCreate, InvestorProfileRead, InvestorProfileUpdate
from service.investors.service import InvestorService
from service.models import InvestorProfile
from service.models.enums import Instrument, InvestorType, Sector
from service.pagination import Cursor, offset_from, page_of
from service.types import Page


def profile_read(profile: InvestorProfile) -> InvestorProfileRead:
    return msgspec.convert(profile.model_dump(), InvestorProfileRead)


class InvestorController(Controller):
    path = "/api/v1/investors"
    tags = ["investors"]

    @get("/", summary="Investor profiles: discoverable ones, plus your own")
    async def list_profiles(
        self,
        db_session: AsyncSession,
        user: Principal,
        sector: Sector | None = None,
        prefecture: Annotated[int | None, Parameter(ge=1, le=47)] = None,
        instrument: Instrument | None = None,
        investor_type: InvestorType | None = None,
        ticket: Annotated[
            int | None, Parameter(ge=0, le=10**13, description="Profiles whose ticket range holds this amount")
        ] = None,
        limit: Annotated[int, Parameter(ge=1, le=200)] = 20,
        cursor: Cursor = None,
    ) -> Page[InvestorProfileRead]:
        offset = offset_from(cursor)
        rows, total = await InvestorService(db_session).page(
            user,
            sector=sector,
            prefecture=prefecture,
            instrument=instrument,
            investor_type=investor_type,
            ticket=ticket,
            limit=limit,
            offset=offset,
        )
        return page_of([profile_read(p) for p in rows], total=total, limit=limit, offset=offset)

    @post("/", status_code=HTTP_201_CREATED, summary="Create your (or your organisation's) investor profile")
    async def create_profile(
        self, data: InvestorProfileCreate, db_session: AsyncSession, user: Principal
    ) -> InvestorProfileRead:
        return profile_read(await InvestorService(db_session).create(user, data))

    @get("/{profile_id:uuid}", summary="One investor profile")
    async def get_profile(
        self, profile_id: uuid.UUID, db_session: AsyncSession, user: Principal
    ) -> InvestorProfileRead:
        return profile_read(await InvestorService(db_session).get(user, profile_id))

    @patch("/{profile_id:uuid}", summary="Edit an investor profile (owner or admin)")
    async def update_profile(
        self, profile_id: uuid.UUID, data: InvestorProfileUpdate, db_session: AsyncSession, user: Principal
    ) -> InvestorProfileRead:
        return profile_read(await InvestorService(db_session).update(user, profile_id, data))

    @delete(
        "/{profile_id:uuid}", status_code=HTTP_204_NO_CONTENT, summary="Delete an investor profile (owner or admin)"
    )
    async def delete_profile(self, profile_id: uuid.UUID, db_session: AsyncSession, user: Principal) -> None:
        await InvestorService(db_session).delete(user, profile_id)
