"""``Idempotency-Key``: a retried write replays its first response instead of writing twice."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine

from service.app import create_app
from service.auth.tokens import TokenCodec
from service.db import create_engine, session_factory
from service.idempotency import KEY_TTL, lock_id
from service.models import AuthSession, IdempotencyKey, Membership, Organisation, Project, User
from service.models.base import utcnow
from service.models.enums import OrgKind, Role
from service.settings import Settings
from tests.conftest import TEST_SECRET
from tests.service.helpers import project_payload, vetting_payload
from tests.support.scratch_db import scratch_database

PROJECTS = "/api/v1/projects"


def keyed(actor: Any, key: str | bytes) -> dict[str, Any]:
    return {**actor.headers, "Idempotency-Key": key}


async def count_projects(db, title: str) -> int:
    return int(await db.scalar(select(func.count()).select_from(Project).where(Project.title_ja == title)))


async def test_a_retry_with_the_same_key_replays_the_first_response(client, make_actor, db):
    lead = await make_actor(Role.project_lead)
    payload = project_payload(title_ja="再送されるプロジェクト")

    first = await client.post(PROJECTS, json=payload, headers=keyed(lead, "create-1"))
    again = await client.post(PROJECTS, json=payload, headers=keyed(lead, "create-1"))

    assert first.status_code == 201, first.text
    assert "idempotent-replayed" not in first.headers
    assert again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["content-type"] == first.headers["content-type"] == "application/json"
    assert again.content == first.content
    assert await count_projects(db, "再送されるプロジェクト") == 1


async def test_the_same_key_with_another_body_is_refused(client, make_actor, db):
    lead = await make_actor(Role.project_lead)
    first = await client.post(PROJECTS, json=project_payload(title_ja="一つ目"), headers=keyed(lead, "k-2"))
    other = await client.post(PROJECTS, json=project_payload(title_ja="二つ目"), headers=keyed(lead, "k-2"))

    assert first.status_code == 201
    assert other.status_code == 409
    assert other.headers["content-type"] == "application/problem+json"
    assert other.json()["code"] == "idempotency.key_reused"
    assert await count_projects(db, "二つ目") == 0


async def test_the_same_key_on_another_path_is_refused(client, make_actor):
    lead = await make_actor(Role.project_lead)
    created = await client.post(PROJECTS, json=project_payload(), headers=keyed(lead, "k-path"))
    project_id = created.json()["id"]
    moved = await client.post(
        f"{PROJECTS}/{project_id}/transitions",
        json={"to_status": "submitted", "reason": "審査をお願いします"},
        headers=keyed(lead, "k-path"),
    )
    assert moved.status_code == 409
    assert moved.json()["code"] == "idempotency.key_reused"


async def test_keys_belong_to_their_caller(client, make_actor, db):
    lead_a = await make_actor(Role.project_lead)
    lead_b = await make_actor(Role.project_lead)
    payload = project_payload(title_ja="別々の呼び出し元")

    a = await client.post(PROJECTS, json=payload, headers=keyed(lead_a, "shared-key"))
    b = await client.post(PROJECTS, json=payload, headers=keyed(lead_b, "shared-key"))

    assert a.status_code == b.status_code == 201
    assert "idempotent-replayed" not in b.headers
    assert a.json()["id"] != b.json()["id"]
    assert await count_projects(db, "別々の呼び出し元") == 2


async def test_without_a_key_every_request_writes(client, make_actor, db):
    lead = await make_actor(Role.project_lead)
    payload = project_payload(title_ja="キーなし")
    for _ in range(2):
        assert (await client.post(PROJECTS, json=payload, headers=lead.headers)).status_code == 201
    assert await count_projects(db, "キーなし") == 2


async def test_a_failed_request_stores_nothing_and_frees_the_key(client, make_actor, db):
    lead = await make_actor(Role.project_lead)
    investor = await make_actor(Role.investor)

    refused = await client.post(
        PROJECTS, json=project_payload(funding_deadline="2020-01-01"), headers=keyed(lead, "k-fail")
    )
    forbidden = await client.post(PROJECTS, json=project_payload(), headers=keyed(investor, "k-fail"))
    assert refused.status_code == 422
    assert forbidden.status_code == 403
    stored = await db.scalar(select(func.count()).select_from(IdempotencyKey).where(IdempotencyKey.key == "k-fail"))
    assert stored == 0

    fixed = await client.post(PROJECTS, json=project_payload(title_ja="直した"), headers=keyed(lead, "k-fail"))
    assert fixed.status_code == 201
    assert "idempotent-replayed" not in fixed.headers


@pytest.mark.parametrize("key", ["", "with space", "x" * 256, "日本語キー".encode(), "tab\there"])
async def test_a_malformed_key_is_a_422_naming_the_header(client, make_actor, db, key):
    lead = await make_actor(Role.project_lead)
    response = await client.post(PROJECTS, json=project_payload(title_ja="不正なキー"), headers=keyed(lead, key))
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["errors"][0]["field"] == "Idempotency-Key"
    assert problem["errors"][0]["code"] == "idempotency.key_invalid"
    assert problem["errors"][0]["message"]["ja"]
    assert problem["errors"][0]["message"]["en"]
    assert await count_projects(db, "不正なキー") == 0


async def test_the_longest_allowed_key_works(client, make_actor):
    lead = await make_actor(Role.project_lead)
    key = "~" * 255
    assert (await client.post(PROJECTS, json=project_payload(), headers=keyed(lead, key))).status_code == 201
    again = await client.post(PROJECTS, json=project_payload(), headers=keyed(lead, key))
    assert again.headers["idempotent-replayed"] == "true"


async def test_a_key_still_in_flight_is_a_409_with_retry_after(client, make_actor, engine: AsyncEngine, db):
    lead = await make_actor(Role.project_lead)
    # Another transaction holds the key, as a first request still running would.
    async with engine.connect() as other:
        await other.begin()
        await other.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": lock_id(lead.user.id, "busy")})
        response = await client.post(PROJECTS, json=project_payload(title_ja="処理中"), headers=keyed(lead, "busy"))
        await other.rollback()
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency.in_progress"
    assert response.headers["retry-after"] == "1"
    assert await count_projects(db, "処理中") == 0


async def test_an_expired_key_runs_again_and_expired_rows_are_purged(client, make_actor, db):
    lead = await make_actor(Role.project_lead)
    other = await make_actor(Role.project_lead)
    payload = project_payload(title_ja="期限切れ")
    first = await client.post(PROJECTS, json=payload, headers=keyed(lead, "old"))
    stale = await client.post(PROJECTS, json=project_payload(), headers=keyed(other, "stale"))
    assert first.status_code == stale.status_code == 201
    row = (await db.execute(select(IdempotencyKey).where(IdempotencyKey.user_id == lead.user.id))).scalar_one()
    assert timedelta(hours=23) < row.expires_at - row.created_at <= KEY_TTL

    past = utcnow() - timedelta(seconds=1)
    await db.execute(update(IdempotencyKey).where(IdempotencyKey.key.in_(["old", "stale"])).values(expires_at=past))
    await db.commit()

    again = await client.post(PROJECTS, json=payload, headers=keyed(lead, "old"))
    assert again.status_code == 201
    assert "idempotent-replayed" not in again.headers
    assert again.json()["id"] != first.json()["id"]
    assert await count_projects(db, "期限切れ") == 2
    # Storing the new response also cleaned up the other caller's expired row.
    keys = set((await db.execute(select(IdempotencyKey.key))).scalars())
    assert "stale" not in keys
    assert "old" in keys


async def test_other_creates_replay_too(client, make_actor, db):
    lead = await make_actor(Role.project_lead)
    admin = await make_actor(Role.admin)
    project_id = (await client.post(PROJECTS, json=project_payload(), headers=lead.headers)).json()["id"]
    submit = {"to_status": "submitted", "reason": "審査をお願いします"}
    moves = [
        await client.post(f"{PROJECTS}/{project_id}/transitions", json=submit, headers=keyed(lead, "t")) for _ in "ab"
    ]
    assert [m.status_code for m in moves] == [201, 201]
    assert moves[1].headers["idempotent-replayed"] == "true"

    decisions = [
        await client.post(f"/api/v1/vetting/{project_id}/decision", json=vetting_payload(), headers=keyed(admin, "v"))
        for _ in "ab"
    ]
    assert [d.status_code for d in decisions] == [201, 201]
    assert decisions[1].json() == decisions[0].json()
    assert decisions[1].headers["idempotent-replayed"] == "true"


IDEMPOTENT_OPERATIONS = {
    ("post", "/api/v1/projects"),
    ("post", "/api/v1/projects/{project_id}/transitions"),
    ("post", "/api/v1/organisations"),
    ("post", "/api/v1/organisations/{organisation_id}/members"),
    ("post", "/api/v1/investors"),
    ("post", "/api/v1/projects/{project_id}/claims"),
    ("post", "/api/v1/claims/{claim_id}/decisions"),
    ("post", "/api/v1/claims/{claim_id}/resubmit"),
    ("post", "/api/v1/claims/{claim_id}/contest"),
    ("post", "/api/v1/vetting/{project_id}/decision"),
    ("post", "/api/v1/regions/living-spheres"),
    # Every deal-room write (issue 8): a retried move or NDA would otherwise act twice.
    ("post", "/api/v1/projects/{project_id}/deal-room"),
    ("post", "/api/v1/projects/{project_id}/deal-room/access-requests"),
    ("post", "/api/v1/deal-rooms/{room_id}/participants"),
    ("delete", "/api/v1/deal-rooms/{room_id}/participants/{participant_id}"),
    ("post", "/api/v1/deal-rooms/{room_id}/leave"),
    ("post", "/api/v1/deal-rooms/{room_id}/access-requests/{request_id}/decision"),
    ("post", "/api/v1/deal-rooms/{room_id}/transitions"),
    ("post", "/api/v1/deal-rooms/{room_id}/nda"),
    ("post", "/api/v1/deal-rooms/{room_id}/nda/acceptance"),
    ("post", "/api/v1/deal-rooms/{room_id}/questions"),
    ("post", "/api/v1/deal-rooms/{room_id}/questions/{question_id}/answers"),
    ("post", "/api/v1/deal-rooms/{room_id}/folders"),
}
IDEMPOTENT_OPERATIONS.add(("post", "/api/v1/deal-rooms/{room_id}/messages"))  # the live feed (issue 8 §4)


async def test_the_openapi_document_offers_the_header_exactly_where_it_works(client):
    document = (await client.get("/schema/openapi.json")).json()
    offered = set()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            names = [p.get("name") for p in operation.get("parameters", [])]
            if "Idempotency-Key" in names:
                offered.add((method, path.rstrip("/") or "/"))
                header = next(p for p in operation["parameters"] if p["name"] == "Idempotency-Key")
                assert header["in"] == "header"
                assert header["required"] is False
                assert header["schema"]["maxLength"] == 255
                assert "409" in operation["responses"]
    assert offered == IDEMPOTENT_OPERATIONS


# -- real concurrency and real commits, on a scratch database ---------------------------------


@pytest.fixture(scope="module")
async def scratch_engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    async with scratch_database(database_url) as url:
        scratch = create_engine(url, pool_size=12)
        try:
            yield scratch
        finally:
            await scratch.dispose()


async def committed_lead(engine: AsyncEngine) -> dict[str, str]:
    maker = session_factory(engine)
    async with maker() as session, session.begin():
        user = User(email=f"{uuid.uuid4().hex[:10]}@example.jp", display_name="並行 テスト", password_hash=None)
        org = Organisation(kind=OrgKind.company, name_ja=f"並行組織 {uuid.uuid4().hex[:6]}", name_en="Concurrency")
        session.add_all([user, org])
        await session.flush()
        session.add(Membership(user_id=user.id, organisation_id=org.id, role=Role.project_lead))
        now = utcnow()
        auth = AuthSession(user_id=user.id, method="test", created_at=now, expires_at=now + timedelta(hours=1))
        session.add(auth)
        await session.flush()
    token = TokenCodec(TEST_SECRET).issue(user.id, auth.id, issued_at=now, expires_at=auth.expires_at)
    return {"Authorization": f"Bearer {token}"}


async def test_parallel_identical_requests_create_exactly_once(scratch_engine: AsyncEngine, tmp_path):
    settings = Settings(data_dir=tmp_path, secret_key=TEST_SECRET)
    app = create_app(
        settings,
        session_maker=session_factory(scratch_engine),
        read_session_maker=session_factory(scratch_engine.execution_options(isolation_level="AUTOCOMMIT")),
    )
    headers = {**(await committed_lead(scratch_engine)), "Idempotency-Key": "parallel-1"}
    payload = project_payload(title_ja="並行作成")

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver") as c:
        responses = await asyncio.gather(*(c.post(PROJECTS, json=payload, headers=headers) for _ in range(10)))
        retry = await c.post(PROJECTS, json=payload, headers=headers)

    created = [r for r in responses if r.status_code == 201 and "idempotent-replayed" not in r.headers]
    replayed = [r for r in responses if r.status_code == 201 and "idempotent-replayed" in r.headers]
    in_flight = [r for r in responses if r.status_code == 409]
    assert len(created) == 1, [(r.status_code, r.text[:120]) for r in responses]
    assert len(created) + len(replayed) + len(in_flight) == 10
    assert all(r.json()["code"] == "idempotency.in_progress" for r in in_flight)
    assert all(r.headers["retry-after"] == "1" for r in in_flight)
    assert all(r.content == created[0].content for r in replayed)
    assert retry.status_code == 201
    assert retry.headers["idempotent-replayed"] == "true"
    assert retry.content == created[0].content

    # Committed together: the project and the response that names it.
    async with scratch_engine.connect() as conn:
        projects = (await conn.execute(select(Project.id).where(Project.title_ja == "並行作成"))).scalars().all()
        stored = (
            await conn.execute(select(IdempotencyKey.body).where(IdempotencyKey.key == "parallel-1"))
        ).scalar_one()
    assert [str(p) for p in projects] == [created[0].json()["id"]]
    assert stored == created[0].content
