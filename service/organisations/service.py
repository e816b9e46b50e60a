"""Organisations: creation with validated 法人番号 and place, edits, memberships."""

from __future__ import annotations

import uuid

import msgspec
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.principal import Principal
from service.common_messages import COMMON
from service.errors import Conflict, Forbidden, NotFound
from service.models import Membership, Municipality, Organisation, User
from service.models.enums import OrgKind
from service.organisations.corporate_number import is_valid_corporate_number
from service.organisations.messages import MESSAGES
from service.organisations.schemas import MembershipCreate, OrganisationCreate, OrganisationUpdate
from service.regions.messages import MESSAGES as REGION_MESSAGES


class OrganisationService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, organisation_id: uuid.UUID) -> Organisation:
        org = await self.session.get(Organisation, organisation_id)
        if org is None:
            raise MESSAGES.error(NotFound, "organisation.not_found")
        return org

    async def page(
        self, *, kind: OrgKind | None, prefecture: int | None, limit: int, offset: int
    ) -> tuple[list[Organisation], int]:
        query = select(Organisation)
        if kind is not None:
            query = query.where(Organisation.kind == kind)
        if prefecture is not None:
            query = query.where(Organisation.prefecture_code == prefecture)
        total = (await self.session.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
        rows = (
            await self.session.execute(
                query.order_by(Organisation.name_ja, Organisation.id).limit(limit).offset(offset)
            )
        ).scalars()
        return list(rows), total

    async def create(self, data: OrganisationCreate) -> Organisation:
        await self._validate(data.kind, data.corporate_number, data.prefecture_code, data.municipality_code)
        org = Organisation(**msgspec.structs.asdict(data))
        self.session.add(org)
        await self.session.flush()
        return org

    async def update(self, principal: Principal, organisation_id: uuid.UUID, data: OrganisationUpdate) -> Organisation:
        org = await self.get(organisation_id)
        if not (principal.is_admin or principal.acts_for(org.id)):
            raise COMMON.error(Forbidden, "auth.forbidden")
        changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
        merged = {**org.model_dump(), **changes}
        await self._validate(
            org.kind, merged["corporate_number"], merged["prefecture_code"], merged["municipality_code"]
        )
        for key, value in changes.items():
            setattr(org, key, value)
        await self.session.flush()
        return org

    async def _validate(
        self, kind: OrgKind, corporate_number: str | None, prefecture: int | None, municipality: str | None
    ) -> None:
        if corporate_number is not None and not is_valid_corporate_number(corporate_number):
            raise MESSAGES.invalid("corporate_number", "organisation.corporate_number_check_digit")
        if corporate_number is not None and kind is OrgKind.individual:
            raise MESSAGES.invalid("corporate_number", "organisation.individual_has_no_corporate_number")
        if municipality is not None:
            muni = await self.session.get(Municipality, municipality)
            if muni is None:
                raise REGION_MESSAGES.invalid("municipality_code", "region.unknown_municipality", codes=municipality)
            if prefecture is not None and muni.prefecture_code != prefecture:
                raise REGION_MESSAGES.invalid("municipality_code", "region.municipality_outside_prefecture")

    async def add_member(self, principal: Principal, organisation_id: uuid.UUID, data: MembershipCreate) -> Membership:
        if not principal.is_admin:
            raise MESSAGES.error(Forbidden, "organisation.members_admin_only")
        await self.get(organisation_id)
        if await self.session.get(User, data.user_id) is None:
            raise MESSAGES.invalid("user_id", "user.not_found")
        exists = await self.session.scalar(
            select(Membership.id).where(
                Membership.user_id == data.user_id,
                Membership.organisation_id == organisation_id,
                Membership.role == data.role,
            )
        )
        if exists is not None:
            raise MESSAGES.error(Conflict, "organisation.member_exists")
        membership = Membership(user_id=data.user_id, organisation_id=organisation_id, role=data.role)
        self.session.add(membership)
        await self.session.flush()
        return membership

    async def members(self, principal: Principal, organisation_id: uuid.UUID) -> list[Membership]:
        await self.get(organisation_id)
        if not (principal.is_admin or principal.acts_for(organisation_id)):
            raise COMMON.error(Forbidden, "auth.forbidden")
        rows = await self.session.execute(
            select(Membership)
            .where(Membership.organisation_id == organisation_id)
            .order_by(Membership.user_id, Membership.role)  # a stable order, so pages do not overlap
        )
        return list(rows.scalars())
