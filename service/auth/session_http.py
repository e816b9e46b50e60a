"""What the auth controllers share: the service for a request, session cookies, the session a
browser held before signing in again."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request
from litestar.datastructures import Cookie, State
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.principal import CSRF_COOKIE, SESSION_COOKIE
from service.auth.service import AuthService, IssuedSession
from service.auth.tokens import InvalidToken
from service.models.base import utcnow


def auth_service(db_session: AsyncSession, state: State) -> AuthService:
    return AuthService(db_session, state.token_codec, ttl_seconds=state.settings.token_ttl_seconds)


def session_cookies(issued: IssuedSession, *, secure: bool) -> list[Cookie]:
    max_age = max(int((issued.expires_at - utcnow()).total_seconds()), 0)
    return [
        Cookie(
            key=SESSION_COOKIE,
            value=issued.token,
            httponly=True,
            secure=secure,
            samesite="lax",
            path="/",
            max_age=max_age,
        ),
        # Readable by page scripts so HTMX can echo it in X-CSRF-Token (double submit, HMAC-bound).
        Cookie(
            key=CSRF_COOKIE,
            value=issued.csrf_token,
            httponly=False,
            secure=secure,
            samesite="lax",
            path="/",
            max_age=max_age,
        ),
    ]


def previous_session(request: Request[Any, Any, Any], state: State) -> uuid.UUID | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    try:
        return state.token_codec.verify(token).session_id  # type: ignore[no-any-return]
    except InvalidToken:
        return None
