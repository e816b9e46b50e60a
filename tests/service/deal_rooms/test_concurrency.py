"""Real concurrency on a scratch database (real commits): of parallel openings of a project's room
exactly one succeeds; of two stage moves at once exactly one wins."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from service.app import create_app
from service.auth.tokens import TokenCodec
from service.db import create_engine, session_factory
from service.models import AuthSession, DealRoom, DealRoomStageMove, Membership, Organisation, User
from service.models.base import utcnow
from service.models.enums import OrgKind, Role
from service.settings import Settings
from tests.conftest import TEST_SECRET
from tests.service.deal_rooms.support import API, NDA
from tests.service.helpers import project_row
from tests.support.scratch_db import scratch_database

pytestmark = pytest.mark.asyncio


@pytest.fixture(scope="module")
async def scratch_engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    async with scratch_database(database_url) as url:
        scratch = create_engine(url, pool_size=12)
        try:
            yield scratch
        finally:
            await scratch.dispose()


async def committed_lead_with_project(engine: AsyncEngine) -> tuple[dict[str, str], uuid.UUID]:
    maker = session_factory(engine)
    async with maker() as session, session.begin():
        user = User(email=f"{uuid.uuid4().hex[:10]}@example.jp", display_name="並行 リード", password_hash=None)
        org = Organisation(kind=OrgKind.company, name_ja=f"並行組織 {uuid.uuid4().hex[:6]}", name_en="Concurrency")
        session.add_all([user, org])
        await session.flush()
        now = utcnow()
        auth = AuthSession(user_id=user.id, method="test", created_at=now, expires_at=now + timedelta(hours=1))
        project = project_row(org.id, user.id, "vetted")
        session.add_all([Membership(user_id=user.id, organisation_id=org.id, role=Role.project_lead), auth, project])
        await session.flush()
    token = TokenCodec(TEST_SECRET).issue(user.id, auth.id, issued_at=now, expires_at=auth.expires_at)
    return {"Authorization": f"Bearer {token}"}, project.id


def _client(engine: AsyncEngine, tmp_path: Any) -> httpx.AsyncClient:
    app = create_app(
        Settings(data_dir=tmp_path, secret_key=TEST_SECRET),
        session_maker=session_factory(engine),
        read_session_maker=session_factory(engine.execution_options(isolation_level="AUTOCOMMIT")),
    )
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver")


async def test_parallel_openings_make_one_room(scratch_engine: AsyncEngine, tmp_path):
    headers, project = await committed_lead_with_project(scratch_engine)

    async with _client(scratch_engine, tmp_path) as c:
        responses = await asyncio.gather(
            *(c.post(f"{API}/projects/{project}/deal-room", json=NDA, headers=headers) for _ in range(8))
        )

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * 7, [r.text[:120] for r in responses]
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"deal_room.already_open"}
    async with session_factory(scratch_engine)() as session:
        rooms = await session.scalar(select(func.count()).select_from(DealRoom).where(DealRoom.project_id == project))
    assert rooms == 1


async def test_two_stage_moves_at_once_one_wins(scratch_engine: AsyncEngine, tmp_path):
    headers, project = await committed_lead_with_project(scratch_engine)
    async with _client(scratch_engine, tmp_path) as c:
        opened = await c.post(f"{API}/projects/{project}/deal-room", json=NDA, headers=headers)
        room = opened.json()["id"]
        url = f"{API}/deal-rooms/{room}/transitions"
        both = await asyncio.gather(
            c.post(url, json={"to_stage": "nda", "reason": "一人目"}, headers=headers),
            c.post(url, json={"to_stage": "nda", "reason": "二人目"}, headers=headers),
        )
        four = await asyncio.gather(
            *(c.post(url, json={"to_stage": "due_diligence", "reason": f"{i}"}, headers=headers) for i in range(4))
        )

    # The room row is locked by a move: the second sees `nda` and `nda → nda` is no move.
    assert sorted(r.status_code for r in both) == [201, 409], [r.text[:120] for r in both]
    assert sorted(r.status_code for r in four) == [201, 409, 409, 409]
    assert {r.json()["code"] for r in [*both, *four] if r.status_code == 409} == {"deal_room.move_not_allowed"}
    async with session_factory(scratch_engine)() as session:
        moves = (
            await session.scalars(
                select(DealRoomStageMove)
                .where(DealRoomStageMove.room_id == uuid.UUID(room))
                .order_by(DealRoomStageMove.at)
            )
        ).all()
    assert [(m.from_stage, m.to_stage) for m in moves] == [("open", "nda"), ("nda", "due_diligence")]
