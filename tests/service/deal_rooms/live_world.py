"""A deal room on a real database with committed users, for the live-feed tests and benchmark:
two (or more) real servers share it, WebSocket clients connect to them.

    world = await seed_room(engine, base_url, investors=2)
    async with room_socket(server_url, world.room, world.bank.token) as ws: ...
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine
from websockets.asyncio.client import ClientConnection, connect

from service.auth.tokens import TokenCodec
from service.db import session_factory
from service.models import AuthSession, Membership, Organisation, User
from service.models.base import utcnow
from service.models.enums import OrgKind, Role
from tests.conftest import TEST_SECRET
from tests.service.deal_rooms.support import API, NDA
from tests.service.helpers import project_row


@dataclass
class Person:
    user_id: uuid.UUID
    organisation_id: uuid.UUID
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class RoomWorld:
    room: str
    lead: Person
    bank: Person
    outsider: Person
    pre_nda: Person
    investors: list[Person] = field(default_factory=list)
    participant_ids: dict[uuid.UUID, str] = field(default_factory=dict)


async def make_people(engine: AsyncEngine, roles: list[Role]) -> tuple[list[Person], uuid.UUID]:
    """Committed users, each in an organisation of its own with ``role``; and a vetted project of the first."""
    codec = TokenCodec(TEST_SECRET)
    people: list[Person] = []
    async with session_factory(engine)() as session, session.begin():
        now = utcnow()
        project_id = None
        for role in roles:
            user = User(email=f"{uuid.uuid4().hex[:12]}@example.jp", display_name="ライブ 利用者", password_hash=None)
            org = Organisation(kind=OrgKind.company, name_ja=f"ライブ組織 {uuid.uuid4().hex[:6]}", name_en="Live org")
            session.add_all([user, org])
            await session.flush()
            auth = AuthSession(user_id=user.id, method="test", created_at=now, expires_at=now + timedelta(hours=4))
            session.add_all([Membership(user_id=user.id, organisation_id=org.id, role=role), auth])
            if project_id is None:
                project = project_row(org.id, user.id, "vetted")
                session.add(project)
                await session.flush()
                project_id = project.id
            await session.flush()
            token = codec.issue(user.id, auth.id, issued_at=now, expires_at=auth.expires_at)
            people.append(Person(user.id, org.id, token))
    assert project_id is not None
    return people, project_id


async def seed_room(engine: AsyncEngine, base_url: str, *, investors: int = 0) -> RoomWorld:
    """A room opened by a lead, with a bank past the NDA, an invited investor before it, an
    outsider, and ``investors`` more participants past the NDA."""
    roles = [Role.project_lead, Role.bank, Role.investor, Role.investor] + [Role.investor] * investors
    people, project_id = await make_people(engine, roles)
    lead, bank, outsider, pre_nda, *more = people
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
        opened = await http.post(f"{API}/projects/{project_id}/deal-room", json=NDA, headers=lead.headers)
        assert opened.status_code == 201, opened.text
        room = opened.json()["id"]
        world = RoomWorld(room, lead, bank, outsider, pre_nda, more)
        for person, role in [(bank, "bank"), (pre_nda, "investor"), *[(p, "investor") for p in more]]:
            body = {"user_id": str(person.user_id), "organisation_id": str(person.organisation_id), "role": role}
            invited = await http.post(f"{API}/deal-rooms/{room}/participants", json=body, headers=lead.headers)
            assert invited.status_code == 201, invited.text
            world.participant_ids[person.user_id] = invited.json()["id"]
            if person is not pre_nda:
                url = f"{API}/deal-rooms/{room}/nda/acceptance"
                accepted = await http.post(url, json={"version": 1}, headers=person.headers)
                assert accepted.status_code == 201, accepted.text
    return world


def ws_url(base_url: str, room: str) -> str:
    return base_url.replace("http://", "ws://") + f"{API}/deal-rooms/{room}/live"


@asynccontextmanager
async def room_socket(base_url: str, room: str, token: str | None) -> AsyncIterator[ClientConnection]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with connect(ws_url(base_url, room), additional_headers=headers, max_queue=None) as ws:
        yield ws


async def frame(ws: ClientConnection, wait: float = 30) -> dict[str, Any]:
    return dict(json.loads(await asyncio.wait_for(ws.recv(), wait)))


async def hello(ws: ClientConnection, last_seen_id: int = 0) -> list[dict[str, Any]]:
    """Say hello; the backlog frames up to the ``live`` frame (included)."""
    await ws.send(json.dumps({"type": "hello", "last_seen_id": last_seen_id}))
    frames = []
    while True:
        got = await frame(ws)
        frames.append(got)
        if got["type"] == "live":
            return frames


async def messages_until(ws: ClientConnection, count: int, wait: float = 60) -> list[dict[str, Any]]:
    """The next ``count`` chat messages (other frames skipped)."""
    got: list[dict[str, Any]] = []

    async def collect() -> None:
        while len(got) < count:
            f = await frame(ws, wait)
            if f["type"] == "message":
                got.append(f)

    await asyncio.wait_for(collect(), wait)
    return got
