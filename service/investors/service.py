"""Investor profiles: owned by a user or an organisation; hidden ones only for owner and admins."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.audit import service as audit
from service.auth.principal import Principal
from service.errors import Conflict, Forbidden, NotFound
from service.investors.messages import MESSAGES
from service.investors.schemas import InvestorProfileCreate, InvestorProfileUpdate
from service.models import InvestorProfile, Membership, Organisation, User
from service.models.base import utcnow
from service.models.enums import Instrument, InvestorType, OrgKind, Role, Sector

INVESTING_ROLES = (Role.investor, Role.bank)


def is_owner(profile: InvestorProfile, principal: Principal) -> bool:
    if profile.owner_user_id is not None:
        return profile.owner_user_id == principal.user_id
    return profile.owner_organisation_id is not None and principal.acts_for(
        profile.owner_organisation_id, *INVESTING_ROLES
    )


def owned_profiles_clause(principal: Principal) -> Any:
    """Investor profiles the caller owns: its personal one and those of organisations it invests for."""
    orgs = principal.organisations(*INVESTING_ROLES)
    return or_(
        InvestorProfile.owner_user_id == principal.user_id,
        InvestorProfile.owner_organisation_id.in_(orgs) if orgs else false(),  # type: ignore[union-attr]
    )


async def owned_profile(
    session: AsyncSession, principal: Principal, profile_id: uuid.UUID, *, admin: bool = False
) -> InvestorProfile:
    """The profile if the caller owns it (or is an admin and ``admin``); else 404 as if unknown."""
    profile = await session.get(InvestorProfile, profile_id)
    if profile is None or not (is_owner(profile, principal) or (admin and principal.is_admin)):
        raise MESSAGES.error(NotFound, "investor_profile.not_found")
    return profile


class InvestorService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _visible(self, principal: Principal) -> Any:
        if principal.is_admin:
            return True
        own_orgs = principal.organisations(*INVESTING_ROLES)
        return or_(
            InvestorProfile.discoverable.is_(True),  # type: ignore[attr-defined]
            InvestorProfile.owner_user_id == principal.user_id,
            InvestorProfile.owner_organisation_id.in_(own_orgs) if own_orgs else False,  # type: ignore[union-attr]
        )

    async def page(
        self,
        principal: Principal,
        *,
        sector: Sector | None,
        prefecture: int | None,
        instrument: Instrument | None,
        investor_type: InvestorType | None,
        ticket: int | None,
        limit: int,
        offset: int,
        mine: bool = False,
    ) -> tuple[list[InvestorProfile], int]:
        clauses: list[Any] = [owned_profiles_clause(principal) if mine else self._visible(principal)]
        if sector is not None:
            clauses.append(InvestorProfile.sectors.contains([sector.value]))  # type: ignore[attr-defined]
        if prefecture is not None:
            clauses.append(InvestorProfile.prefecture_codes.contains([prefecture]))  # type: ignore[attr-defined]
        if instrument is not None:
            clauses.append(InvestorProfile.instruments.contains([instrument.value]))  # type: ignore[attr-defined]
        if investor_type is not None:
            clauses.append(InvestorProfile.investor_type == investor_type)
        if ticket is not None:
            clauses.append(and_(InvestorProfile.ticket_min_yen <= ticket, InvestorProfile.ticket_max_yen >= ticket))
        where = and_(*clauses)
        total = (
            await self.session.execute(select(func.count()).select_from(InvestorProfile).where(where))
        ).scalar_one()
        rows = await self.session.execute(
            select(InvestorProfile)
            .where(where)
            .order_by(InvestorProfile.created_at.desc(), InvestorProfile.id)  # type: ignore[attr-defined]
            .limit(limit)
            .offset(offset)
        )
        return list(rows.scalars()), int(total)

    async def get(self, principal: Principal, profile_id: uuid.UUID) -> InvestorProfile:
        profile = await self.session.get(InvestorProfile, profile_id)
        if profile is None or not (profile.discoverable or principal.is_admin or is_owner(profile, principal)):
            raise MESSAGES.error(NotFound, "investor_profile.not_found")
        return profile

    @staticmethod
    def _check_tickets(values: dict[str, Any]) -> None:
        if values["ticket_min_yen"] > values["ticket_max_yen"]:
            raise MESSAGES.invalid("ticket_min_yen", "investor.ticket_range_reversed")

    async def create(self, principal: Principal, data: InvestorProfileCreate) -> InvestorProfile:
        values = msgspec.structs.asdict(data)
        organisation_id = values.pop("organisation_id")
        self._check_tickets(values)
        if organisation_id is not None:
            if not principal.acts_for(organisation_id, *INVESTING_ROLES):
                raise MESSAGES.error(Forbidden, "investor.not_investor_of_organisation")
            owner = InvestorProfile.owner_organisation_id == organisation_id
        else:
            principal.require_role(*INVESTING_ROLES)
            owner = InvestorProfile.owner_user_id == principal.user_id
        if await self.session.scalar(select(InvestorProfile.id).where(owner)) is not None:
            raise MESSAGES.error(Conflict, "investor.profile_exists")
        profile = InvestorProfile(
            **values,
            owner_user_id=None if organisation_id else principal.user_id,
            owner_organisation_id=organisation_id,
            created_by=principal.user_id,
        )
        self.session.add(profile)
        await self.session.flush()
        return profile

    async def update(self, principal: Principal, profile_id: uuid.UUID, data: InvestorProfileUpdate) -> InvestorProfile:
        profile = await self.get(principal, profile_id)
        if not (principal.is_admin or is_owner(profile, principal)):
            raise MESSAGES.error(Forbidden, "investor.not_owner")
        changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
        self._check_tickets({**profile.model_dump(), **changes})
        for key, value in changes.items():
            setattr(profile, key, value)
        profile.updated_at = utcnow()
        await self.session.flush()
        return profile

    async def delete(self, principal: Principal, profile_id: uuid.UUID) -> None:
        profile = await self.get(principal, profile_id)
        if not (principal.is_admin or is_owner(profile, principal)):
            raise MESSAGES.error(Forbidden, "investor.not_owner#delete")
        await self.session.delete(profile)
        await self.session.flush()

    async def become_individual(self, principal: Principal) -> tuple[Organisation, Membership, bool]:
        """The caller's personal organisation (kind ``individual``) and its investor role there,
        made on the first call: ``(organisation, membership, created)``. Idempotent; concurrent
        calls for one user are serialised on the user's row, so they never make two."""
        await self.session.execute(select(User.id).where(User.id == principal.user_id).with_for_update())
        found = (
            await self.session.execute(
                select(Organisation, Membership)
                .join(Membership, Membership.organisation_id == Organisation.id)
                .where(
                    Membership.user_id == principal.user_id,
                    Membership.role == Role.investor,
                    Organisation.kind == OrgKind.individual,
                )
                .order_by(Membership.created_at)
                .limit(1)
            )
        ).first()
        if found is not None:
            return found[0], found[1], False
        # A neutral name: the organisation register is public, a person's name is not.
        name = MESSAGES.text("investor.individual_organisation")
        organisation = Organisation(kind=OrgKind.individual, name_ja=name.ja, name_en=name.en)
        self.session.add(organisation)
        await self.session.flush()
        membership = Membership(user_id=principal.user_id, organisation_id=organisation.id, role=Role.investor)
        self.session.add(membership)
        await self.session.flush()
        await audit.append(
            self.session,
            actor_id=principal.user_id,
            action="investor.become_individual",
            object_type="organisation",
            object_id=organisation.id,
            payload={"user_id": str(principal.user_id), "role": Role.investor.value},
        )
        return organisation, membership, True

    async def personal_profile_id(self, principal: Principal) -> uuid.UUID | None:
        return await self.session.scalar(
            select(InvestorProfile.id).where(InvestorProfile.owner_user_id == principal.user_id)
        )
