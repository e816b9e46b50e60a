"""An app with mail configured (notification mails are queued), beside the plain one of
tests/conftest.py (no SMTP server: in-app only)."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from service.app import create_app
from service.models.base import utcnow
from service.settings import Settings, parse_smtp_url


@pytest.fixture
async def mail_client(
    settings: Settings, session_maker: async_sessionmaker[AsyncSession], connection: AsyncConnection
) -> AsyncIterator[httpx.AsyncClient]:
    """The app with ``KYOSO_SMTP_URL`` set (nothing listens there: the tests read the outbox)."""
    configured = dataclasses.replace(
        settings, smtp_url=parse_smtp_url("smtp://127.0.0.1:9"), public_url="https://kyoso.example.jp"
    )
    read_maker = async_sessionmaker(bind=connection, expire_on_commit=False, join_transaction_mode="rollback_only")
    app = create_app(configured, session_maker=session_maker, read_session_maker=read_maker)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver") as c:
        yield c


async def verified(db: AsyncSession, actor: Any) -> Any:
    """``actor`` with its address verified (mail may go to it)."""
    actor.user.email_verified_at = utcnow()
    db.add(actor.user)
    await db.commit()
    return actor
