"""The Litestar application factory.

``create_app(settings)`` builds the app; the engine is created on start-up unless one is
given (tests pass a session maker bound to a connection they roll back).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar, get
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin, SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from service.audit.controllers import AuditController
from service.auth.controllers import AuthController, OIDCController
from service.auth.principal import provide_principal, provide_user, resolve_principal
from service.auth.tokens import TokenCodec
from service.claims.controllers import ClaimController
from service.db.engine import create_engine, provide_read_session, provide_session, session_factory
from service.errors import EXCEPTION_HANDLERS, DomainError
from service.events.controllers import EventController
from service.impact.controllers import ImpactController, ProjectImpactController
from service.investors.controllers import InvestorController
from service.matching.controllers import MatchController, ModelAdminController
from service.organisations.controllers import OrganisationController
from service.outbox import OutboxDrainer
from service.projects.controllers import ProjectController
from service.regions.controllers import RegionController
from service.settings import Settings
from service.vetting.controllers import VettingController
from service.web.controllers import WebController

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
        raise HealthStatus(
            "health.database_unreachable", "データベースに接続できません。", "The database is unreachable."
        ) from exc
    return {"status": "ok", "database": "ok"}


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
            app.state.session_maker = session_factory(engine)
            app.state.read_session_maker = session_factory(engine.execution_options(isolation_level="AUTOCOMMIT"))
            app.state.engine = engine
        # Mail and other outside calls leave through the outbox; an injected session maker (tests)
        # gets no drainer, the tests drain with service.outbox.drain_once.
        drainer = OutboxDrainer.for_settings(app.state.session_maker, settings) if engine is not None else None
        if drainer is not None:
            drainer.start()
        try:
            yield
        finally:
            if drainer is not None:
                await drainer.stop()
            if engine is not None:
                await engine.dispose()

    route_handlers: list[Any] = [
        health,
        AuthController,
        OIDCController,
        OrganisationController,
        RegionController,
        ProjectController,
        InvestorController,
        VettingController,
        WebController,
        EventController,
        MatchController,
        ModelAdminController,
        ImpactController,
        ProjectImpactController,
        ClaimController,
        AuditController,
    ]
    if settings.bench_endpoints:
        from service.bench import BenchController, bench_lifespan

        route_handlers.append(BenchController)
        extra_lifespan = [bench_lifespan]
    else:
        extra_lifespan = []

    state = State(
        {"settings": settings, "token_codec": TokenCodec(settings.secret_key), "oidc_client": _oidc_client(settings)}
    )
    if session_maker is not None:
        state.session_maker = session_maker
        state.read_session_maker = read_session_maker or session_maker

    return Litestar(
        route_handlers=route_handlers,
        state=state,
        lifespan=[lifespan, *extra_lifespan],
        dependencies={
            "db_session": Provide(provide_session),
            "db_read": Provide(provide_read_session),
            "principal": Provide(provide_principal),
            "user": Provide(provide_user),
        },
        exception_handlers=EXCEPTION_HANDLERS,
        before_request=resolve_principal,
        cors_config=CORSConfig(
            allow_origins=list(settings.allowed_origins),
            allow_credentials=True,
            allow_headers=["authorization", "content-type", "x-csrf-token", "accept-language"],
        )
        if settings.allowed_origins
        else None,
        openapi_config=OpenAPIConfig(
            title="Kyoso API — 地方創生ファンドプラットフォーム",
            version="0.1.0",
            description="Projects, investors, vetting and regions for regional living spheres. "
            "Errors are RFC 9457 problem details with ja/en messages.",
            path="/schema",
            render_plugins=[ScalarRenderPlugin(), SwaggerRenderPlugin(path="/swagger")],
            components=Components(
                security_schemes={
                    "BearerToken": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT"),
                }
            ),
            security=[{"BearerToken": []}],
        ),
        request_max_body_size=2 * 1024 * 1024,
        debug=False,
    )


def create_app_from_env() -> Litestar:
    """Entry point for the HTTP server (``granian --factory``): settings from the environment."""
    settings = Settings.from_env()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return create_app(settings)
