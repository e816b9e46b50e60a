"""Real concurrency on a scratch database (real commits): parallel new versions of one document get
distinct consecutive numbers; two folder moves at once cannot make a cycle."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from service.db import create_engine, session_factory
from service.models import DealRoomDocumentVersion, DealRoomFolder
from tests.service.deal_rooms.support import API, NDA
from tests.service.deal_rooms.test_concurrency import _client, committed_lead_with_project
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


async def test_parallel_new_versions_are_numbered_one_after_another(scratch_engine: AsyncEngine, tmp_path):
    headers, project = await committed_lead_with_project(scratch_engine)
    async with _client(scratch_engine, tmp_path) as c:
        room = (await c.post(f"{API}/projects/{project}/deal-room", json=NDA, headers=headers)).json()["id"]
        base = f"{API}/deal-rooms/{room}"
        folder = (await c.post(f"{base}/folders", json={"name": "資料"}, headers=headers)).json()["id"]
        first = await c.post(
            f"{base}/folders/{folder}/documents", files={"file": ("v1.csv", b"v,1\n", "text/csv")}, headers=headers
        )
        doc = first.json()["id"]
        responses = await asyncio.gather(
            *(
                c.post(
                    f"{base}/documents/{doc}/versions",
                    files={"file": (f"v{i}.csv", f"v,{i}\n".encode(), "text/csv")},
                    headers=headers,
                )
                for i in range(2, 8)
            )
        )
        current = (await c.get(f"{base}/documents/{doc}", headers=headers)).json()

    assert [r.status_code for r in responses] == [201] * 6, [r.text[:120] for r in responses]
    assert sorted(r.json()["current_version"] for r in responses) == [2, 3, 4, 5, 6, 7]
    assert current["current_version"] == 7
    async with session_factory(scratch_engine)() as session:
        numbers = (
            await session.scalars(
                select(DealRoomDocumentVersion.version).where(DealRoomDocumentVersion.document_id == uuid.UUID(doc))
            )
        ).all()
    assert sorted(numbers) == [1, 2, 3, 4, 5, 6, 7]


async def test_two_crossing_folder_moves_at_once_make_no_cycle(scratch_engine: AsyncEngine, tmp_path):
    headers, project = await committed_lead_with_project(scratch_engine)
    async with _client(scratch_engine, tmp_path) as c:
        room = (await c.post(f"{API}/projects/{project}/deal-room", json=NDA, headers=headers)).json()["id"]
        base = f"{API}/deal-rooms/{room}"
        a = (await c.post(f"{base}/folders", json={"name": "A"}, headers=headers)).json()["id"]
        b = (await c.post(f"{base}/folders", json={"name": "B"}, headers=headers)).json()["id"]
        both = await asyncio.gather(
            c.patch(f"{base}/folders/{a}", json={"parent_id": b}, headers=headers),
            c.patch(f"{base}/folders/{b}", json={"parent_id": a}, headers=headers),
        )

    assert sorted(r.status_code for r in both) == [200, 422], [r.text[:120] for r in both]
    assert next(r for r in both if r.status_code == 422).json()["code"] == "deal_room_document.folder_cycle"
    async with session_factory(scratch_engine)() as session:
        parents = {
            str(f.id): (str(f.parent_id) if f.parent_id else None)
            for f in (
                await session.scalars(select(DealRoomFolder).where(DealRoomFolder.room_id == uuid.UUID(room)))
            ).all()
        }
    assert None in parents.values()  # one of the two is still at the top: no loop
