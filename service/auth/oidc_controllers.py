"""The OIDC login round trip, and confirming or declining a link offered to the signed-in account.

A callback whose identity is not linked yet, arriving in a browser that is signed in locally,
signs nobody in: it stores a pending link and sends the browser to ``GET /api/v1/auth/oidc/link``
(what would be linked); ``POST`` there (with the CSRF header) links, ``DELETE`` declines.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from litestar import Controller, Request, delete, get, post
from litestar.datastructures import Cookie, State
from litestar.response import Redirect
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT
from sqlalchemy import delete as sql_delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from service.auth.messages import MESSAGES
from service.auth.oidc import AuthRequest, OIDCClient, OIDCError
from service.auth.oidc_accounts import ExternalIdentity, LinkOffered, OIDCAccounts
from service.auth.principal import Principal
from service.auth.schemas import OIDCLinkView
from service.auth.session_http import auth_service, previous_session, session_cookies
from service.errors import DomainError, NotFound, Unauthenticated
from service.models import OIDCPending
from service.models.base import utcnow

OIDC_STATE_COOKIE = "kyoso_oidc_state"
LINK_PATH = "/api/v1/auth/oidc/link"
#: How long the first leg of an OIDC login may wait for its callback.
OIDC_PENDING_TTL = timedelta(minutes=10)


def _oidc_client(state: State) -> OIDCClient:
    client: OIDCClient | None = state.get("oidc_client")
    if client is None:
        raise MESSAGES.error(NotFound, "oidc_provider.not_found")
    return client


def _oidc_failure(exc: OIDCError) -> DomainError:
    return Unauthenticated(exc.code, exc.message_ja, exc.message_en)


async def _take_pending(maker: async_sessionmaker[AsyncSession], state_value: str) -> AuthRequest | None:
    """Consume the pending login in its own transaction: single use even when the login fails."""
    async with maker() as session, session.begin():
        row = (
            await session.execute(
                sql_delete(OIDCPending)
                .where(OIDCPending.state == state_value)
                .returning(
                    OIDCPending.authorization_url, OIDCPending.nonce, OIDCPending.code_verifier, OIDCPending.created_at
                )
            )
        ).first()
    if row is None or row.created_at < utcnow() - OIDC_PENDING_TTL:
        return None
    return AuthRequest(url=row.authorization_url, state=state_value, nonce=row.nonce, code_verifier=row.code_verifier)


class OIDCController(Controller):
    path = "/auth/oidc"
    tags = ["auth"]

    @get("/login", summary="Start an OIDC login (authorization code + PKCE S256 + nonce)", status_code=302)
    async def begin(self, db_session: AsyncSession, state: State) -> Redirect:
        client = _oidc_client(state)
        try:
            pending = await client.begin()
        except OIDCError as exc:
            raise _oidc_failure(exc) from exc
        await db_session.execute(sql_delete(OIDCPending).where(OIDCPending.created_at < utcnow() - OIDC_PENDING_TTL))
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
                    max_age=int(OIDC_PENDING_TTL.total_seconds()),
                )
            ],
        )

    @get(
        "/callback",
        summary="Finish an OIDC login: sign in the linked (or a new) account, or offer a link to the "
        "account signed in in this browser",
        status_code=302,
    )
    async def callback(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        state: State,
        principal: Principal | None,
        code: str | None = None,
        error: str | None = None,
    ) -> Redirect:
        client = _oidc_client(state)
        returned_state = request.query_params.get("state")
        cookie_state = request.cookies.get(OIDC_STATE_COOKIE)
        if not cookie_state:
            raise MESSAGES.error(Unauthenticated, "oidc.state_mismatch#no_cookie")
        pending = await _take_pending(state.session_maker, cookie_state)
        if pending is None:
            raise MESSAGES.error(Unauthenticated, "oidc.state_mismatch#expired")
        try:
            identity = await client.complete(pending=pending, code=code, state=returned_state, error=error)
        except OIDCError as exc:
            raise _oidc_failure(exc) from exc
        external = ExternalIdentity(
            identity.issuer, identity.subject, identity.email, identity.email_verified, identity.name
        )
        # Only a session cookie proves "signed in in this browser"; a bearer token is not a browser.
        signed_in = principal if principal is not None and principal.via_cookie else None
        outcome = await OIDCAccounts(db_session).resolve(external, signed_in)
        clear_state = Cookie(key=OIDC_STATE_COOKIE, value="", max_age=0, path="/api/v1/auth/oidc")
        if isinstance(outcome, LinkOffered):
            return Redirect(LINK_PATH, cookies=[clear_state])
        issued = await auth_service(db_session, state).start_session(
            outcome.user, method="oidc", previous=previous_session(request, state)
        )
        cookies = session_cookies(issued, secure=state.settings.cookie_secure)
        cookies.append(clear_state)
        return Redirect("/", cookies=cookies)

    @get("/link", summary="The external sign-in waiting to be linked to this session's account")
    async def pending_link(self, user: Principal, db_session: AsyncSession) -> OIDCLinkView:
        return await OIDCAccounts(db_session).pending(user)

    @post(
        "/link",
        status_code=HTTP_201_CREATED,
        summary="Link the waiting external sign-in to this account (same session, CSRF header)",
    )
    async def confirm_link(self, user: Principal, db_session: AsyncSession) -> OIDCLinkView:
        return await OIDCAccounts(db_session).confirm(user)

    @delete("/link", status_code=HTTP_204_NO_CONTENT, summary="Decline the waiting external sign-in")
    async def decline_link(self, user: Principal, db_session: AsyncSession) -> None:
        await OIDCAccounts(db_session).decline(user)
