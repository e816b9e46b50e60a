"""Real concurrency on a scratch database (real commits): answers written at once get one revision
number each, and an assignment racing an answer never leaves an answered question "assigned"."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from service.app import create_app
from service.auth.tokens import TokenCodec
from service.db import create_engine, session_factory
from service.models import AuthSession, DealRoomAnswer, DealRoomQuestion, Membership, Organisation, User
from service.models.base import utcnow
from service.models.enums import OrgKind, Role
from service.settings import Settings
from tests.conftest import TEST_SECRET
from tests.service.deal_rooms.support import API, NDA
from tests.service.helpers import project_row
from tests.support.scratch_db import scratch_database


@pytest.fixture(scope="module")
async def scratch_engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    async with scratch_database(database_url) as url:
        scratch = create_engine(url, pool_size=12)
        try:
            yield scratch
        finally:
            await scratch.dispose()


async def _lead_with_project(engine: AsyncEngine) -> tuple[dict[str, str], uuid.UUID, uuid.UUID]:
    async with session_factory(engine)() as session, session.begin():
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
    return {"Authorization": f"Bearer {token}"}, project.id, user.id


def _client(engine: AsyncEngine, tmp_path: Any) -> httpx.AsyncClient:
    app = create_app(
        Settings(data_dir=tmp_path, secret_key=TEST_SECRET),
        session_maker=session_factory(engine),
        read_session_maker=session_factory(engine.execution_options(isolation_level="AUTOCOMMIT")),
    )
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver")


async def _question(c: httpx.AsyncClient, headers: dict[str, str], project: uuid.UUID) -> tuple[str, str]:
    opened = await c.post(f"{API}/projects/{project}/deal-room", json=NDA, headers=headers)
    assert opened.status_code == 201, opened.text
    room = opened.json()["id"]
    # The lead team may ask too (to seed its FAQ): one caller is enough for a race.
    asked = await c.post(f"{API}/deal-rooms/{room}/questions", json={"text": "並行の質問"}, headers=headers)
    assert asked.status_code == 201, asked.text
    return room, asked.json()["id"]


async def test_answers_written_at_once_get_one_revision_each(scratch_engine: AsyncEngine, tmp_path):
    headers, project, _ = await _lead_with_project(scratch_engine)
    async with _client(scratch_engine, tmp_path) as c:
        room, question = await _question(c, headers, project)
        url = f"{API}/deal-rooms/{room}/questions/{question}/answers"
        responses = await asyncio.gather(*(c.post(url, json={"text": f"回答 {i}"}, headers=headers) for i in range(6)))

    assert [r.status_code for r in responses] == [201] * 6, [r.text[:120] for r in responses]
    async with session_factory(scratch_engine)() as session:
        revisions = (
            await session.scalars(
                select(DealRoomAnswer.revision).where(DealRoomAnswer.question_id == uuid.UUID(question))
            )
        ).all()
    assert sorted(revisions) == [1, 2, 3, 4, 5, 6]


async def test_an_assignment_racing_an_answer_never_reopens_the_question(scratch_engine: AsyncEngine, tmp_path):
    headers, project, lead = await _lead_with_project(scratch_engine)
    due = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    async with _client(scratch_engine, tmp_path) as c:
        room, question = await _question(c, headers, project)
        base = f"{API}/deal-rooms/{room}/questions/{question}"
        assigned, answered = await asyncio.gather(
            c.post(f"{base}/assignment", json={"assignee_id": str(lead), "due_at": due}, headers=headers),
            c.post(f"{base}/answers", json={"text": "回答"}, headers=headers),
        )

    assert answered.status_code == 201, answered.text
    assert assigned.status_code in (200, 409), assigned.text
    if assigned.status_code == 409:
        assert assigned.json()["code"] == "deal_room_qa.already_answered"
    async with session_factory(scratch_engine)() as session:
        status = await session.scalar(select(DealRoomQuestion.status).where(DealRoomQuestion.id == uuid.UUID(question)))
    assert status == "answered"
