"""Who is calling: the :class:`Principal` resolved once per request from a token or cookie."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.datastructures import State
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.tokens import InvalidToken, TokenCodec
from service.common_messages import COMMON
from service.errors import Forbidden, Unauthenticated
from service.models import AuthSession, Membership, User
from service.models.base import utcnow
from service.models.enums import Role

SESSION_COOKIE = "kyoso_session"
CSRF_COOKIE = "kyoso_csrf"
CSRF_HEADER = "x-csrf-token"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True, slots=True)
class MembershipInfo:
    organisation_id: uuid.UUID
    role: Role


@dataclass(frozen=True, slots=True)
class Principal:
    user_id: uuid.UUID
    session_id: uuid.UUID
    email: str
    display_name: str
    memberships: tuple[MembershipInfo, ...]
    via_cookie: bool

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(m.role for m in self.memberships)

    @property
    def is_admin(self) -> bool:
        return Role.admin in self.roles

    def organisations(self, *roles: Role) -> frozenset[uuid.UUID]:
        """Organisations this user acts for in any of ``roles`` (all roles when none given)."""
        return frozenset(m.organisation_id for m in self.memberships if not roles or m.role in roles)

    def acts_for(self, organisation_id: uuid.UUID, *roles: Role) -> bool:
        return organisation_id in self.organisations(*roles)

    def require_role(self, *roles: Role) -> None:
        if not self.roles.intersection(roles):
            names = ", ".join(r.value for r in roles)
            raise COMMON.error(Forbidden, "auth.role_required", names=names)


def _token_from(request: Request[Any, Any, Any]) -> tuple[str | None, bool]:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip(), False
    return request.cookies.get(SESSION_COOKIE), True


async def resolve_principal(request: Request[Any, Any, Any]) -> None:
    """``before_request`` hook: who is calling, kept on ``request.state.principal``.

    It runs before dependency injection on purpose: an exception raised while Litestar resolves
    dependencies would leave already-started generator dependencies (the request's database
    session) suspended instead of closed. Enforces CSRF on cookie-authenticated writes.
    """
    if request.state.get("principal_resolved"):
        return  # a guard (service.auth.guards) resolved the caller already
    request.state.principal_resolved = True
    if _token_from(request)[0] is None:
        return  # anonymous: no session, no query
    state: State = request.app.state
    async with state.read_session_maker() as session:
        request.state.principal = await _principal(request, session, state)


async def provide_principal(request: Request[Any, Any, Any]) -> Principal | None:
    """Dependency: the caller found by :func:`resolve_principal`, or ``None`` when anonymous."""
    if request.state.get("csrf_failed"):
        raise COMMON.error(Forbidden, "auth.csrf_failed")
    principal: Principal | None = request.state.get("principal")
    return principal


async def _principal(request: Request[Any, Any, Any], db_session: AsyncSession, state: State) -> Principal | None:
    token, via_cookie = _token_from(request)
    if not token:
        return None
    codec: TokenCodec = state.token_codec
    try:
        claims = codec.verify(token)
    except InvalidToken:
        if via_cookie:
            return None  # a stale cookie is simply no sign-in
        raise COMMON.error(Unauthenticated, "auth.invalid_token") from None
    row = (
        await db_session.execute(
            select(User.id, User.email, User.display_name)
            .join(AuthSession, AuthSession.user_id == User.id)
            .where(
                AuthSession.id == claims.session_id,
                AuthSession.user_id == claims.user_id,
                AuthSession.revoked_at.is_(None),  # type: ignore[union-attr]
                AuthSession.expires_at > utcnow(),
                User.is_active.is_(True),  # type: ignore[attr-defined]
            )
        )
    ).first()
    if row is None:
        if via_cookie:
            return None
        raise COMMON.error(Unauthenticated, "auth.session_ended")
    if (
        via_cookie
        and request.method not in _SAFE_METHODS
        and not codec.csrf_ok(claims.session_id, request.headers.get(CSRF_HEADER))
    ):
        # Enforced when a handler asks for the caller (provide_principal), so endpoints that do not
        # act as the caller, such as a fresh login from a browser still holding a cookie, pass.
        request.state.csrf_failed = True
        return None
    memberships = (
        await db_session.execute(
            select(Membership.organisation_id, Membership.role).where(Membership.user_id == row.id)
        )
    ).all()
    return Principal(
        user_id=row.id,
        session_id=claims.session_id,
        email=row.email,
        display_name=row.display_name,
        memberships=tuple(MembershipInfo(m.organisation_id, Role(m.role)) for m in memberships),
        via_cookie=via_cookie,
    )


async def provide_user(principal: Principal | None) -> Principal:
    """Dependency for endpoints that need a signed-in caller."""
    if principal is None:
        raise COMMON.error(Unauthenticated, "auth.unauthenticated")
    return principal
