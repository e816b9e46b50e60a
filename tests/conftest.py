"""Shared fixtures: one real PostgreSQL for the run, schema built by the migrations, and each
test inside a transaction that is rolled back (the app's own commits become savepoints).

Set ``KYOSO_TEST_DATABASE_URL`` to run against an external server instead of the embedded one.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from service.app import create_app
from service.audit import keys as audit_keys
from service.audit.keys import AuditKeyring
from service.auth.tokens import TokenCodec
from service.db import create_engine
from service.db.migrate import upgrade
from service.models import AuthSession, Membership, Organisation, User
from service.models.base import utcnow
from service.models.enums import OrgKind, Role
from service.settings import Settings

TEST_SECRET = "test-secret-" + "x" * 40
TEST_AUDIT_KEY = "test-audit-key-" + "y" * 40


@pytest.fixture(scope="session", autouse=True)
def audit_keyring() -> Iterator[AuditKeyring]:
    """The audit key for the run: apps built without one, and services called directly, sign with it."""
    ring = AuditKeyring.from_secrets(TEST_AUDIT_KEY)
    audit_keys.install(ring)
    yield ring
    audit_keys.install(None)


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    external = os.environ.get("KYOSO_TEST_DATABASE_URL")
    if external:
        yield external.replace("postgresql://", "postgresql+asyncpg://", 1)
        return
    from service.db.embedded import EmbeddedPostgres, ensure_database

    with tempfile.TemporaryDirectory(prefix="kyoso-test-") as tmp:
        server = EmbeddedPostgres(Path(tmp) / "pg")
        try:
            ensure_database(server, "kyoso_test")
            yield server.url("kyoso_test")
        finally:
            server.stop()


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url, pool_size=5)
    await upgrade(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
async def connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    async with engine.connect() as conn:
        transaction = await conn.begin()
        try:
            yield conn
        finally:
            await transaction.rollback()


@pytest.fixture
def session_maker(connection: AsyncConnection) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(
        bind=connection, expire_on_commit=False, autoflush=False, join_transaction_mode="create_savepoint"
    )


@pytest.fixture
async def db(session_maker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """A session for arranging and checking data, in the same rolled-back transaction."""
    async with session_maker() as session:
        yield session


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, secret_key=TEST_SECRET, login_max_failures=3, login_window_seconds=600)


@pytest.fixture
def app(settings: Settings, session_maker: async_sessionmaker[AsyncSession], connection: AsyncConnection) -> Any:
    # The read-only path never commits; joined "rollback_only" it reads the test's own rows
    # without opening savepoints that would interleave with the writing session's.
    read_maker = async_sessionmaker(bind=connection, expire_on_commit=False, join_transaction_mode="rollback_only")
    return create_app(settings, session_maker=session_maker, read_session_maker=read_maker)


@pytest.fixture
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as c:
        yield c


@dataclass
class Actor:
    user: User
    organisation: Organisation | None
    token: str
    session_id: uuid.UUID

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture
def make_actor(db: AsyncSession) -> Any:
    """Create a user acting for a fresh organisation in ``role`` (or none), signed in by token."""
    codec = TokenCodec(TEST_SECRET)

    async def make(
        role: Role | None,
        *,
        kind: OrgKind = OrgKind.company,
        organisation: Organisation | None = None,
        email: str | None = None,
    ) -> Actor:
        user = User(
            email=email or f"{uuid.uuid4().hex[:10]}@example.jp", display_name="テスト ユーザー", password_hash=None
        )
        db.add(user)
        await db.flush()
        org = organisation
        if role is not None and org is None:
            org = Organisation(kind=kind, name_ja=f"テスト組織 {uuid.uuid4().hex[:6]}", name_en="Test org")
            db.add(org)
            await db.flush()
        if role is not None and org is not None:
            db.add(Membership(user_id=user.id, organisation_id=org.id, role=role))
        now = utcnow()
        auth = AuthSession(user_id=user.id, method="test", created_at=now, expires_at=now + timedelta(hours=1))
        db.add(auth)
        await db.flush()
        await db.commit()
        token = codec.issue(user.id, auth.id, issued_at=now, expires_at=auth.expires_at)
        return Actor(user=user, organisation=org, token=token, session_id=auth.id)

    return make
