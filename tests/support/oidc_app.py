"""Fixtures for OIDC tests: the local provider and a client of an app configured to use it.

Import them into a test module: ``from tests.support.oidc_app import oidc_client, provider``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker

from service.app import create_app
from service.settings import OIDCSettings, Settings
from tests.support.oidc_provider import OIDCProvider

CALLBACK = "https://testserver/api/v1/auth/oidc/callback"


@pytest.fixture
def provider() -> Iterator[OIDCProvider]:
    with OIDCProvider() as p:
        p.register_client(CALLBACK)
        p.login_as(sub="oidc-user-1", email="taro@example.jp", name="地域 太郎")
        yield p


@pytest.fixture
async def oidc_client(
    provider: OIDCProvider, settings: Settings, session_maker: Any, connection: Any
) -> AsyncIterator[httpx.AsyncClient]:
    """A browser (cookie jar) on an app whose identity provider is ``provider``."""
    configured = Settings(
        data_dir=settings.data_dir,
        secret_key=settings.secret_key,
        oidc=OIDCSettings(
            issuer=provider.issuer,
            client_id=provider.client_id,
            client_secret=provider.client_secret,
            redirect_uri=CALLBACK,
        ),
    )
    read_maker = async_sessionmaker(bind=connection, expire_on_commit=False, join_transaction_mode="rollback_only")
    app = create_app(configured, session_maker=session_maker, read_session_maker=read_maker)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver") as c:
        yield c


async def start_login(client: httpx.AsyncClient) -> tuple[str, str]:
    """Leg one at the service, then the browser's visit to the provider: returns (code, state)."""
    start = await client.get("/api/v1/auth/oidc/login")
    assert start.status_code == 302, start.text
    async with httpx.AsyncClient() as browser:
        back = await browser.get(start.headers["location"])
    assert back.status_code == 302
    query = parse_qs(urlsplit(back.headers["location"]).query)
    return query["code"][0], query["state"][0]


async def oidc_login(client: httpx.AsyncClient) -> httpx.Response:
    """The whole round trip; returns the callback's answer."""
    code, state = await start_login(client)
    return await client.get("/api/v1/auth/oidc/callback", params={"code": code, "state": state})
