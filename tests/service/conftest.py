"""A small populated world for the wide parametrised tests (authorization matrix, bad input).

Building the app (~0.1 s) and the world for each of hundreds of cases would make those modules
slow, so a module that opts in (``shared_world_fixtures``) gets one app and one world per
module, inside a transaction that is rolled back at the end, and each test inside a savepoint
of it that is rolled back after the test: the same isolation as ``tests/conftest.py``, paid once.

Callers: ``investor``, ``lead_owner`` (project lead of ``org_a``, which owns the projects),
``lead_other`` (project lead of ``org_b``), ``bank`` and ``admin``; ``anonymous`` has no actor.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from service.app import create_app
from service.auth.tokens import TokenCodec
from service.models import (
    AuthSession,
    InvestorProfile,
    LivingSphere,
    LivingSphereMember,
    Membership,
    Organisation,
    Project,
    User,
)
from service.models.base import utcnow
from service.models.enums import OrgKind, ProjectStatus, Role
from service.settings import Settings
from tests.conftest import TEST_SECRET, Actor
from tests.service.helpers import project_row

CALLERS = ("anonymous", "investor", "lead_owner", "lead_other", "bank", "admin")


@dataclass
class World:
    actors: dict[str, Any]
    org_a: Organisation
    org_b: Organisation
    investor_org: Organisation
    bank_org: Organisation
    #: One project of ``org_a`` in every status, by status value.
    projects: dict[str, uuid.UUID]
    #: A draft of ``org_b`` (the other lead's organisation).
    other_draft: uuid.UUID
    #: ``public`` (discoverable, the bank user's own), ``hidden_user`` (personal, of the investor
    #: user), ``hidden_org`` (owned by the bank's organisation).
    profiles: dict[str, uuid.UUID]
    sphere: uuid.UUID
    spare_user: uuid.UUID

    def headers(self, caller: str) -> dict[str, str]:
        return {} if caller == "anonymous" else self.actors[caller].headers


def _project(org: Organisation, creator: uuid.UUID, status: str) -> Project:
    return project_row(org.id, creator, status)


def _profile(
    name: str, *, user: uuid.UUID | None = None, org: uuid.UUID | None = None, creator: uuid.UUID, discoverable: bool
) -> InvestorProfile:
    return InvestorProfile(
        owner_user_id=user,
        owner_organisation_id=org,
        created_by=creator,
        display_name_ja=name,
        display_name_en=name,
        investor_type="company",
        ticket_min_yen=1_000_000,
        ticket_max_yen=50_000_000,
        risk_tolerance="medium",
        discoverable=discoverable,
    )


async def _actor(db: AsyncSession, role: Role, kind: OrgKind) -> Actor:
    user = User(email=f"{uuid.uuid4().hex[:10]}@example.jp", display_name="テスト ユーザー")
    org = Organisation(kind=kind, name_ja=f"テスト組織 {uuid.uuid4().hex[:6]}", name_en="Test org")
    db.add_all([user, org])
    await db.flush()
    now = utcnow()
    auth = AuthSession(user_id=user.id, method="test", created_at=now, expires_at=now + timedelta(hours=2))
    db.add_all([Membership(user_id=user.id, organisation_id=org.id, role=role), auth])
    await db.flush()
    token = TokenCodec(TEST_SECRET).issue(user.id, auth.id, issued_at=now, expires_at=auth.expires_at)
    return Actor(user=user, organisation=org, token=token, session_id=auth.id)


async def build_world(db: AsyncSession) -> World:
    investor = await _actor(db, Role.investor, OrgKind.fund)
    lead_owner = await _actor(db, Role.project_lead, OrgKind.local_management_corp)
    lead_other = await _actor(db, Role.project_lead, OrgKind.npo)
    bank = await _actor(db, Role.bank, OrgKind.regional_bank)
    admin = await _actor(db, Role.admin, OrgKind.company)
    spare = User(email=f"{uuid.uuid4().hex[:10]}@example.jp", display_name="予備 ユーザー")
    db.add(spare)
    await db.flush()
    projects = {s.value: _project(lead_owner.organisation, lead_owner.user.id, s.value) for s in ProjectStatus}
    other_draft = _project(lead_other.organisation, lead_other.user.id, ProjectStatus.draft.value)
    profiles = {
        "public": _profile("公開プロフィール", user=bank.user.id, creator=bank.user.id, discoverable=True),
        "hidden_user": _profile("非公開（個人）", user=investor.user.id, creator=investor.user.id, discoverable=False),
        "hidden_org": _profile("非公開（銀行）", org=bank.organisation.id, creator=bank.user.id, discoverable=False),
    }
    sphere = LivingSphere(
        name_ja="米子・境港生活圏（テスト）", name_en="Yonago–Sakaiminato (test)", core_municipality_code="31202"
    )
    db.add_all([*projects.values(), other_draft, *profiles.values(), sphere])
    await db.flush()
    db.add_all([LivingSphereMember(living_sphere_id=sphere.id, municipality_code=c) for c in ("31202", "31204")])
    await db.flush()
    return World(
        actors={"investor": investor, "lead_owner": lead_owner, "lead_other": lead_other, "bank": bank, "admin": admin},
        org_a=lead_owner.organisation,
        org_b=lead_other.organisation,
        investor_org=investor.organisation,
        bank_org=bank.organisation,
        projects={k: p.id for k, p in projects.items()},
        other_draft=other_draft.id,
        profiles={k: p.id for k, p in profiles.items()},
        sphere=sphere.id,
        spare_user=spare.id,
    )


@pytest.fixture(scope="module")
async def module_connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    async with engine.connect() as conn:
        transaction = await conn.begin()
        try:
            yield conn
        finally:
            await transaction.rollback()


@pytest.fixture(scope="module")
async def module_world(module_connection: AsyncConnection) -> World:
    async with AsyncSession(
        bind=module_connection, expire_on_commit=False, autoflush=False, join_transaction_mode="create_savepoint"
    ) as db:
        world = await build_world(db)
        await db.commit()
    return world


@pytest.fixture(scope="module")
def module_app(module_connection: AsyncConnection, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The app as ``tests/conftest.py`` builds it, bound to the module's connection."""
    settings = Settings(
        data_dir=Path(tmp_path_factory.mktemp("kyoso")),
        secret_key=TEST_SECRET,
        login_max_failures=3,
        login_window_seconds=600,
    )
    maker = async_sessionmaker(
        bind=module_connection, expire_on_commit=False, autoflush=False, join_transaction_mode="create_savepoint"
    )
    read_maker = async_sessionmaker(
        bind=module_connection, expire_on_commit=False, join_transaction_mode="rollback_only"
    )
    return create_app(settings, session_maker=maker, read_session_maker=read_maker)


def shared_world_fixtures() -> tuple[Any, Any, Any]:
    """Overrides of ``connection`` and ``app`` (and a ``world``) for one module: each test runs in
    a savepoint of the module's transaction, rolled back afterwards."""

    @pytest.fixture
    async def connection(module_connection: AsyncConnection) -> AsyncIterator[AsyncConnection]:
        savepoint = await module_connection.begin_nested()
        try:
            yield module_connection
        finally:
            if savepoint.is_active:
                await savepoint.rollback()

    @pytest.fixture
    def app(module_app: Any, connection: AsyncConnection) -> Any:
        return module_app

    @pytest.fixture
    def world(module_world: World, connection: AsyncConnection) -> World:
        return module_world

    return connection, app, world
