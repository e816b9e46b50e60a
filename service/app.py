"""The Litestar application factory.

``create_app(settings)`` builds the app; the engine is created on start-up unless one is
given (tests pass a session maker bound to a connection they roll back).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar, Router, get
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from service.audit.controllers import router as audit_router
from service.audit.keys import SESSION_INFO_KEY as AUDIT_KEYRING
from service.audit.keys import install as install_audit_keyring
from service.audit.keys import keyring_of
from service.auth.controllers import router as auth_router
from service.auth.principal import (
    CSRF_COOKIE,
    CSRF_HEADER,
    SESSION_COOKIE,
    provide_principal,
    provide_user,
    resolve_principal,
)
from service.auth.tokens import TokenCodec
from service.claims.controllers import router as claims_router
from service.common_messages import COMMON
from service.contract import BEARER, COOKIE, MsgspecStructSchemaPlugin, UploadFormSchemaPlugin, apply_contract
from service.db.engine import create_engine, provide_read_session, provide_session, session_factory
from service.deal_rooms.controllers import router as deal_rooms_router
from service.deal_rooms.documents.controllers import router as deal_room_documents_router
from service.deal_rooms.live.controllers import router as deal_room_live_router
from service.deal_rooms.live.runtime import live_lifespan
from service.deal_rooms.qa.controllers import router as deal_room_qa_router
from service.errors import EXCEPTION_HANDLERS, DomainError
from service.events.controllers import provide_view_recorder
from service.events.controllers import router as events_router
from service.idempotency import IdempotencyPlugin
from service.impact.controllers import router as impact_router
from service.investors.controllers import router as investors_router
from service.maintenance import Maintenance
from service.matching.controllers import router as matching_router
from service.notifications import MAIL_INFO_KEY as NOTIFICATION_MAIL
from service.notifications.controllers import router as notifications_router
from service.organisations.controllers import router as organisations_router
from service.outbox import OutboxDrainer
from service.projects.controllers import router as projects_router
from service.regions.controllers import router as regions_router
from service.request_checks import check_request, run_in_order
from service.settings import Settings
from service.vetting.controllers import router as vetting_router
from service.web.assets import swagger_ui
from service.web.controllers import router as web_router

_log = logging.getLogger("kyoso")


class HealthStatus(DomainError):
    status_code = 503


@get("/health", tags=["ops"], summary="Liveness and database check")
async def health(state: State) -> dict[str, str]:
    maker: async_sessionmaker[AsyncSession] = state.session_maker
    try:
        async with maker() as session:
            await session.execute(text("SELECT 1"))
    except Exception as exc:
        raise COMMON.error(HealthStatus, "health.database_unreachable") from exc
    return {"status": "ok", "database": "ok"}


ops_router = Router(path="/", route_handlers=[health])


def _oidc_client(settings: Settings) -> Any:
    if settings.oidc is None:
        return None
    from service.auth.oidc import OIDCClient, OIDCConfig

    return OIDCClient(
        OIDCConfig(
            issuer=settings.oidc.issuer,
            client_id=settings.oidc.client_id,
            client_secret=settings.oidc.client_secret,
            redirect_uri=settings.oidc.redirect_uri,
        )
    )


def create_app(
    settings: Settings,
    *,
    database_url: str | None = None,
    session_maker: async_sessionmaker[AsyncSession] | None = None,
    read_session_maker: async_sessionmaker[AsyncSession] | None = None,
) -> Litestar:
    """Build the app. Give ``database_url`` (or ``settings.database_url``), or a ``session_maker``."""

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        engine = None
        if app.state.get("session_maker") is None:
            url = database_url or settings.database_url
            if url is None:
                raise RuntimeError("no database URL: start through `kyoso serve` or set KYOSO_DATABASE_URL")
            engine = create_engine(url)
            info = app.state.get("session_info")
            app.state.session_maker = session_factory(engine, info=info)
            app.state.read_session_maker = session_factory(
                engine.execution_options(isolation_level="AUTOCOMMIT"), info=info
            )
            app.state.engine = engine
        # Mail and other outside calls leave through the outbox; an injected session maker (tests)
        # gets no drainer, the tests drain with service.outbox.drain_once.
        drainer = OutboxDrainer.for_settings(app.state.session_maker, settings) if engine is not None else None
        # Expired rows of unauthenticated requests (rate counters, sign-ups, OIDC) are deleted in
        # the background too; tests call service.maintenance.Maintenance.run_once themselves.
        maintenance = Maintenance(app.state.session_maker, settings) if engine is not None else None
        if drainer is not None:
            drainer.start()
        if maintenance is not None:
            maintenance.start()
        try:
            yield
        finally:
            if maintenance is not None:
                await maintenance.stop()
            if drainer is not None:
                await drainer.stop()
            if engine is not None:
                await engine.dispose()

    #: One router per domain, in the domain order (README: architecture).
    route_handlers: list[Any] = [
        ops_router,
        auth_router,
        organisations_router,
        regions_router,
        impact_router,
        projects_router,
        investors_router,
        vetting_router,
        claims_router,
        events_router,
        matching_router,
        deal_rooms_router,
        deal_room_qa_router,
        deal_room_documents_router,
        deal_room_live_router,
        audit_router,
        web_router,
        notifications_router,
    ]
    if settings.bench_endpoints:
        from service.bench import bench_lifespan
        from service.bench import router as bench_router

        route_handlers.append(bench_router)
        extra_lifespan = [bench_lifespan]
    else:
        extra_lifespan = []

    state = State(
        {"settings": settings, "token_codec": TokenCodec(settings.secret_key), "oidc_client": _oidc_client(settings)}
    )
    audit_keyring = keyring_of(settings.audit_key, settings.audit_previous_keys)
    if audit_keyring is not None:
        state.session_info = {AUDIT_KEYRING: audit_keyring}
    if settings.smtp is not None:
        # Notification mails are queued only when there is a server to send them to.
        state.session_info = {**(state.get("session_info") or {}), NOTIFICATION_MAIL: settings.public_url}
    if session_maker is not None:
        state.session_maker = session_maker
        state.read_session_maker = read_session_maker or session_maker

    app = Litestar(
        route_handlers=route_handlers,
        plugins=[MsgspecStructSchemaPlugin(), UploadFormSchemaPlugin(), IdempotencyPlugin()],
        state=state,
        # The live feed's hub and listener start after the engine and stop before it is disposed.
        lifespan=[lifespan, live_lifespan, *extra_lifespan],
        dependencies={
            "db_session": Provide(provide_session),
            "db_read": Provide(provide_read_session),
            "principal": Provide(provide_principal),
            "user": Provide(provide_user),
            # Reading a project is a view for the events domain, which builds on projects.
            "record_view": Provide(provide_view_recorder, sync_to_thread=False),
        },
        exception_handlers=EXCEPTION_HANDLERS,
        # Request checks first (media type, body encoding and depth, query characters), then who calls.
        before_request=run_in_order(check_request, resolve_principal),
        cors_config=CORSConfig(
            allow_origins=list(settings.allowed_origins),
            allow_credentials=True,
            allow_headers=["authorization", "content-type", "x-csrf-token", "accept-language", "idempotency-key"],
        )
        if settings.allowed_origins
        else None,
        openapi_config=OpenAPIConfig(
            title="Kyoso API — 地方創生ファンドプラットフォーム",
            version="0.1.0",
            description="Projects, investors, vetting and regions for regional living spheres. "
            "Errors are RFC 9457 problem details with ja/en messages.",
            path="/schema",
            # Swagger UI at /schema and /schema/swagger, from vendored files (works offline).
            render_plugins=[swagger_ui(path="/swagger")],
            # Security is stated per operation (service.contract): public ones say `security: []`.
            components=Components(
                security_schemes={
                    BEARER: SecurityScheme(type="http", scheme="bearer", bearer_format="JWT"),
                    COOKIE: SecurityScheme(
                        type="apiKey",
                        name=SESSION_COOKIE,
                        security_scheme_in="cookie",
                        description="The session cookie set by /api/v1/auth/login; writes also need the "
                        f"{CSRF_COOKIE} cookie's value in the {CSRF_HEADER} header.",
                    ),
                }
            ),
        ),
        request_max_body_size=2 * 1024 * 1024,
        debug=False,
    )
    # resolve_principal (before every request) refuses a broken Bearer token even where no sign-in
    # is needed, so every operation documents that 401.
    return apply_contract(app, token_checked_always=True)


def create_app_from_env() -> Litestar:
    """Entry point for the HTTP server (``granian --factory``): settings from the environment."""
    settings = Settings.from_env()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Anything in this process that appends outside a request (workers, tasks) signs with it too.
    install_audit_keyring(keyring_of(settings.audit_key, settings.audit_previous_keys))
    return create_app(settings)
