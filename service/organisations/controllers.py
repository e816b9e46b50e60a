"""HTTP for organisations and their members."""

from __future__ import annotations

import uuid
from typing import Annotated

import msgspec
from litestar import Controller, Router, get, patch, post
from litestar.params import Parameter
from litestar.status_codes import HTTP_201_CREATED
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.guards import requires_admin
from service.auth.principal import Principal
from service.models import Membership, Organisation
from service.models.enums import OrgKind
from service.organisations.schemas import (
    MembershipCreate,
    MembershipRead,
    OrganisationCreate,
    OrganisationRead,
    OrganisationUpdate,
)
from service.organisations.service import OrganisationService
from service.pagination import Cursor, PageLimit, offset_from, page_from_list, page_of
from service.types import Page


def organisation_read(org: Organisation) -> OrganisationRead:
    return msgspec.convert(org.model_dump(), OrganisationRead)


def membership_read(m: Membership) -> MembershipRead:
    return msgspec.convert(m.model_dump(), MembershipRead)


class OrganisationController(Controller):
    path = "/organisations"

    @get("/", summary="Organisations (public register)")
    async def list_organisations(
        self,
        db_session: AsyncSession,
        kind: OrgKind | None = None,
        prefecture: Annotated[int | None, Parameter(ge=1, le=47)] = None,
        limit: Annotated[int, Parameter(ge=1, le=200)] = 50,
        cursor: Cursor = None,
    ) -> Page[OrganisationRead]:
        offset = offset_from(cursor)
        rows, total = await OrganisationService(db_session).page(
            kind=kind, prefecture=prefecture, limit=limit, offset=offset
        )
        return page_of([organisation_read(o) for o in rows], total=total, limit=limit, offset=offset)

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Register an organisation (admins; others found one at sign-up)",
        guards=[requires_admin],
        opt={"idempotent": True},
    )
    async def create_organisation(self, data: OrganisationCreate, db_session: AsyncSession) -> OrganisationRead:
        return organisation_read(await OrganisationService(db_session).create(data))

    @get("/{organisation_id:uuid}", summary="One organisation")
    async def get_organisation(self, organisation_id: uuid.UUID, db_session: AsyncSession) -> OrganisationRead:
        return organisation_read(await OrganisationService(db_session).get(organisation_id))

    @patch("/{organisation_id:uuid}", summary="Edit an organisation (its members or admins)")
    async def update_organisation(
        self, organisation_id: uuid.UUID, data: OrganisationUpdate, db_session: AsyncSession, user: Principal
    ) -> OrganisationRead:
        return organisation_read(await OrganisationService(db_session).update(user, organisation_id, data))

    @get("/{organisation_id:uuid}/members", summary="Members and roles (the organisation's members or admins)")
    async def list_members(
        self,
        organisation_id: uuid.UUID,
        db_session: AsyncSession,
        user: Principal,
        limit: PageLimit = 100,
        cursor: Cursor = None,
    ) -> Page[MembershipRead]:
        members = [membership_read(m) for m in await OrganisationService(db_session).members(user, organisation_id)]
        return page_from_list(members, limit=limit, cursor=cursor)

    @post(
        "/{organisation_id:uuid}/members",
        status_code=HTTP_201_CREATED,
        summary="Grant a role (admins)",
        opt={"idempotent": True},
    )
    async def add_member(
        self, organisation_id: uuid.UUID, data: MembershipCreate, db_session: AsyncSession, user: Principal
    ) -> MembershipRead:
        return membership_read(await OrganisationService(db_session).add_member(user, organisation_id, data))


router = Router(path="/api/v1", route_handlers=[OrganisationController], tags=["organisations"])
