"""Sign-up with email verification, password login with backoff, logout, me.

The OIDC round trip and identity linking are in :mod:`service.auth.oidc_controllers`."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, Router, get, post
from litestar.datastructures import Cookie, State
from litestar.status_codes import HTTP_201_CREATED, HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.emails import valid_email
from service.auth.messages import MESSAGES
from service.auth.oidc_controllers import OIDCController
from service.auth.principal import CSRF_COOKIE, SESSION_COOKIE, Principal
from service.auth.schemas import (
    LoginRequest,
    LoginResponse,
    Me,
    SignupAccepted,
    SignupRequest,
    VerifyEmailRequest,
)
from service.auth.session_http import auth_service as _auth_service
from service.auth.session_http import previous_session as _previous_session
from service.auth.session_http import session_cookies as _session_cookies
from service.auth.signup import SignupService
from service.auth.throttle import LOGIN, SIGNUP, BackoffPolicy, login_key, reserve_login_attempt, reserve_window, reset
from service.errors import TooManyRequests, Unauthenticated
from service.net import client_ip, rate_limit_bucket


class AuthController(Controller):
    path = "/auth"

    @post(
        "/signup",
        status_code=HTTP_202_ACCEPTED,
        summary="Sign up: always 202; the next step (verify, or sign in) is in the mailbox",
    )
    async def signup(
        self, request: Request[Any, Any, Any], data: SignupRequest, db_session: AsyncSession, state: State
    ) -> SignupAccepted:
        settings = state.settings
        email = valid_email(data.email)
        decision = await reserve_window(
            state.session_maker,
            SIGNUP,
            rate_limit_bucket(client_ip(request, settings.trusted_proxies)),
            limit=settings.signup_max_per_ip,
            window_seconds=settings.signup_window_seconds,
        )
        if not decision.allowed:
            raise MESSAGES.error(TooManyRequests, "auth.too_many_signups", retry_after=decision.retry_after)
        await SignupService(db_session, public_url=settings.public_url).request(email, data)
        detail = MESSAGES.text("auth.signup_accepted")
        return SignupAccepted(status="verification_sent", email=email, detail_ja=detail.ja, detail_en=detail.en)

    @post(
        "/verify-email",
        status_code=HTTP_201_CREATED,
        summary="Finish a sign-up with the emailed token: creates the account",
    )
    async def verify_email(self, data: VerifyEmailRequest, db_session: AsyncSession, state: State) -> Me:
        user = await SignupService(db_session, public_url=state.settings.public_url).verify(data)
        return await _auth_service(db_session, state).me(user.id)

    @post("/login", status_code=200, summary="Password login: returns a Bearer token and sets the session cookie")
    async def login(
        self, request: Request[Any, Any, Any], data: LoginRequest, db_session: AsyncSession, state: State
    ) -> Response[Any]:
        settings = state.settings
        email = valid_email(data.email)
        # An IPv6 client counts as its /64: rotating addresses inside it does not reset the count.
        ip = rate_limit_bucket(client_ip(request, settings.trusted_proxies))
        policy = BackoffPolicy(
            free=settings.login_max_failures,
            base_seconds=settings.login_backoff_base_seconds,
            cap_seconds=settings.login_backoff_cap_seconds,
            window_seconds=settings.login_window_seconds,
        )
        # Counted (and committed) before the password is evaluated: parallel guesses cannot
        # all read "under the limit" first.
        decision = await reserve_login_attempt(state.session_maker, email, ip, policy)
        if not decision.allowed:
            raise MESSAGES.error(TooManyRequests, "auth.too_many_attempts", retry_after=decision.retry_after)
        service = _auth_service(db_session, state)
        user = await service.authenticate(email, data.password)
        if user is None:
            raise MESSAGES.error(Unauthenticated, "auth.bad_credentials")
        await reset(db_session, LOGIN, login_key(email, ip))
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


router = Router(path="/api/v1", route_handlers=[AuthController, OIDCController], tags=["auth"])
