"""Sign-up, password login, logout, me, and the OIDC login round trip."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from litestar import Controller, Request, Response, Router, get, post
from litestar.datastructures import Cookie, State
from litestar.response import Redirect
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from service.auth.oidc import AuthRequest, OIDCClient, OIDCError
from service.auth.principal import CSRF_COOKIE, SESSION_COOKIE, Principal
from service.auth.schemas import LoginRequest, LoginResponse, Me, SignupRequest
from service.auth.service import AuthService, IssuedSession, normalise_email
from service.auth.tokens import InvalidToken
from service.errors import DomainError, NotFound, Unauthenticated, domain_error_handler
from service.models import OIDCIdentity, OIDCPending, User
from service.models.base import utcnow

OIDC_STATE_COOKIE = "kyoso_oidc_state"
_OIDC_PENDING_TTL = timedelta(minutes=10)


def _auth_service(db_session: AsyncSession, state: State) -> AuthService:
    return AuthService(db_session, state.token_codec, ttl_seconds=state.settings.token_ttl_seconds)


def _session_cookies(issued: IssuedSession, *, secure: bool) -> list[Cookie]:
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


def _previous_session(request: Request[Any, Any, Any], state: State) -> uuid.UUID | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    try:
        return state.token_codec.verify(token).session_id  # type: ignore[no-any-return]
    except InvalidToken:
        return None


class AuthController(Controller):
    path = "/auth"

    @post("/signup", status_code=HTTP_201_CREATED, summary="Create a local account (optionally with an organisation)")
    async def signup(self, data: SignupRequest, db_session: AsyncSession, state: State) -> Me:
        service = _auth_service(db_session, state)
        user = await service.signup(data)
        return await service.me(user.id)

    @post("/login", status_code=200, summary="Password login: returns a Bearer token and sets the session cookie")
    async def login(
        self, request: Request[Any, Any, Any], data: LoginRequest, db_session: AsyncSession, state: State
    ) -> Response[Any]:
        service = _auth_service(db_session, state)
        ip = request.client.host if request.client else "unknown"
        email = normalise_email(data.email)
        settings = state.settings
        await service.check_rate_limit(
            email, ip, max_failures=settings.login_max_failures, window_seconds=settings.login_window_seconds
        )
        user = await service.authenticate(data)
        if user is None:
            await service.record_failure(email, ip)
            # Returned, not raised: the request's transaction must commit the failed attempt.
            return domain_error_handler(
                request,
                Unauthenticated(
                    "auth.bad_credentials", "メールアドレスまたはパスワードが違います。", "Wrong email or password."
                ),
            )
        issued = await service.start_session(user, method="password", previous=_previous_session(request, state))
        body = LoginResponse(
            access_token=issued.token,
            token_type="Bearer",
            expires_at=issued.expires_at,
            csrf_token=issued.csrf_token,
            user=await service.me(user.id),
        )
        return Response(body, cookies=_session_cookies(issued, secure=settings.cookie_secure))

    @post("/logout", status_code=HTTP_204_NO_CONTENT, summary="End this session (token and cookie)")
    async def logout(self, user: Principal, db_session: AsyncSession, state: State) -> Response[None]:
        await _auth_service(db_session, state).end_session(user.session_id)
        return Response(
            None,
            status_code=HTTP_204_NO_CONTENT,
            cookies=[
                Cookie(
                    key=SESSION_COOKIE,
                    value="",
                    max_age=0,
                    path="/",
                    httponly=True,
                    secure=state.settings.cookie_secure,
                ),
                Cookie(key=CSRF_COOKIE, value="", max_age=0, path="/", secure=state.settings.cookie_secure),
            ],
        )

    @get("/me", summary="The signed-in user, their organisations and roles")
    async def me(self, user: Principal, db_session: AsyncSession, state: State) -> Me:
        return await _auth_service(db_session, state).me(user.user_id)


def _oidc_client(state: State) -> OIDCClient:
    client: OIDCClient | None = state.get("oidc_client")
    if client is None:
        raise NotFound("oidc_provider", "OIDC プロバイダ")
    return client


def _oidc_failure(exc: OIDCError) -> DomainError:
    return Unauthenticated(exc.code, exc.message_ja, exc.message_en)


class OIDCController(Controller):
    path = "/auth/oidc"

    @get("/login", summary="Start an OIDC login (authorization code + PKCE S256 + nonce)", status_code=302)
    async def begin(self, db_session: AsyncSession, state: State) -> Redirect:
        client = _oidc_client(state)
        try:
            pending = await client.begin()
        except OIDCError as exc:
            raise _oidc_failure(exc) from exc
        await db_session.execute(delete(OIDCPending).where(OIDCPending.created_at < utcnow() - _OIDC_PENDING_TTL))
        db_session.add(
            OIDCPending(
                state=pending.state,
                nonce=pending.nonce,
                code_verifier=pending.code_verifier,
                authorization_url=pending.url,
            )
        )
        return Redirect(
            pending.url,
            cookies=[
                Cookie(
                    key=OIDC_STATE_COOKIE,
                    value=pending.state,
                    httponly=True,
                    secure=state.settings.cookie_secure,
                    samesite="lax",
                    path="/api/v1/auth/oidc",
                    max_age=int(_OIDC_PENDING_TTL.total_seconds()),
                )
            ],
        )

    @get("/callback", summary="Finish an OIDC login; sets the session cookie and returns to the site", status_code=302)
    async def callback(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        state: State,
        code: str | None = None,
        error: str | None = None,
    ) -> Redirect:
        client = _oidc_client(state)
        returned_state = request.query_params.get("state")
        cookie_state = request.cookies.get(OIDC_STATE_COOKIE)
        if not cookie_state:
            raise Unauthenticated(
                "oidc.state_mismatch",
                "ログイン要求が見つかりません。最初からやり直してください。",
                "No login in progress in this browser; start again.",
            )
        pending = await _take_pending(state.session_maker, cookie_state)
        if pending is None:
            raise Unauthenticated(
                "oidc.state_mismatch", "ログイン要求の期限が切れています。", "The login request expired."
            )
        try:
            identity = await client.complete(pending=pending, code=code, state=returned_state, error=error)
        except OIDCError as exc:
            raise _oidc_failure(exc) from exc
        user = await _user_for_identity(
            db_session, identity.issuer, identity.subject, identity.email, identity.email_verified, identity.name
        )
        issued = await _auth_service(db_session, state).start_session(
            user, method="oidc", previous=_previous_session(request, state)
        )
        cookies = _session_cookies(issued, secure=state.settings.cookie_secure)
        cookies.append(Cookie(key=OIDC_STATE_COOKIE, value="", max_age=0, path="/api/v1/auth/oidc"))
        return Redirect("/", cookies=cookies)


async def _take_pending(maker: async_sessionmaker[AsyncSession], state_value: str) -> AuthRequest | None:
    """Consume the pending login in its own transaction: single use even when the login fails."""
    async with maker() as session, session.begin():
        row = (
            await session.execute(
                delete(OIDCPending)
                .where(OIDCPending.state == state_value)
                .returning(
                    OIDCPending.authorization_url, OIDCPending.nonce, OIDCPending.code_verifier, OIDCPending.created_at
                )
            )
        ).first()
    if row is None or row.created_at < utcnow() - _OIDC_PENDING_TTL:
        return None
    return AuthRequest(url=row.authorization_url, state=state_value, nonce=row.nonce, code_verifier=row.code_verifier)


async def _user_for_identity(
    session: AsyncSession, issuer: str, subject: str, email: str | None, email_verified: bool, name: str | None
) -> User:
    link = (
        await session.execute(
            select(OIDCIdentity).where(OIDCIdentity.issuer == issuer, OIDCIdentity.subject == subject)
        )
    ).scalar_one_or_none()
    if link is not None:
        user = await session.get(User, link.user_id)
        if user is None or not user.is_active:
            raise Unauthenticated("auth.account_disabled", "このアカウントは無効です。", "This account is disabled.")
        return user
    user = None
    if email and email_verified:
        # Only a provider-verified address may claim an existing local account.
        user = (await session.execute(select(User).where(User.email == normalise_email(email)))).scalar_one_or_none()
    if user is None:
        fallback = f"{uuid.uuid5(uuid.NAMESPACE_URL, issuer + '#' + subject).hex}@oidc.invalid"
        user = User(
            email=normalise_email(email) if email and email_verified else fallback,
            display_name=name or (email or subject),
            password_hash=None,
        )
        session.add(user)
        await session.flush()
    session.add(OIDCIdentity(user_id=user.id, issuer=issuer, subject=subject))
    await session.flush()
    return user


router = Router(path="/api/v1", route_handlers=[AuthController, OIDCController], tags=["auth"])
