"""Accounts and sessions: sign-up, password login with a database-backed rate limit, logout."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.passwords import hash_password, needs_rehash, verify_password
from service.auth.schemas import LoginRequest, Me, MembershipView, SignupRequest
from service.auth.tokens import TokenCodec
from service.errors import Conflict, Forbidden, InvalidInput, TooManyRequests, Unauthenticated
from service.models import AuthSession, LoginAttempt, Membership, Organisation, User
from service.models.base import utcnow
from service.models.enums import Role
from service.organisations.service import OrganisationService


@dataclass(frozen=True, slots=True)
class IssuedSession:
    token: str
    session_id: uuid.UUID
    expires_at: datetime
    csrf_token: str


def normalise_email(email: str) -> str:
    return email.strip().lower()


class AuthService:
    def __init__(self, session: AsyncSession, codec: TokenCodec, *, ttl_seconds: int) -> None:
        self.session = session
        self.codec = codec
        self.ttl = timedelta(seconds=ttl_seconds)

    async def signup(self, data: SignupRequest) -> User:
        email = normalise_email(data.email)
        if await self.session.scalar(select(User.id).where(User.email == email)) is not None:
            raise Conflict(
                "auth.email_taken",
                "このメールアドレスはすでに登録されています。",
                "An account with this email already exists.",
            )
        if data.organisation is not None and not grantable_on_signup(data.organisation.role):
            raise Forbidden(
                "auth.role_not_self_service",
                "銀行・管理者の役割は管理者が付与します。",
                "Bank and admin roles are granted by an admin.",
            )
        user = User(
            email=email,
            display_name=data.display_name,
            password_hash=hash_password(data.password),
            preferred_language=data.preferred_language,
        )
        self.session.add(user)
        await self.session.flush()
        if data.organisation is not None:
            try:
                org = await OrganisationService(self.session).create(data.organisation.organisation)
            except InvalidInput as exc:
                raise exc.nested_in("organisation.organisation") from None
            self.session.add(Membership(user_id=user.id, organisation_id=org.id, role=data.organisation.role))
            await self.session.flush()
        return user

    async def check_rate_limit(self, email: str, ip: str, *, max_failures: int, window_seconds: int) -> None:
        since = utcnow() - timedelta(seconds=window_seconds)
        failures = await self.session.scalar(
            select(func.count())
            .select_from(LoginAttempt)
            .where(LoginAttempt.at > since, or_(LoginAttempt.email == email, LoginAttempt.ip == ip))
        )
        # Per-IP allowance is wider than per-account so one office behind NAT is not locked out.
        by_email = await self.session.scalar(
            select(func.count()).select_from(LoginAttempt).where(LoginAttempt.at > since, LoginAttempt.email == email)
        )
        if (by_email or 0) >= max_failures or (failures or 0) >= max_failures * 4:
            raise TooManyRequests(
                "auth.too_many_attempts",
                "ログイン試行が多すぎます。しばらくしてから再度お試しください。",
                "Too many failed logins. Try again later.",
                retry_after=window_seconds,
            )

    async def authenticate(self, data: LoginRequest) -> User | None:
        email = normalise_email(data.email)
        user = (await self.session.execute(select(User).where(User.email == email))).scalar_one_or_none()
        ok = verify_password(user.password_hash if user else None, data.password)
        if not ok or user is None or not user.is_active:
            return None
        if user.password_hash and needs_rehash(user.password_hash):
            user.password_hash = hash_password(data.password)
        return user

    async def record_failure(self, email: str, ip: str) -> None:
        self.session.add(LoginAttempt(email=normalise_email(email), ip=ip))
        await self.session.flush()

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
            raise Unauthenticated()
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


def grantable_on_signup(role: Role) -> bool:
    """Self-service sign-up may take these roles for the organisation it creates."""
    return role in (Role.investor, Role.project_lead)
