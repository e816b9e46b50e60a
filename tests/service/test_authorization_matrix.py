"""Who may call what: every endpoint under /api/v1 × every kind of caller × owned/not-owned objects.

The table ``MATRIX`` (in ``tests/service/authz_matrix/rows.py``) is the specification.
``test_matrix_covers_every_api_endpoint`` fails when an endpoint is added without rows there, so a
new endpoint cannot ship without an authorization rule.
Objects the caller may not know exist answer 404 (never 403).
"""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import func, select

from service.auth.principal import CSRF_HEADER, SESSION_COOKIE
from service.auth.tokens import TokenCodec
from service.models import Project
from tests.conftest import TEST_SECRET
from tests.service.authz_matrix.bodies import request_body, uuid_for
from tests.service.authz_matrix.deal_room_documents import DOCUMENT_PATHS, DOCUMENT_ROWS, NOT_FOUND
from tests.service.authz_matrix.deal_room_documents import request as document_request
from tests.service.authz_matrix.deal_room_qa import QA_PATHS
from tests.service.authz_matrix.deal_room_qa import request as qa_request
from tests.service.authz_matrix.deal_rooms import ROOM_PATHS
from tests.service.authz_matrix.deal_rooms import request as room_request
from tests.service.authz_matrix.impact import IMPACT_PATHS
from tests.service.authz_matrix.impact import request as impact_request
from tests.service.authz_matrix.notifications import NOTIFICATION_PATHS
from tests.service.authz_matrix.notifications import request as notification_request
from tests.service.authz_matrix.rows import API, MATRIX, PUBLIC
from tests.service.conftest import CALLERS, World, shared_world_fixtures
from tests.service.helpers import project_payload

connection, app, world = shared_world_fixtures()

CASES = [
    pytest.param(row, caller, status, id=f"{row.method} {row.path.removeprefix(API)} [{row.target}] {caller}->{status}")
    for row in [*MATRIX, *DOCUMENT_ROWS]
    for caller, status in row.expect.items()
]


@pytest.mark.parametrize(("row", "caller", "status"), CASES)
async def test_caller_gets_the_status_the_matrix_says(client, db, world, row, caller, status):
    if row.path in IMPACT_PATHS:  # impact, claims and audit rows arrange their own requests
        response = await impact_request(client, db, world, row.method, row.path, row.target, caller)
        assert response.status_code == status, response.text
        return
    if row.path in NOTIFICATION_PATHS:  # notification rows give the caller and another user one each
        response = await notification_request(client, db, world, row.method, row.path, row.target, caller)
        assert response.status_code == status, response.text
        return
    if row.path in QA_PATHS:  # Q&A rows arrange their room and question, and check for leaks
        response = await qa_request(client, world, row.method, row.path, row.target, caller)
        assert response.status_code == status, response.text
        return
    if row.path in DOCUMENT_PATHS:  # data-room rows arrange a room with a folder and a document
        response = await document_request(client, world, row.method, row.path, row.target, caller)
        assert response.status_code == status, response.text
        if status == 404:
            assert response.json()["code"] in NOT_FOUND  # hidden like absent
        return
    if row.path in ROOM_PATHS:  # deal-room rows open and seat their own room
        response = await room_request(client, world, row.method, row.path, row.target, caller)
        assert response.status_code == status, response.text
        if status == 404 and "{room_id}" in row.path:
            assert response.json()["code"] == "deal_room.not_found"  # a hidden room is like no room
        return
    url = row.path.format(**uuid_for(world, row.path, row.target))
    body = await request_body(row, world, db)
    response = await client.request(row.method, url, json=body, headers=world.headers(caller))
    assert response.status_code == status, response.text
    if status >= 400:
        assert response.headers["content-type"].startswith("application/problem+json")
        problem = response.json()
        assert problem["status"] == status
        assert problem["code"]
        if status == 404 and "{project_id}" in row.path:
            # A hidden project answers exactly like one that does not exist.
            assert problem["code"] == "project.not_found"
        if status == 404 and "{profile_id}" in row.path:
            assert problem["code"] == "investor_profile.not_found"


def _route_key(method: str, path: str) -> tuple[str, str]:
    return method, re.sub(r"\{(\w+):\w+\}", r"{\1}", path).rstrip("/") or "/"


async def test_matrix_covers_every_api_endpoint(app, client):
    from_routes = {
        _route_key(method, route.path)
        for route in app.routes
        if route.path.startswith(API)
        for method in getattr(route, "methods", ())
        if method not in ("HEAD", "OPTIONS")
    }
    schema = (await client.get("/schema/openapi.json")).json()
    from_schema = {
        (method.upper(), path)
        for path, item in schema["paths"].items()
        if path.startswith(API)
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    }
    covered = {(row.method, row.path) for row in [*MATRIX, *DOCUMENT_ROWS]}
    assert from_routes == from_schema
    assert from_routes - covered == set(), "endpoints without authorization rows"
    assert covered - from_routes == set(), "rows for endpoints that do not exist"
    for row in [*MATRIX, *DOCUMENT_ROWS]:
        assert set(row.expect) == set(CALLERS), f"{row.method} {row.path} [{row.target}] misses callers"


# ── no leaks through lists ────────────────────────────────────────────────────────────────────


def _visible_projects(world: World, caller: str) -> set[str]:
    public = {str(world.projects[s]) for s in PUBLIC}
    if caller == "admin":
        return {str(p) for p in world.projects.values()} | {str(world.other_draft)}
    if caller == "lead_owner":
        return {str(p) for p in world.projects.values()}
    if caller == "lead_other":
        return public | {str(world.other_draft)}
    return public


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize(
    "params",
    [{}, {"status": "draft"}, {"status": ["submitted", "rejected", "withdrawn"]}, {"sort": "title_ja"}],
    ids=["all", "status=draft", "status=private", "sorted"],
)
async def test_project_list_never_includes_projects_the_caller_may_not_see(client, world, caller, params):
    response = await client.get(f"{API}/projects", params={**params, "limit": 200}, headers=world.headers(caller))
    assert response.status_code == 200, response.text
    page = response.json()
    ids = {p["id"] for p in page["items"]}
    visible = _visible_projects(world, caller)
    assert ids <= visible
    if not params.get("status"):
        assert ids == visible
    assert page["total"] == len(ids)


@pytest.mark.parametrize("caller", ["anonymous", "investor", "bank", "lead_other"])
async def test_filtering_by_organisation_does_not_reveal_its_drafts(client, world, caller):
    response = await client.get(
        f"{API}/projects", params={"organisation": str(world.org_a.id)}, headers=world.headers(caller)
    )
    assert {p["status"] for p in response.json()["items"]} == set(PUBLIC)
    assert response.json()["total"] == len(PUBLIC)


async def test_vetting_queue_holds_only_submitted_projects(client, world):
    items = (await client.get(f"{API}/vetting/queue", headers=world.headers("admin"))).json()["items"]
    assert [p["id"] for p in items] == [str(world.projects["submitted"])]


_PROFILE_OWNERS = {
    "public": set(CALLERS) - {"anonymous"},
    "hidden_user": {"investor", "admin"},
    "hidden_org": {"bank", "admin"},
}


@pytest.mark.parametrize("caller", [c for c in CALLERS if c != "anonymous"])
@pytest.mark.parametrize(
    "params", [{}, {"investor_type": "company"}, {"ticket": 5_000_000}], ids=["all", "by_type", "by_ticket"]
)
async def test_investor_list_never_includes_hidden_profiles_of_others(client, world, caller, params):
    response = await client.get(f"{API}/investors", params={**params, "limit": 200}, headers=world.headers(caller))
    assert response.status_code == 200, response.text
    ids = {p["id"] for p in response.json()["items"]}
    expected = {str(world.profiles[k]) for k, who in _PROFILE_OWNERS.items() if caller in who}
    assert ids == expected
    assert response.json()["total"] == len(expected)


async def test_members_list_shows_only_that_organisations_members(client, world):
    response = await client.get(f"{API}/organisations/{world.org_a.id}/members", headers=world.headers("lead_owner"))
    members = response.json()["items"]
    assert response.json()["total"] == 1
    assert [m["user_id"] for m in members] == [str(world.actors["lead_owner"].user.id)]
    assert {m["organisation_id"] for m in members} == {str(world.org_a.id)}


async def test_hidden_project_404_reveals_nothing_about_it(client, world):
    hidden = await client.get(f"{API}/projects/{world.projects['draft']}", headers=world.headers("lead_other"))
    unknown = await client.get(f"{API}/projects/{uuid.uuid4()}", headers=world.headers("lead_other"))
    assert hidden.status_code == unknown.status_code == 404
    assert hidden.json() == unknown.json()


# ── CSRF on cookie sessions ──────────────────────────────────────────────────────────────────


def _cookie_headers(world: World, caller: str, csrf: str | None) -> dict[str, str]:
    headers = {"Cookie": f"{SESSION_COOKIE}={world.actors[caller].token}"}
    if csrf is not None:
        headers[CSRF_HEADER] = csrf
    return headers


def _csrf_for(world: World, caller: str) -> str:
    return TokenCodec(TEST_SECRET).csrf_token(world.actors[caller].session_id)


async def _project_count(db) -> int:
    return (await db.execute(select(func.count()).select_from(Project))).scalar_one()


@pytest.mark.parametrize("csrf", ["missing", "wrong", "another_sessions"])
async def test_cookie_write_without_the_right_csrf_token_is_refused(client, db, world, csrf):
    token = {"missing": None, "wrong": "not-the-token", "another_sessions": _csrf_for(world, "lead_other")}[csrf]
    before = await _project_count(db)
    response = await client.post(
        f"{API}/projects", json=project_payload(), headers=_cookie_headers(world, "lead_owner", token)
    )
    assert response.status_code == 403, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "auth.csrf_failed"
    assert await _project_count(db) == before


@pytest.mark.parametrize(
    ("method", "caller", "path", "body", "status"),
    [
        ("POST", "lead_owner", "/projects", project_payload(), 201),
        ("PATCH", "lead_owner", "/projects/{draft}", {"title_en": "Cookie edit"}, 200),
        ("DELETE", "investor", "/investors/{hidden_user}", None, 204),
    ],
    ids=["post", "patch", "delete"],
)
@pytest.mark.parametrize("with_csrf", [False, True], ids=["no_csrf", "csrf"])
async def test_cookie_writes_need_the_csrf_header(client, world, method, caller, path, body, status, with_csrf):
    url = API + path.format(draft=world.projects["draft"], hidden_user=world.profiles["hidden_user"])
    headers = _cookie_headers(world, caller, _csrf_for(world, caller) if with_csrf else None)
    response = await client.request(method, url, json=body, headers=headers)
    if with_csrf:
        assert response.status_code == status, response.text
    else:
        assert response.status_code == 403, response.text
        assert response.json()["code"] == "auth.csrf_failed"


async def test_cookie_reads_need_no_csrf_header(client, world):
    response = await client.get(f"{API}/auth/me", headers=_cookie_headers(world, "investor", None))
    assert response.status_code == 200, response.text
    assert response.json()["id"] == str(world.actors["investor"].user.id)


async def test_bearer_writes_need_no_csrf_header(client, db, world):
    before = await _project_count(db)
    response = await client.post(f"{API}/projects", json=project_payload(), headers=world.headers("lead_owner"))
    assert response.status_code == 201, response.text
    assert await _project_count(db) == before + 1
