"""HTTP for investor profiles (signed-in callers only)."""

from __future__ import annotations

import uuid
from typing import Annotated

import msgspec
from litestar import Controller, Response, Router, delete, get, patch, post
from litestar.openapi import ResponseSpec
from litestar.params import Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.guards import requires_signed_in
from service.auth.principal import Principal
from service.investors.schemas import (
    IndividualInvestorRead,
    InvestorProfileCreate,
    InvestorProfileRead,
    InvestorProfileUpdate,
)
from service.investors.service import InvestorService
from service.models import InvestorProfile
from service.models.enums import Instrument, InvestorType, Sector
from service.pagination import Cursor, offset_from, page_of
from service.types import Page


def profile_read(profile: InvestorProfile) -> InvestorProfileRead:
    return msgspec.convert(profile.model_dump(), InvestorProfileRead)


class InvestorController(Controller):
    path = "/investors"

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
        mine: Annotated[bool, Parameter(description="Only the profiles you own (personal and organisations')")] = False,
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
            mine=mine,
        )
        return page_of([profile_read(p) for p in rows], total=total, limit=limit, offset=offset)

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Create your (or your organisation's) investor profile",
        opt={"idempotent": True},
    )
    async def create_profile(
        self, data: InvestorProfileCreate, db_session: AsyncSession, user: Principal
    ) -> InvestorProfileRead:
        return profile_read(await InvestorService(db_session).create(user, data))

    @post(
        "/me",
        status_code=HTTP_201_CREATED,
        summary="Become an individual investor: your personal organisation and investor role (idempotent)",
        description="The first call makes them (201); later calls return them unchanged (200). Then create "
        "your personal profile with POST /api/v1/investors (no organisation_id).",
        responses={HTTP_200_OK: ResponseSpec(IndividualInvestorRead, description="Already an individual investor")},
        guards=[requires_signed_in],
    )
    async def become_individual(self, db_session: AsyncSession, user: Principal) -> Response[IndividualInvestorRead]:
        service = InvestorService(db_session)
        organisation, membership, created = await service.become_individual(user)
        read = IndividualInvestorRead(organisation.id, membership.role, await service.personal_profile_id(user))
        return Response(read, status_code=HTTP_201_CREATED if created else HTTP_200_OK)

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


router = Router(path="/api/v1", route_handlers=[InvestorController], tags=["investors"])
