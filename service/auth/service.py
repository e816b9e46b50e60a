"""Accounts and sessions: password check, session start and end, the caller's own account.

Sign-up is in :mod:`service.auth.signup`, rate limits in :mod:`service.auth.throttle`."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.passwords import hash_password, needs_rehash, verify_password
from service.auth.schemas import Me, MembershipView
from service.auth.tokens import TokenCodec
from service.common_messages import COMMON
from service.errors import Unauthenticated
from service.models import AuthSession, Membership, Organisation, User
from service.models.base import utcnow
from service.models.enums import Role


@dataclass(frozen=True, slots=True)
class IssuedSession:
    token: str
    session_id: uuid.UUID
    expires_at: datetime
    csrf_token: str


class AuthService:
    def __init__(self, session: AsyncSession, codec: TokenCodec, *, ttl_seconds: int) -> None:
        self.session = session
        self.codec = codec
        self.ttl = timedelta(seconds=ttl_seconds)

    async def authenticate(self, email: str, password: str) -> User | None:
        """The active account of ``email`` (normalised) if ``password`` is right; argon2 runs
        whether or not the account exists, so the timing does not tell."""
        user = (await self.session.execute(select(User).where(User.email == email))).scalar_one_or_none()
        ok = verify_password(user.password_hash if user else None, password)
        if not ok or user is None or not user.is_active:
            return None
        if user.password_hash and needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        return user

    async def start_session(self, user: User, *, method: str, previous: uuid.UUID | None) -> IssuedSession:
        now = utcnow()
        if previous is not None:
            # Rotation: whatever session the browser held before this login ends now.
            await self.session.execute(
                update(AuthSession)
                .where(AuthSession.id == previous, AuthSession.revoked_at.is_(None))
                .values(revoked_at=now)
            )  # type: ignore[union-attr]
        auth_session = AuthSession(user_id=user.id, method=method, created_at=now, expires_at=now + self.ttl)
        self.session.add(auth_session)
        await self.session.flush()
        token = self.codec.issue(user.id, auth_session.id, issued_at=now, expires_at=auth_session.expires_at)
        return IssuedSession(token, auth_session.id, auth_session.expires_at, self.codec.csrf_token(auth_session.id))

    async def end_session(self, session_id: uuid.UUID) -> None:
        await self.session.execute(update(AuthSession).where(AuthSession.id == session_id).values(revoked_at=utcnow()))

    async def me(self, user_id: uuid.UUID) -> Me:
        user = await self.session.get(User, user_id)
        if user is None:
            raise COMMON.error(Unauthenticated, "auth.unauthenticated")
        rows = (
            await self.session.execute(
                select(Membership.organisation_id, Membership.role, Organisation.name_ja, Organisation.name_en)
                .join(Organisation, Organisation.id == Membership.organisation_id)
                .where(Membership.user_id == user_id)
                .order_by(Organisation.name_ja)
            )
        ).all()
        memberships = [MembershipView(r.organisation_id, r.name_ja, r.name_en, Role(r.role)) for r in rows]
        return Me(
            id=user.id,
            email=user.email,
            display_name=user.display_name,
            preferred_language=user.preferred_language,
            roles=sorted({m.role for m in memberships}),
            memberships=memberships,
        )
